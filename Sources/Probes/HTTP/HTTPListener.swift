import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 listener whose connections each get a fresh handler: the auditor's EventBridge
/// endpoint and the reproduction control server are both one handler behind this.
enum HTTPListener {
    static func bind(host: String, port: Int, handler: @escaping @Sendable () -> any ChannelHandler) async throws -> Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(handler())
                }
            }
            .bind(host: host, port: port).get()
    }
}
