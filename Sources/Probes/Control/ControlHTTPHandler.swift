import NIOCore
import NIOHTTP1

/// Collects one request, answers it from a task (an answer may wait: `until=` polls for events),
/// then closes the connection: one call per connection, as curl makes them.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: @Sendable (ControlRequest) async -> ControlResponse
    private var head: HTTPRequestHead?

    init(answer: @escaping @Sendable (ControlRequest) async -> ControlResponse) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let request = ControlRequest(method: head.method.rawValue, uri: head.uri)
            let (channel, answer) = (context.channel, answer)
            Task {
                let response = await answer(request)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: response.contentType)
                headers.add(name: "Content-Length", value: String(response.body.utf8.count))
                headers.add(name: "Connection", value: "close")
                let status = HTTPResponseStatus(statusCode: response.status)
                channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: status, headers: headers)), promise: nil)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: response.body))), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
