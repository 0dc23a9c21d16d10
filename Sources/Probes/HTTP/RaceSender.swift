import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Wire

/// Sends N requests so that they reach the server as close to the same instant as TCP allows:
/// last-byte synchronization (James Kettle, "Smashing the state machine", 2023). Every
/// connection is opened and warmed first, every request is written but its final byte, then
/// all final bytes leave from one event loop in one pass. The server can act on none of them
/// until its last byte arrives, so connection set-up and request writing drop out of the spread.
public struct RaceSender: Sendable {
    public var timeout: TimeAmount = .seconds(10)
    /// For `https://`: the held byte is then the last byte of the *plaintext*; NIOSSL seals it in a
    /// record of its own, so the server still cannot act on the request before it arrives.
    public var tls: TLSClient?
    /// `target.headers`, sent with every request (the request's own headers win).
    public var extraHeaders: [(String, String)] = []

    public init(tls: TLSClient? = nil, extraHeaders: [(String, String)] = []) {
        self.tls = tls
        self.extraHeaders = extraHeaders
    }

    /// The sender the API's client implies: its TLS settings and extra headers.
    public init(for client: HTTPClient) {
        self.init(tls: client.tls, extraHeaders: client.extraHeaders)
    }

    public func send(_ requests: [HTTPRequestSpec]) async throws -> [HTTPResponseData] {
        guard let first = requests.first else { return [] }
        let endpoint = try Endpoint(first.url, tls: tls)
        let requests = requests.map { $0.adding(extraHeaders) }
        // One event loop for every connection, so the release is one loop pass with no hand-off.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var connections: [RaceConnection] = []
        defer { for connection in connections { connection.channel.close(promise: nil) } }
        for _ in requests {
            connections.append(try await RaceConnection.open(endpoint, on: loop, timeout: timeout))
        }
        // Warm-up: a harmless GET of the root (with the TLS handshake done), so the connection is
        // past any lazy set-up. A server that closes after every answer (`Connection: close`, an
        // HTTP/1.0 answer) gets a fresh, unwarmed connection instead: a cold start beats no start.
        let root = HTTPRequestSpec(method: "GET", url: URL(string: "/", relativeTo: first.url)?.absoluteURL ?? first.url).adding(extraHeaders)
        for index in connections.indices {
            let warm = try await connections[index].exchange(Self.bytes(root, keepAlive: true), timeout: timeout)
            if !warm.keepAlive || !connections[index].channel.isActive {
                connections[index].channel.close(promise: nil)
                connections[index] = try await RaceConnection.open(endpoint, on: loop, timeout: timeout)
            }
        }
        var pending: [EventLoopFuture<HTTPResponseData>] = []
        for (connection, request) in zip(connections, requests) {
            let bytes = Self.bytes(request, keepAlive: false)
            pending.append(try await connection.prime(Array(bytes.dropLast()), timeout: timeout))
        }
        let lastBytes = zip(connections, requests).map { ($0.channel, Self.bytes($1, keepAlive: false).last!) }
        try await loop.submit {
            for (channel, byte) in lastBytes {
                RawBytesWriter.write([byte], on: channel)
            }
        }.get()
        var responses: [HTTPResponseData] = []
        for future in pending { responses.append(try await future.get()) }
        return responses
    }

    /// The request's wire form (RFC 9112): request line, headers, body.
    static func bytes(_ request: HTTPRequestSpec, keepAlive: Bool) -> [UInt8] {
        var text = "\(request.method) \(HTTPClient.target(of: request.url)) HTTP/1.1\r\n"
        // A `Host` among the request's headers (target.headers) replaces the URL's authority.
        if !request.headers.contains(where: { $0.0.lowercased() == "host" }) { text += "Host: \(Endpoint.hostHeader(request.url))\r\n" }
        text += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        text += "Content-Length: \(request.body.count)\r\n"
        for (name, value) in request.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + request.body
    }
}

/// One raw connection: the request bytes are ours, the response is parsed by NIOHTTP1.
struct RaceConnection {
    let channel: Channel
    let collector: ResponseQueue

    static func open(_ endpoint: Endpoint, on loop: EventLoop, timeout: TimeAmount) async throws -> RaceConnection {
        let collector = ResponseQueue()
        // TLS goes in front of the raw writer: the bytes it writes, the held last byte too, are encrypted.
        let channel = try await Connector.connect(endpoint, timeout: timeout, group: loop) { channel in
            try channel.pipeline.syncOperations.addHandler(RawBytesWriter())
            try channel.pipeline.syncOperations.addHandler(RequestPartSink())
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)))
            try channel.pipeline.syncOperations.addHandler(QueuedResponseHandler(queue: collector))
        }
        return RaceConnection(channel: channel, collector: collector)
    }

    /// Writes a whole request and waits for its response (the warm-up).
    func exchange(_ bytes: [UInt8], timeout: TimeAmount) async throws -> HTTPResponseData {
        let future = try await prime(bytes, timeout: timeout)
        return try await future.get()
    }

    /// Writes bytes and returns the future of the next response, which fails after `timeout`.
    /// The decoder is first told a request is coming (it pairs responses with request methods).
    func prime(_ bytes: [UInt8], timeout: TimeAmount) async throws -> EventLoopFuture<HTTPResponseData> {
        let channel = self.channel
        let collector = self.collector
        return try await channel.eventLoop.submit {
            let promise = channel.eventLoop.makePromise(of: HTTPResponseData.self)
            collector.expect(promise)
            let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(HTTPClientError.timedOut(seconds: Double(timeout.nanoseconds) / 1e9))
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
            let method = String(decoding: bytes.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
            channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: "/")), promise: nil)
            RawBytesWriter.write(bytes, on: channel)
            return promise.futureResult
        }.get()
    }
}

/// Sits at the head of the pipeline; raw request bytes are written from its context so they skip
/// the response decoder (which, as a write-observing decoder, only accepts HTTP request parts).
final class RawBytesWriter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Must run on the channel's event loop.
    static func write(_ bytes: [UInt8], on channel: Channel) {
        guard let context = try? channel.pipeline.syncOperations.context(handlerType: RawBytesWriter.self) else { return }
        context.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)), promise: nil)
    }
}

/// Swallows the request parts written only so the response decoder knows a request is in flight.
final class RequestPartSink: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.succeed(())
    }
}

/// The baseline the race sender is measured against: N tasks that each connect and send at once.
public enum NaiveSender {
    public static func send(_ request: HTTPRequestSpec, count: Int, client: HTTPClient) async throws -> [HTTPResponseData] {
        try await send(Array(repeating: request, count: count), client: client)
    }

    public static func send(_ requests: [HTTPRequestSpec], client: HTTPClient) async throws -> [HTTPResponseData] {
        try await withThrowingTaskGroup(of: HTTPResponseData.self) { group in
            for request in requests { group.addTask { try await client.send(request) } }
            var responses: [HTTPResponseData] = []
            for try await response in group { responses.append(response) }
            return responses
        }
    }
}
