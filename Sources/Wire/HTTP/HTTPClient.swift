import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client: one connection per request, `Connection: close`, a hard deadline.
///
/// One connection per request keeps every exchange independent (a probe never inherits a
/// connection another probe poisoned) and makes the deadline simple: when it fires, the
/// channel is closed and the caller gets `timedOut`. Redirects are answers like any other: the
/// contract pins the status of each call, so a 301 is evidence, never followed.
public struct HTTPClient: Sendable {
    public var timeout: TimeAmount
    /// For `https://` URLs; nil trusts the system's CAs.
    public var tls: TLSClient?
    /// Sent with every request (`target.headers`: a Host override, a WAF bypass token); a header
    /// the request sets itself wins.
    public var extraHeaders: [(String, String)] = []
    private let group: EventLoopGroup

    public init(timeout: TimeAmount = .seconds(10), tls: TLSClient? = nil, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.timeout = timeout
        self.tls = tls
        self.group = group
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let endpoint = try Endpoint(request.url, tls: tls)
        let connection = try await PooledConnection.open(endpoint, timeout: timeout, group: group)
        defer { connection.channel.close(promise: nil) }
        var oneShot = request.adding(extraHeaders)
        oneShot.headers.append(("Connection", "close"))
        return try await connection.exchange(oneShot, timeout: timeout)
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
    /// No answer of the contract is near this; a hostile target must not make us hold gigabytes.
    static let maxBody = 8 << 20

    package init(queue: ResponseQueue) { self.queue = queue }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            guard body.count + buffer.readableBytes <= Self.maxBody else {
                errorCaught(context: context, error: HTTPClientError.bodyTooLarge(limit: Self.maxBody))
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let promise = queue.promises.popFirst() else { return }
            promise.succeed(HTTPResponseData(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: body,
                                             keepAlive: head.isKeepAlive))
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
