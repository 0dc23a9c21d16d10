import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Wire

/// A real `redis-server` for one test, on a free loopback port, ready when its log says so.
public final class RedisServer: Sendable {
    public let url: RedisURL
    private let process: Process

    private init(url: RedisURL, process: Process) {
        self.url = url
        self.process = process
    }

    /// `tls`: serve TLS only (`rediss://127.0.0.1:port`) with the certificates' `server` pair.
    public static func start(tls: TestCertificates? = nil) async throws -> RedisServer {
        guard let executable = ProcessRunner.which("redis-server") else {
            throw TestSetupError("redis-server is not installed: run scripts/test, which installs it")
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = try await freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
                + (tls.map { ["--port", "0", "--tls-port", String(port), "--tls-cert-file", $0.cert("server"), "--tls-key-file", $0.key("server"),
                              "--tls-ca-cert-file", $0.ca, "--tls-auth-clients", "no"] } ?? ["--port", String(port)])
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let log = try await ProcessRunner.waitForLine(in: output, containing: ["Ready to accept connections", "Address already in use"], timeout: 15)
            if log.contains("Ready to accept connections") {
                return RedisServer(url: RedisURL(host: "127.0.0.1", port: port, usesTLS: tls != nil), process: process)
            }
            lastError = log
            process.terminate()
            process.waitUntilExit()
        }
        throw TestSetupError("redis-server did not start: \(lastError)")
    }

    /// Cuts the store abruptly, as a crash would. SIGKILL, because a child spawned from a
    /// dispatch thread inherits that thread's blocked signals and would ignore SIGTERM.
    public func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }

    /// A port the kernel just handed out for port 0, released for redis-server to take.
    public static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
