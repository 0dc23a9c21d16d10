import NIOCore
import NIOHPACK
import NIOHTTP2
import Wire

/// The tail of an HTTP/2 client connection driven frame by frame (no stream multiplexer): so the
/// single-packet race can write every request but its final frame, then release all N final
/// frames with one flush — one `NIOHTTP2Handler.flush`, one `writev` (swift-nio-http2 1.46:
/// stream-channel flushes would each flush the connection). Event-loop confined.
final class H2FrameClient: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private struct Open {
        var status = 0
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        let promise: EventLoopPromise<HTTPResponseData>
    }

    /// The server's first SETTINGS (its MAX_CONCURRENT_STREAMS bounds a batch).
    let peerSettings: EventLoopPromise<HTTP2Settings>
    private var settingsSeen = false
    private var context: ChannelHandlerContext?
    private var nextID = 1
    private var open: [HTTP2StreamID: Open] = [:]
    private var pings: [UInt64: EventLoopPromise<Void>] = [:]

    init(loop: EventLoop) { peerSettings = loop.makePromise() }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { abandon(H2ClientError.closed) }

    func channelInactive(context: ChannelHandlerContext) {
        abandon(H2ClientError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        abandon(error)
        context.close(promise: nil)
    }

    /// Fails whatever still waits (the peer's SETTINGS, answers, pings); also when the handler
    /// never joined a pipeline (the server did not choose h2), so no promise is left unfulfilled.
    func abandon(_ error: Error) {
        if !settingsSeen {
            settingsSeen = true
            peerSettings.fail(error)
        }
        failAll(error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .settings(.settings(let settings)) where !settingsSeen:
            settingsSeen = true
            peerSettings.succeed(settings)
        case .ping(let data, ack: true):
            pings.removeValue(forKey: data.integer)?.succeed(())
        case .headers(let headers):
            if let status = headers.headers.first(name: ":status").flatMap(Int.init), status >= 200 {
                open[frame.streamID]?.status = status
                open[frame.streamID]?.headers = headers.headers.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) }
            }
            if headers.endStream { finish(frame.streamID) }
        case .data(let data):
            if case .byteBuffer(let buffer) = data.data { open[frame.streamID]?.body += Array(buffer.readableBytesView) }
            if data.endStream { finish(frame.streamID) }
        case .rstStream(let code):
            open.removeValue(forKey: frame.streamID)?.promise.fail(H2ClientError.reset(String(describing: code)))
        default:
            break
        }
    }

    /// Writes HEADERS (without END_STREAM) and the body but its last byte; returns the withheld
    /// final frame (the last byte, or an empty DATA with END_STREAM): the server cannot act
    /// before it arrives, whatever it does with content-length.
    func prepare(_ request: HTTPRequestSpec, answer: EventLoopPromise<HTTPResponseData>, written: EventLoopPromise<Void>) -> HTTP2Frame {
        let id = HTTP2StreamID(nextID)
        nextID += 2
        open[id] = Open(promise: answer)
        let body = request.body
        let head = HTTP2Frame(streamID: id, payload: .headers(.init(headers: Self.headers(request), endStream: false)))
        context?.write(wrapOutboundOut(head), promise: body.count > 1 ? nil : written)
        if body.count > 1 {
            let data = HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(ByteBuffer(bytes: body.dropLast())), endStream: false)))
            context?.write(wrapOutboundOut(data), promise: written)
        }
        return HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(ByteBuffer(bytes: body.suffix(1))), endStream: true)))
    }

    func flush() { context?.flush() }

    /// A PING after the prepared frames: its ACK means the server has read all of them.
    func ping(_ promise: EventLoopPromise<Void>) {
        let value = UInt64.random(in: .min ... .max)
        pings[value] = promise
        context?.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: value), ack: false))), promise: nil)
    }

    /// The release: N writes, one flush.
    func release(_ finals: [HTTP2Frame]) {
        guard let context else { return }
        for frame in finals { context.write(wrapOutboundOut(frame), promise: nil) }
        context.flush()
    }

    /// HTTP/2 request headers: pseudo-headers first, then lower-cased fields, without the
    /// connection-specific ones RFC 9113 §8.2.2 forbids (and `host`, carried by `:authority`).
    static func headers(_ request: HTTPRequestSpec) -> HPACKHeaders {
        let url = request.url
        let authority = (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var headers = HPACKHeaders([(":method", request.method), (":scheme", url.scheme == "https" ? "https" : "http"),
                                    (":authority", authority), (":path", path)])
        let forbidden: Set<String> = ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length"]
        for (name, value) in request.headers where !forbidden.contains(name.lowercased()) { headers.add(name: name.lowercased(), value: value) }
        if !request.body.isEmpty { headers.add(name: "content-length", value: String(request.body.count)) }
        return headers
    }

    private func finish(_ id: HTTP2StreamID) {
        guard let exchange = open.removeValue(forKey: id) else { return }
        exchange.promise.succeed(HTTPResponseData(status: exchange.status, headers: exchange.headers, body: exchange.body))
    }

    private func failAll(_ error: Error) {
        let all = open
        open.removeAll()
        for (_, exchange) in all { exchange.promise.fail(error) }
        for (_, ping) in pings { ping.fail(error) }
        pings.removeAll()
    }
}

public enum H2ClientError: Error, CustomStringConvertible {
    case closed
    case reset(String)
    case tooManyStreams(Int, allowed: Int)
    case notNegotiated(String?)

    public var description: String {
        switch self {
        case .closed: return "the HTTP/2 connection closed before every answer"
        case .reset(let code): return "the server reset the stream (\(code))"
        case .tooManyStreams(let n, let allowed): return "\(n) requests at once, but the server allows \(allowed) streams per connection"
        case .notNegotiated(let chosen): return "the server did not choose HTTP/2 by ALPN (\(chosen.map { "it chose \($0)" } ?? "it chose nothing"))"
        }
    }
}
