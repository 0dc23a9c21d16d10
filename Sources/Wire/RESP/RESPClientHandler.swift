import NIOCore

/// Pipelined RESP client: commands go out in order and replies come back in the same order
/// (Redis guarantees this per connection), so a FIFO of promises pairs each reply with its command.
final class RESPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = (RESPValue, EventLoopPromise<RESPValue>)
    typealias OutboundOut = ByteBuffer

    private var pending: CircularBuffer<EventLoopPromise<RESPValue>> = []
    private var buffer = ByteBuffer()
    private let parser = RESPParser()
    /// For a connection in subscribe mode: takes the values that are pushes (true), so only
    /// replies are paired with commands; called with nil when the connection closes.
    private let pushes: (@Sendable (RESPValue?) -> Bool)?

    init(pushes: (@Sendable (RESPValue?) -> Bool)? = nil) {
        self.pushes = pushes
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
                if let pushes, pushes(value) { continue }
                guard let promise = pending.popFirst() else {
                    context.close(promise: nil)
                    return
                }
                promise.succeed(value)
            }
            buffer.discardReadBytes()
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RESPConnectionError.closed)
        _ = pushes?(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: Error) {
        while let promise = pending.popFirst() { promise.fail(error) }
    }
}
