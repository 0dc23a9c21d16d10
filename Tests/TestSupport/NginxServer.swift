import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real nginx (Debian's package) terminating TLS on a free loopback port with the certificate
/// it is given: in front of an upstream, or answering every request `200 {"ok":true}` itself.
/// One process (`master_process off`), so stopping it leaves no worker behind.
public final class NginxServer: Sendable {
    public let port: Int
    private let process: Process
    private let directory: String

    private init(port: Int, process: Process, directory: String) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// `clientCA`: demand a client certificate signed by it (mTLS).
    public static func start(certificate: String, key: String, upstream: String? = nil, clientCA: String? = nil) async throws -> NginxServer {
        guard let nginx = ProcessRunner.which("nginx") ?? (FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") ? "/usr/sbin/nginx" : nil) else {
            throw TestSetupError("nginx is not installed: run scripts/test, which installs it")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastError = ""
        for _ in 0..<5 {
            let port = try await RedisServer.freePort()
            // WebSocket upgrades pass through (RFC 6455 §4.1 needs `Upgrade` and `Connection: upgrade`).
            let handling = upstream.map {
                "proxy_pass \($0); proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; proxy_set_header Host $http_host;"
            } ?? #"default_type application/json; return 200 '{"ok":true}';"#
            let mtls = clientCA.map { "ssl_client_certificate \($0); ssl_verify_client on;" } ?? ""
            let temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "\($0)_temp_path \(directory)/\($0);" }.joined(separator: " ")
            let config = """
            daemon off; master_process off; pid \(directory)/nginx.pid; error_log stderr notice;
            events {}
            http {
              access_log off; \(temp)
              map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
              server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(certificate); ssl_certificate_key \(key); \(mtls)
                location / { \(handling) }
              }
            }
            """
            try config.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nginx)
            process.arguments = ["-p", directory, "-c", "\(directory)/nginx.conf", "-e", "stderr"]
            let output = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = output
            try process.run()
            // With one process nginx logs its rlimit right after binding its listening sockets.
            let log = try await ProcessRunner.waitForLine(in: output, containing: ["getrlimit(RLIMIT_NOFILE)", "[emerg]"], timeout: 15)
            if !log.contains("[emerg]") {
                // Keep reading what it logs later, so its stderr pipe never fills.
                output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                return NginxServer(port: port, process: process, directory: directory)
            }
            lastError = log
            process.waitUntilExit()
        }
        throw TestSetupError("nginx did not start: \(lastError)")
    }

    /// SIGKILL: see RedisServer.kill.
    public func stop() {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}
