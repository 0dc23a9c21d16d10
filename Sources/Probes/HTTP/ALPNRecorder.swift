import NIOCore
import NIOTLS

/// Records which protocol TLS negotiated by ALPN (NIOSSL tells only through its
/// handshake-completed event) and, when it is `h2`, adds the HTTP/2 handlers right there, in the
/// same pass: the server sends its SETTINGS as soon as the handshake ends, and they must meet an
/// HTTP/2 handler, never the pipeline's tail. Read `chosen` on the channel's loop once `Connector`
/// returned (it waits for the handshake). Event-loop confined.
final class ALPNRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private(set) var chosen: String?
    private let onH2: (ChannelPipeline.SynchronousOperations) throws -> Void

    init(onH2: @escaping (ChannelPipeline.SynchronousOperations) throws -> Void) { self.onH2 = onH2 }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let proto)? = event as? TLSUserEvent {
            chosen = proto
            if proto == "h2" {
                do { try onH2(context.pipeline.syncOperations) } catch { context.fireErrorCaught(error) }
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
