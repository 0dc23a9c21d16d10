import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 client that keeps connections open and reuses them, one request at a time per
/// connection: what the load driver needs to offer thousands of requests a second without paying
/// a TCP handshake (and a TIME_WAIT port) for each. Connections are made on demand, so the pool
/// grows to the peak number of requests in flight; a connection that fails is dropped.
public final class KeepAliveHTTPClient: Sendable {
    private let pool: ConnectionPool
    public let timeout: TimeAmount

    private let extraHeaders: [(String, String)]

    /// Every request must go to `baseURL`'s host, port and scheme (https: TLS with `tls`).
    public init(baseURL: URL, tls: TLSClient? = nil, extraHeaders: [(String, String)] = [], timeout: TimeAmount = .seconds(10)) throws {
        self.pool = ConnectionPool(endpoint: try Endpoint(baseURL, tls: tls), timeout: timeout)
        self.timeout = timeout
        self.extraHeaders = extraHeaders
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let connection = try await pool.acquire()
        do {
            let response = try await connection.exchange(request.adding(extraHeaders), timeout: timeout)
            let reusable = response.keepAlive && connection.channel.isActive
            await pool.release(connection, reusable: reusable)
            return response
        } catch {
            await pool.release(connection, reusable: false)
            throw error
        }
    }

    public func close() async { await pool.closeAll() }
}

actor ConnectionPool {
    private let endpoint: Endpoint
    private let timeout: TimeAmount
    private var idle: [PooledConnection] = []

    init(endpoint: Endpoint, timeout: TimeAmount) {
        self.endpoint = endpoint
        self.timeout = timeout
    }

    func acquire() async throws -> PooledConnection {
        while let connection = idle.popLast() {
            if connection.channel.isActive { return connection }
        }
        return try await PooledConnection.open(endpoint, timeout: timeout)
    }

    func release(_ connection: PooledConnection, reusable: Bool) {
        if reusable { idle.append(connection) } else { connection.channel.close(promise: nil) }
    }

    func closeAll() {
        for connection in idle { connection.channel.close(promise: nil) }
        idle.removeAll()
    }
}

/// One HTTP/1.1 connection: NIOHTTP1's client codec, responses paired with requests in order.
/// The kept-alive pool reuses it; `HTTPClient` uses one per request and closes it.
struct PooledConnection: Sendable {
    let channel: Channel
    let queue: ResponseQueue

    static func open(_ endpoint: Endpoint, timeout: TimeAmount,
                     group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> PooledConnection {
        let queue = ResponseQueue()
        let channel = try await Connector.connect(endpoint, timeout: timeout, group: group) { channel in
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(QueuedResponseHandler(queue: queue))
        }
        return PooledConnection(channel: channel, queue: queue)
    }

    func exchange(_ request: HTTPRequestSpec, timeout: TimeAmount) async throws -> HTTPResponseData {
        var headers = HTTPHeaders()
        // A `Host` among the request's headers (target.headers) replaces the URL's authority.
        headers.add(name: "Host", value: Endpoint.hostHeader(request.url))
        headers.add(name: "Content-Length", value: String(request.body.count))
        for (name, value) in request.headers { headers.replaceOrAdd(name: name, value: value) }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: HTTPClient.target(of: request.url), headers: headers)
        let (channel, queue, body) = (self.channel, self.queue, request.body)
        let future = try await channel.eventLoop.submit {
            let promise = channel.eventLoop.makePromise(of: HTTPResponseData.self)
            queue.expect(promise)
            let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(HTTPClientError.timedOut(seconds: Double(timeout.nanoseconds) / 1e9))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return promise.futureResult
        }.get()
        return try await future.get()
    }
}
