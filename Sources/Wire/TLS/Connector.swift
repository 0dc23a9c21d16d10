import NIOCore
import NIOPosix

/// Opens every client connection of the auditor: TCP with a connect deadline and no Nagle delay,
/// TLS first in the pipeline when the endpoint asks for it, then the caller's handlers. Returns
/// only once the TLS handshake is done, so a refused certificate is reported as itself, never as
/// "the connection closed" of the request that happened to be written first.
public enum Connector {
    public static func connect(
        host: String, port: Int, tls: TLSClient?, timeout: TimeAmount,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        initializer: @escaping @Sendable (Channel) throws -> Void
    ) async throws -> Channel {
        let loop = group.next()
        let handshake = tls.map { _ in loop.makePromise(of: Void.self) }
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls, let handshake { try tls.addHandler(to: channel.pipeline.syncOperations, host: host, handshake: handshake) }
                        try initializer(channel)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            handshake?.fail(error)
            throw error
        }
        guard let handshake else { return channel }
        let deadline = loop.scheduleTask(in: timeout) { handshake.fail(TLSHandshakeTimeout(seconds: Double(timeout.nanoseconds) / 1e9)) }
        defer { deadline.cancel() }
        do { try await handshake.futureResult.get() } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }

    public static func connect(_ endpoint: Endpoint, timeout: TimeAmount, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               initializer: @escaping @Sendable (Channel) throws -> Void) async throws -> Channel {
        try await connect(host: endpoint.host, port: endpoint.port, tls: endpoint.tls, timeout: timeout, group: group, initializer: initializer)
    }
}
