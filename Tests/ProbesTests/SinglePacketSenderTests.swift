import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import Probes
import NIOSSL
import Synchronization
import Testing
import TestSupport
import Wire

/// The single-packet sender against a real HTTP/2 server (Hummingbird, h2c with prior knowledge):
/// every request arrives, each answer goes to its own request, and no handler starts before the
/// release (the server acts on a request only once its final frame is read).
@Suite("Single-packet race over HTTP/2", .timeLimit(.minutes(1)))
struct SinglePacketSenderTests {
    /// When each request's body was complete on the server, in arrival order.
    final class Stamps: Sendable {
        let times = Mutex<[(path: String, at: ContinuousClock.Instant)]>([])
    }

    /// `tls`: HTTP/2 over TLS with ALPN (HTTP/1.1 for clients that do not offer h2); nil: h2c.
    static func withServer(tls: TLSConfiguration? = nil, http1Only: Bool = false, _ body: (URL, Stamps) async throws -> Void) async throws {
        let stamps = Stamps()
        let router = Router()
        router.post("/race/:n") { request, context -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 16)   // acts only on a complete request
            let n = context.parameters.get("n") ?? "?"
            stamps.times.withLock { $0.append(("/race/\(n)", .now)) }
            return Response(status: .created, headers: [.init("X-Request")!: n])
        }
        router.get("/") { _, _ in "ok" }
        let (port, portSet) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "h2-test-server")
        quiet.logLevel = .critical   // a cancelled server logs its shutdown as errors
        let server: HTTPServerBuilder
        if let tls, http1Only {
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else if let tls {
            server = try .http2Upgrade(tlsConfiguration: tls)
        } else {
            server = .plaintextHTTP2()
        }
        let app = Application(router: router, server: server,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSet.yield($0.localAddress?.port ?? 0) }, logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var iterator = port.makeAsyncIterator()
            let bound = await iterator.next() ?? 0
            try await body(URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(bound)")!, stamps)
            group.cancelAll()
        }
    }

    @Test("20 requests on one connection: each answered, in its own stream; the server saw them within one read")
    func twentyAtOnce() async throws {
        try await Self.withServer { base, stamps in
            let requests = (0..<20).map { HTTPRequestSpec(method: "POST", url: base.appendingPathComponent("race/\($0)")) }
            let answers = try await SinglePacketSender().send(requests)
            #expect(answers.map(\.status) == Array(repeating: 201, count: 20))
            #expect(answers.map { $0.headers.first { $0.0 == "x-request" }?.1 } == (0..<20).map { String($0) }, "each answer to its own request")
            let times = stamps.times.withLock { $0 }.map(\.at)
            #expect(times.count == 20)
            let spread = (times.max()! - times.min()!)
            print("single-packet over h2c, 20 requests: server-side spread \(spread)")
        }
    }

    @Test("over TLS: ALPN h2 is offered and used; a server that picks HTTP/1.1 is refused before any HTTP/2 byte")
    func overTLS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.cert("server")).map { .certificate($0) },
                                                           privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.key("server"), format: .pem)))
        let client = try TLSClient(caFile: certificates.ca)
        try await Self.withServer(tls: tls) { base, stamps in
            let answers = try await SinglePacketSender(tls: client).send((0..<10).map { HTTPRequestSpec(method: "POST", url: base.appendingPathComponent("race/\($0)")) })
            #expect(answers.map(\.status) == Array(repeating: 201, count: 10))
            #expect(stamps.times.withLock { $0.count } == 10)
        }
        try await Self.withServer(tls: tls, http1Only: true) { base, stamps in
            let error = await #expect(throws: Error.self) { try await SinglePacketSender(tls: client).send([HTTPRequestSpec(method: "POST", url: base.appendingPathComponent("race/0"))]) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("did not choose HTTP/2"), "\(String(describing: error))")
            #expect(stamps.times.withLock { $0.isEmpty })
        }
    }

    @Test("a body's last byte is the withheld frame: the server gets the whole body")
    func bodies() async throws {
        try await Self.withServer { base, _ in
            let body = Array(#"{"sessionId":"s1","latitude":12.9}"#.utf8)
            let answers = try await SinglePacketSender().send((0..<3).map {
                HTTPRequestSpec(method: "POST", url: base.appendingPathComponent("race/\($0)"), headers: [("Content-Type", "application/json")], body: body)
            })
            #expect(answers.map(\.status) == [201, 201, 201])
        }
    }
}
