import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Stamps each answer with the monotonic time (ns) at which its request's last part was decoded
/// on the connection's event loop — right after the read that carried its final byte. The race
/// probe's spread is about arrival, and this is the closest the server gets to it; the router's
/// `X-Reference-Began-Ns` comes later, once a handler task runs.
final class ArrivalStampHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let headerName = HTTPField.Name("X-Reference-Received-Ns")!
    /// HTTP/1.1 answers in request order, so arrivals pair with response heads first in, first out.
    private var arrivals: CircularBuffer<UInt64> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { arrivals.append(DispatchTime.now().uptimeNanoseconds) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var response) = unwrapOutboundIn(data), let arrived = arrivals.popFirst() else {
            context.write(data, promise: promise)
            return
        }
        response.headerFields[Self.headerName] = String(arrived)
        context.write(wrapOutboundOut(.head(response)), promise: promise)
    }
}
