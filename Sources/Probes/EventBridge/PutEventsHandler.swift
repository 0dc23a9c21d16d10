import Foundation
import NIOCore
import NIOHTTP1

/// Parses one PutEvents request, records its entries, answers as the endpoint's mode says.
final class PutEventsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: EndpointState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: EndpointState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            if body.count < 1 << 20 { body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        case .end:
            guard let head else { return }
            let entries = Self.entries(head: head, body: body)
            let mode = state.state.withLock { state -> EventBridgeEndpoint.Mode in
                state.received += entries
                if state.mode == .hang { state.held.append(context.channel) }
                return state.mode
            }
            respond(context: context, mode: mode, entryCount: max(entries.count, 1))
        }
    }

    private func respond(context: ChannelHandlerContext, mode: EventBridgeEndpoint.Mode, entryCount: Int) {
        let (status, json): (HTTPResponseStatus, String)
        switch mode {
        case .hang:
            return
        case .accept:
            let ids = (0..<entryCount).map { _ in #"{"EventId":"\#(UUID().uuidString.lowercased())"}"# }
            (status, json) = (.ok, #"{"Entries":[\#(ids.joined(separator: ","))],"FailedEntryCount":0}"#)
        case .failedEntries:
            let failed = Array(repeating: #"{"ErrorCode":"InternalFailure","ErrorMessage":"auditor: entry rejected on purpose"}"#, count: entryCount)
            (status, json) = (.ok, #"{"Entries":[\#(failed.joined(separator: ","))],"FailedEntryCount":\#(entryCount)}"#)
        case .serverError:
            (status, json) = (.internalServerError, #"{"__type":"InternalException","message":"auditor: server error on purpose"}"#)
        case .throttle:
            (status, json) = (.badRequest, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
        headers.add(name: "Content-Length", value: String(json.utf8.count))
        headers.add(name: "x-amzn-RequestId", value: UUID().uuidString.lowercased())
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: json)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// The entries of a PutEvents body; a body that is not one still counts as one (empty) entry,
    /// so a malformed publish is visible as evidence rather than silently dropped.
    static func entries(head: HTTPRequestHead, body: [UInt8]) -> [EventBridgeEndpoint.Received] {
        let target = head.headers.first(name: "X-Amz-Target")
        let contentType = head.headers.first(name: "Content-Type")
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let entries = json?["Entries"] as? [[String: Any]] ?? [[:]]
        return entries.map { entry in
            let detailText = entry["Detail"] as? String
            let detail = detailText.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] } ?? [:]
            return EventBridgeEndpoint.Received(
                target: target, contentType: contentType,
                busName: entry["EventBusName"] as? String, source: entry["Source"] as? String,
                detailType: entry["DetailType"] as? String,
                detail: detail.mapValues { "\($0)" }, detailText: detailText
            )
        }
    }
}
