import Foundation
import NIOCore
import NIOPosix
import Probes
import Synchronization
import Testing
import Wire

/// What real servers and proxies answer besides a kept-alive HTTP/1.1 200: HTTP/1.0 answers whose
/// body ends at the close, `Connection: close`, redirects (never followed). Every client of the
/// auditor (one-shot, kept-alive, race sender) reads them, and `target.headers` reach the server.
@Suite("HTTP answers real servers give")
struct HTTPEdgeTests {
    static let json = #"{"success":true}"#

    @Test("HTTP/1.0 without Content-Length (body until close), and HTTP/1.1 Connection: close", arguments: [
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n\(json)",
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)",
        "HTTP/1.0 200 OK\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)",
    ])
    func closingAnswers(_ answer: String) async throws {
        let server = try await CannedServer.start(answer: answer, close: true)
        let url = URL(string: "http://127.0.0.1:\(server.port)/api/v1/admin/location-tracking/journey/live?sessionId=s")!
        let request = HTTPRequestSpec(method: "GET", url: url)
        #expect(try await HTTPClient().send(request).bodyText == Self.json)

        let pooled = try KeepAliveHTTPClient(baseURL: url)
        for _ in 0..<3 {
            let response = try await pooled.send(request)
            #expect(response.bodyText == Self.json)
            #expect(!response.keepAlive)
        }
        await pooled.close()

        let raced = try await RaceSender().send(Array(repeating: HTTPRequestSpec(method: "POST", url: url, body: Array("{}".utf8)), count: 4))
        #expect(raced.map(\.bodyText) == Array(repeating: Self.json, count: 4))
        try await server.stop()
    }

    @Test("a redirect is an answer like any other: reported, never followed")
    func redirectNotFollowed() async throws {
        let server = try await CannedServer.start(answer: "HTTP/1.1 301 Moved Permanently\r\nLocation: https://elsewhere.example/\r\nContent-Length: 0\r\n\r\n", close: false)
        let response = try await HTTPClient().send(HTTPRequestSpec(method: "GET", url: URL(string: "http://127.0.0.1:\(server.port)/")!))
        #expect(response.status == 301)
        #expect(response.header("location") == "https://elsewhere.example/")
        #expect(server.requests.count == 1)
        try await server.stop()
    }

    @Test("target.headers reach the server from every client; the request's own headers win")
    func extraHeaders() async throws {
        let server = try await CannedServer.start(answer: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", close: false)
        let url = URL(string: "http://127.0.0.1:\(server.port)/x")!
        let extra = [("Host", "app.example.com"), ("X-Waf-Bypass", "t0ken"), ("Authorization", "Bearer from-config")]
        var client = HTTPClient()
        client.extraHeaders = extra
        _ = try await client.send(HTTPRequestSpec(method: "GET", url: url, headers: [("Authorization", "Bearer own")]))
        let pooled = try KeepAliveHTTPClient(baseURL: url, extraHeaders: extra)
        _ = try await pooled.send(HTTPRequestSpec(method: "GET", url: url))
        await pooled.close()
        _ = try await RaceSender(for: client).send([HTTPRequestSpec(method: "GET", url: url)])
        let heads = server.requests.filter { !$0.hasPrefix("GET / ") }  // the race sender's warm-up is a GET /
        #expect(heads.count == 3)
        for head in heads {
            let lines = head.lowercased().split(separator: "\r\n")
            #expect(lines.filter { $0.hasPrefix("host:") } == ["host: app.example.com"], "\(head)")
            #expect(lines.contains("x-waf-bypass: t0ken"), "\(head)")
        }
        #expect(heads[0].contains("Authorization: Bearer own") && !heads[0].contains("from-config"))
        try await server.stop()
    }
}

/// A loopback server that answers every complete request with the same bytes and, when `close`,
/// closes the connection (so an answer without Content-Length ends there). Records each request head.
final class CannedServer: Sendable {
    let channel: Channel
    let log: Log
    var port: Int { channel.localAddress?.port ?? 0 }
    var requests: [String] { log.heads.withLock { $0 } }

    private init(channel: Channel, log: Log) {
        self.channel = channel
        self.log = log
    }

    static func start(answer: String, close: Bool) async throws -> CannedServer {
        let log = Log()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(CannedAnswer(answer: answer, close: close, log: log)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CannedServer(channel: channel, log: log)
    }

    func stop() async throws { try await channel.close() }

    final class Log: Sendable {
        let heads = Mutex<[String]>([])
        func record(_ head: String) { heads.withLock { $0.append(head) } }
    }
}

/// Buffers a request until its head and `Content-Length` body are in, then answers.
final class CannedAnswer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let answer: String
    let close: Bool
    let log: CannedServer.Log
    var pending = ""

    init(answer: String, close: Bool, log: CannedServer.Log) {
        self.answer = answer
        self.close = close
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let end = pending.range(of: "\r\n\r\n") {
            let head = String(pending[..<end.lowerBound])
            let length = head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            guard pending[end.upperBound...].utf8.count >= length else { return }
            pending = String(pending[end.upperBound...].dropFirst(length))
            log.record(head)
            let done = context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: answer)))
            if close {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
                return
            }
        }
    }
}
