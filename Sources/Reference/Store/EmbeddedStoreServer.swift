import NIOCore
import NIOPosix
import Wire

/// Serves the embedded store's read commands over RESP on a loopback port (`redisURL` of the
/// reference), so redis-cli and the auditor's inspector read it exactly as they read a real Redis.
public final class EmbeddedStoreServer: Sendable {
    private let channel: Channel
    public let port: Int

    private init(channel: Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// `allowWrites` turns it into a small shared Redis (the demo's, behind the fault proxy);
    /// the reference's own `redisURL` is read-only.
    public static func start(store: EmbeddedStore, host: String = "127.0.0.1", port: Int = 0, allowWrites: Bool = false) async throws -> EmbeddedStoreServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RESPServerHandler(store: store, allowWrites: allowWrites))
                }
            }
            .bind(host: host, port: port).get()
        return EmbeddedStoreServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    public func stop() async {
        try? await channel.close()
    }
}

/// Decodes commands (RESP arrays or inline) and writes the store's answers in order.
final class RESPServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let store: EmbeddedStore
    private let allowWrites: Bool
    private var buffer = ByteBuffer()
    private let parser = RESPParser()

    init(store: EmbeddedStore, allowWrites: Bool) {
        self.store = store
        self.allowWrites = allowWrites
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        var out = context.channel.allocator.buffer(capacity: 256)
        var quit = false
        do {
            while !quit, let command = try parser.parse(&buffer) {
                guard case .array(let items?) = command else {
                    RESPValue.error("ERR expected a command array").encode(into: &out)
                    continue
                }
                let words = items.compactMap(\.string)
                guard !words.isEmpty else { continue }
                store.answer(words, allowWrites: allowWrites).encode(into: &out)
                quit = words[0].uppercased() == "QUIT"
            }
            buffer.discardReadBytes()
        } catch {
            RESPValue.error("ERR Protocol error: \(error)").encode(into: &out)
            quit = true
        }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        if quit { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
