import NIOCore
import NIOPosix

/// One connection in subscribe mode (https://redis.io/docs/latest/develop/interact/pubsub/):
/// the payloads published on one channel, as a stream that ends when the connection does.
///
/// A connection in subscribe mode accepts no other command, so it is never a `RESPConnection`:
/// publishing goes over an ordinary one. Pub/sub is fire-and-forget: what is published while no
/// subscriber is connected is lost, so a caller that must keep listening re-subscribes itself.
public final class RESPSubscriber: Sendable {
    private let connection: Channel
    private let timeout: TimeAmount
    /// The payloads of the `message` pushes for the channel; finishes when the connection closes.
    public let messages: AsyncStream<String>

    private init(connection: Channel, timeout: TimeAmount, messages: AsyncStream<String>) {
        self.connection = connection
        self.timeout = timeout
        self.messages = messages
    }

    /// Connects (over TLS for `rediss://`, with `tls` or the system's CAs), authenticates when the
    /// URL has credentials, and returns once Redis confirmed `SUBSCRIBE channel` within `timeout`.
    /// No `SELECT`: pub/sub channels are not per database.
    public static func subscribe(
        to url: RedisURL,
        tls: TLSClient? = nil,
        channel name: String,
        timeout: TimeAmount = .seconds(1),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RESPSubscriber {
        let (messages, continuation) = AsyncStream.makeStream(of: String.self)
        let connection: Channel
        do {
            connection = try await Connector.connect(host: url.host, port: url.port, tls: url.usesTLS ? (tls ?? .systemDefault) : nil,
                                                     timeout: timeout, group: group) { channel in
                try channel.pipeline.syncOperations.addHandler(RESPSubscriberHandler(channel: name, messages: continuation))
            }
        } catch {
            continuation.finish()
            throw error
        }
        // A reader that stops listening (its task cancelled) needs the connection no more.
        continuation.onTermination = { _ in connection.close(promise: nil) }
        let subscriber = RESPSubscriber(connection: connection, timeout: timeout, messages: messages)
        do {
            if let password = url.password {
                try await subscriber.checked(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            let reply = try await subscriber.checked(["SUBSCRIBE", name])
            guard case .array(let items?) = reply, items.count == 3, items[0].string == "subscribe", items[1].string == name else {
                throw RESPConnectionError.serverError("unexpected answer to SUBSCRIBE: \(reply)")
            }
        } catch {
            subscriber.close()
            throw error
        }
        return subscriber
    }

    /// Closes the connection; `messages` then finishes.
    public func close() {
        connection.close(promise: nil)
    }

    /// One command and its reply within `timeout` (after a timeout the connection is closed, as
    /// in `RESPConnection`, since a late reply would answer the next command).
    @discardableResult
    private func checked(_ words: [String]) async throws -> RESPValue {
        let promise = connection.eventLoop.makePromise(of: RESPValue.self)
        let connection = self.connection
        let deadline = connection.eventLoop.scheduleTask(in: timeout) {
            promise.fail(RESPConnectionError.timedOut)
            connection.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        connection.writeAndFlush((RESPValue.command(words), promise)).whenFailure { promise.fail($0) }
        let reply = try await promise.futureResult.get()
        if case .error(let message) = reply { throw RESPConnectionError.serverError(message) }
        return reply
    }
}

/// Reads a connection in subscribe mode. Replies to our own commands (AUTH, SUBSCRIBE) still come
/// in order, but `message` pushes arrive unsolicited at any time, so each value is sorted first:
/// a push for our channel goes to the stream, anything else answers the oldest command waiting.
final class RESPSubscriberHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = (RESPValue, EventLoopPromise<RESPValue>)
    typealias OutboundOut = ByteBuffer

    private let channelName: String
    private let messages: AsyncStream<String>.Continuation
    private var pending: CircularBuffer<EventLoopPromise<RESPValue>> = []
    private var buffer = ByteBuffer()
    private let parser = RESPParser()

    init(channel: String, messages: AsyncStream<String>.Continuation) {
        self.channelName = channel
        self.messages = messages
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let (command, replyPromise) = unwrapOutboundIn(data)
        var out = context.channel.allocator.buffer(capacity: 64)
        command.encode(into: &out)
        pending.append(replyPromise)
        context.write(wrapOutboundOut(out), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let value = try parser.parse(&buffer) {
                if let payload = Self.payload(of: value, on: channelName) {
                    messages.yield(payload)
                } else {
                    // A reply to no command (a push we did not ask for) is dropped.
                    pending.popFirst()?.succeed(value)
                }
            }
            buffer.discardReadBytes()
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RESPConnectionError.closed)
        messages.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(error)
        context.close(promise: nil)
    }

    /// `["message", channel, payload]`, the RESP2 form of a published message.
    static func payload(of value: RESPValue, on channel: String) -> String? {
        guard case .array(let items?) = value, items.count == 3, items[0].string == "message", items[1].string == channel else { return nil }
        return items[2].string
    }

    private func failAll(_ error: Error) {
        while let promise = pending.popFirst() { promise.fail(error) }
    }
}
