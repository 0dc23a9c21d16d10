import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy that fails on command, on Toxiproxy's model (a listen address, an upstream, a
/// mode): the target reaches its Redis through it, and a probe cuts the store mid-scenario.
public final class FaultProxy: Sendable {
    public enum Mode: Sendable, Equatable, CustomStringConvertible {
        /// Relay both ways.
        case pass
        /// Refuse: every connection is closed at once, new ones as soon as they are accepted.
        case down
        /// Accept and never answer: bytes in either direction are dropped.
        case timeout
        /// Relay, each chunk delayed.
        case latency(milliseconds: Int)

        public var description: String {
            switch self {
            case .pass: return "pass"
            case .down: return "down"
            case .timeout: return "timeout"
            case .latency(let ms): return "latency \(ms) ms"
            }
        }
    }

    let shared: ProxyState
    private let listener: Channel
    public let port: Int
    public let upstreamHost: String
    public let upstreamPort: Int

    public static func start(listenHost: String = "127.0.0.1", listenPort: Int = 0, upstreamHost: String, upstreamPort: Int) async throws -> FaultProxy {
        let shared = ProxyState()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                ProxyConnection.accept(inbound, upstreamHost: upstreamHost, upstreamPort: upstreamPort, shared: shared)
            }
            .bind(host: listenHost, port: listenPort).get()
        return FaultProxy(shared: shared, listener: listener, port: listener.localAddress?.port ?? listenPort,
                          upstreamHost: upstreamHost, upstreamPort: upstreamPort)
    }

    private init(shared: ProxyState, listener: Channel, port: Int, upstreamHost: String, upstreamPort: Int) {
        self.shared = shared
        self.listener = listener
        self.port = port
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
    }

    public var mode: Mode { shared.mode.withLock { $0 } }

    /// Switches mode; `down` also drops every open connection, as a crashed store would.
    public func setMode(_ mode: Mode) {
        shared.mode.withLock { $0 = mode }
        if mode == .down { shared.closeAll() }
    }

    public func stop() async {
        shared.closeAll()
        try? await listener.close()
    }
}

/// Mode and open connections, shared by the listener and every relay.
final class ProxyState: Sendable {
    let mode = Mutex(FaultProxy.Mode.pass)
    let open = Mutex<[ObjectIdentifier: Channel]>([:])

    func track(_ channel: Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [self] _ in _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
    }

    func closeAll() {
        for channel in open.withLock({ Array($0.values) }) { channel.close(promise: nil) }
    }
}

/// One accepted connection: paired with an upstream connection and relayed per the mode.
enum ProxyConnection {
    static func accept(_ inbound: Channel, upstreamHost: String, upstreamPort: Int, shared: ProxyState) -> EventLoopFuture<Void> {
        if shared.mode.withLock({ $0 }) == .down { return inbound.close() }
        shared.track(inbound)
        return inbound.eventLoop.makeCompletedFuture {
            try inbound.pipeline.syncOperations.addHandler(RelayHandler(shared: shared, upstream: (upstreamHost, upstreamPort)))
        }
    }
}

/// Forwards bytes to the partner channel, unless the mode says drop or delay them.
/// Both channels of a pair share one event loop, so `partner` is only touched on it.
final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let shared: ProxyState
    /// Set on the accepted side: where to connect once this channel is active.
    private let upstream: (host: String, port: Int)?
    var partner: Channel?

    init(shared: ProxyState, partner: Channel? = nil, upstream: (host: String, port: Int)? = nil) {
        self.shared = shared
        self.partner = partner
        self.upstream = upstream
    }

    /// The accepted side connects upstream only once it is active, and reads (autoRead is off) only
    /// once the upstream is there: a read asked for before activation would be lost and the pair stall.
    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        guard let upstream else { return }
        let inbound = context.channel
        let shared = self.shared
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayHandler(shared: shared, partner: inbound))
                }
            }
            .connect(host: upstream.host, port: upstream.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    shared.track(channel)
                    bound.value.partner = channel
                    inbound.read()
                case .failure:
                    inbound.close(promise: nil)
                }
            }
    }

    /// When the last delayed chunk leaves: nothing overtakes it, so a stream stays in order when
    /// latency ends (a Redis client that kept its connection past a command timeout still gets
    /// its replies in the order it sent the commands).
    private var lastDue = NIODeadline.distantPast

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let partner else { return }
        switch shared.mode.withLock({ $0 }) {
        case .pass:
            relay(buffer, to: partner, after: .zero, on: context.eventLoop)
        case .latency(let ms):
            relay(buffer, to: partner, after: .milliseconds(Int64(ms)), on: context.eventLoop)
        case .timeout:
            return
        case .down:
            context.close(promise: nil)
        }
    }

    private func relay(_ buffer: ByteBuffer, to partner: Channel, after delay: TimeAmount, on loop: EventLoop) {
        let now = NIODeadline.now()
        let due = max(now + delay, lastDue)
        guard due > now else { return partner.writeAndFlush(buffer, promise: nil) }
        lastDue = due
        // Equal deadlines run in the order they were scheduled.
        loop.scheduleTask(deadline: due) { partner.writeAndFlush(buffer, promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
