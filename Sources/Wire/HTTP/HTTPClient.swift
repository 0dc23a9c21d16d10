import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client: one connection per request, `Connection: close`, a hard deadline.
///
/// One connection per request keeps every exchange independent (a probe never inherits a
/// connection another probe poisoned) and makes the deadline simple: when it fires, the
/// channel is closed and the caller gets `timedOut`.
public struct HTTPClient: Sendable {
    public var timeout: TimeAmount
    private let group: EventLoopGroup

    public init(timeout: TimeAmount = .seconds(10), group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.timeout = timeout
        self.group = group
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        guard request.url.scheme == "http", let host = request.url.host else {
            throw HTTPClientError.unsupportedURL(request.url.absoluteString)
        }
        let port = request.url.port ?? 80
        let timeout = self.timeout
        let promise = group.next().makePromise(of: HTTPResponseData.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let queue = ResponseQueue()
                    queue.expect(promise)
                    try channel.pipeline.syncOperations.addHandler(QueuedResponseHandler(queue: queue))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(HTTPClientError.timedOut(seconds: Double(timeout.nanoseconds) / 1e9))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in
            deadline.cancel()
            channel.close(promise: nil)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.url.port.map { "\(host):\($0)" } ?? host)
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: String(request.body.count))
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: Self.target(of: request.url), headers: headers)
        let body = request.body
        channel.eventLoop.execute {
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { promise.fail($0) }
        }
        return try await promise.futureResult.get()
    }

    /// The request target of RFC 9112 §3.2.1: path and query, never empty.
    public static func target(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?\(query)" }
        return target
    }
}

/// Promises for responses, in request order; touched only on the channel's event loop.
package final class ResponseQueue: @unchecked Sendable {
    var promises: CircularBuffer<EventLoopPromise<HTTPResponseData>> = []
    package init() {}
    package func expect(_ promise: EventLoopPromise<HTTPResponseData>) { promises.append(promise) }
}

/// Completes the oldest waiting promise with each full response (HTTP/1.1 answers in order);
/// a closed connection or an error fails every promise still waiting.
package final class QueuedResponseHandler: ChannelInboundHandler {
    package typealias InboundIn = HTTPClientResponsePart

    private let queue: ResponseQueue
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    package init(queue: ResponseQueue) { self.queue = queue }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let promise = queue.promises.popFirst() else { return }
            promise.succeed(HTTPResponseData(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: body))
            self.head = nil
        }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        while let promise = queue.promises.popFirst() { promise.fail(HTTPClientError.connectionClosed) }
        context.fireChannelInactive()
    }

    package func errorCaught(context: ChannelHandlerContext, error: Error) {
        while let promise = queue.promises.popFirst() { promise.fail(error) }
        context.close(promise: nil)
    }
}
