import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Wire

/// A minimal RFC 6455 client on NIOWebSocket: text messages in, text messages out, pings answered.
///
/// Written here rather than taken from a WebSocket library because the audit needs two things
/// libraries hide: the exact upgrade headers (python-engineio accepts only its own origin by
/// default, so `Origin` must be the socket URL's `http(s)://host:port`, or what the config says),
/// and, when the upgrade is refused, the server's status and body as evidence.
final class WebSocketConnection: Sendable {
    let channel: Channel
    /// Text messages as they arrive; finishes when the connection closes.
    let messages: AsyncStream<String>

    private init(channel: Channel, messages: AsyncStream<String>) {
        self.channel = channel
        self.messages = messages
    }

    /// Connects and upgrades; throws `WebSocketUpgradeRefused` with the server's answer when it
    /// does not switch protocols.
    static func connect(_ url: URL, headers: [(String, String)], tls: TLSClient? = nil, timeout: TimeAmount,
                        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> WebSocketConnection {
        let endpoint = try Endpoint(url, tls: tls)
        let (messages, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4096))
        let upgraded = group.next().makePromise(of: Void.self)
        let channel: Channel
        do {
            channel = try await Connector.connect(endpoint, timeout: timeout, group: group) { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 20) { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 256, maxAccumulatedFrameSize: 1 << 20))
                        try channel.pipeline.syncOperations.addHandler(WebSocketTextHandler(continuation: continuation))
                        upgraded.succeed(())
                    }
                }
                let configuration: NIOHTTPClientUpgradeSendableConfiguration = (upgraders: [upgrader], completionHandler: { context in
                    // The refusal collector reads HTTP parts: it must be gone before frames flow.
                    if let handler = try? context.pipeline.syncOperations.handler(type: UpgradeRefusalCollector.self) {
                        context.pipeline.syncOperations.removeHandler(handler, promise: nil)
                    }
                })
                // The server's first frame (Engine.IO's open packet) often shares a TCP segment with
                // the 101 answer: the HTTP decoder must hand those bytes on, not drop them.
                try channel.pipeline.syncOperations.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes, withClientUpgrade: configuration)
                try channel.pipeline.syncOperations.addHandler(UpgradeRefusalCollector(promise: upgraded))
            }
        } catch {
            // Never leave a promise behind (NIO treats that as a bug), and say what happened.
            upgraded.fail(error)
            continuation.finish()
            throw error
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: HTTPClient.target(of: url))
        head.headers.add(name: "Host", value: Endpoint.hostHeader(url))
        for (name, value) in headers { head.headers.replaceOrAdd(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            upgraded.fail(HTTPClientError.timedOut(seconds: Double(timeout.nanoseconds) / 1e9))
        }
        do {
            try await upgraded.futureResult.get()
            deadline.cancel()
        } catch {
            deadline.cancel()
            channel.close(promise: nil)
            continuation.finish()
            throw error
        }
        return WebSocketConnection(channel: channel, messages: messages)
    }

    func send(_ text: String) async throws {
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(string: text))
        try await channel.writeAndFlush(frame)
    }

    func close() {
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: channel.allocator.buffer(capacity: 0))
        channel.writeAndFlush(frame).whenComplete { [channel] _ in channel.close(promise: nil) }
    }
}

/// The server did not switch protocols: its status and the start of its body, for the evidence.
public struct WebSocketUpgradeRefused: Error, CustomStringConvertible, Sendable {
    public var status: Int
    public var body: String
    public var description: String {
        "the WebSocket upgrade was refused: \(status)\(body.isEmpty ? "" : " \(body)")"
    }
}

/// Collects a non-upgrade answer (NIO passes it through after the upgrade handler gives up).
final class UpgradeRefusalCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<Void>
    private var status: Int?
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(var buffer): if body.count < 2048 { body += buffer.readBytes(length: min(buffer.readableBytes, 2048 - body.count)) ?? [] }
        case .end: refuse(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // The upgrade handler reports "not upgraded" before passing the answer on; wait for it.
        if error is NIOHTTPClientUpgradeError { return }
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if status != nil { refuse(context) } else { promise.fail(HTTPClientError.connectionClosed) }
        context.fireChannelInactive()
    }

    private func refuse(_ context: ChannelHandlerContext) {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        promise.fail(WebSocketUpgradeRefused(status: status ?? 0, body: text))
        context.close(promise: nil)
    }
}

/// Text frames to the stream, pings answered with pongs, a close frame answered and the channel closed.
final class WebSocketTextHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    private let continuation: AsyncStream<String>.Continuation

    init(continuation: AsyncStream<String>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            continuation.yield(String(buffer: frame.unmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: context.channel.allocator.buffer(capacity: 0))
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}
