import Foundation
import HTTPTypes
import Wire

/// `/socket.io/`: chat only. The only event with a handler is `chatMessage`, relayed to the other
/// party of its session. Under `ws-location-handlers` the seeds' travel handlers exist as well.
struct SocketIOEndpoint: Sendable {
    let directory: SessionDirectory
    let hub: ChatHub
    let travel: TravelHandlers?
    /// The fault `ws-start-handler`: `startTravel` starts the journey, silently.
    let silentStart: (@Sendable (_ sessionId: String, _ caller: SessionDirectory.User) async -> Void)?
    /// The fault `ws-subscribe-push`: the subscription handler exists (and never acks).
    let silentSubscribe: Bool
    var pingInterval: Duration = .seconds(25)
    var pingTimeout: Duration = .seconds(20)

    /// `bus`: with Redis, the hub delivers across instances.
    init(service: JourneyService, faults: Set<Fault>, bus: SocketBus? = nil) {
        self.directory = service.directory
        self.hub = ChatHub(bus: bus)
        self.travel = faults.contains(.wsLocationHandlers) ? TravelHandlers() : nil
        self.silentSubscribe = service.pushes != nil
        service.pushes?.attach(hub)
        if faults.contains(.wsStartHandler) {
            self.silentStart = { @Sendable sessionId, caller in await service.startFromSocket(sessionId: sessionId, caller: caller) }
        } else {
            self.silentStart = nil
        }
    }

    /// The variant `socket-own-origin` (python-engineio's default): an `Origin`, when sent, must be
    /// this server's own, `http://` + the Host the client addressed, or, behind a proxy that says
    /// so (`X-Forwarded-Proto`/`X-Forwarded-Host`, as python-engineio reads them), the proxy's.
    static func acceptsOrigin(_ request: HTTPRequest) -> Bool {
        guard let origin = request.headerFields[.origin] else { return true }
        guard let authority = request.authority else { return false }
        var own = ["http://\(authority)"]
        let proto = request.headerFields[HTTPField.Name("X-Forwarded-Proto")!], host = request.headerFields[HTTPField.Name("X-Forwarded-Host")!]
        if proto != nil || host != nil {
            func first(_ text: String?) -> String? { text?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } }
            own.append("\(first(proto) ?? "http")://\(first(host) ?? authority)")
        }
        return own.contains(origin)
    }

    /// Engine.IO v4 over WebSocket only: `/socket.io/?EIO=4&transport=websocket`.
    static func accepts(_ request: HTTPRequest) -> Bool {
        guard let target = request.path, let components = URLComponents(string: target) else { return false }
        let path = components.path
        guard path == "/socket.io/" || path == "/socket.io" else { return false }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        return query["EIO"] == "4" && query["transport"] == "websocket"
    }

    /// Answers one event; the returned value is the ack's argument list (nil: no handler, no ack).
    func handle(event: String, arguments: [Any], from user: SessionDirectory.User) async -> [Any]? {
        if event == "chatMessage" {
            return await relayChat(arguments.first as? [String: Any] ?? [:], from: user)
        }
        if event == "startTravel", let silentStart, let sessionId = (arguments.first as? [String: Any])?["sessionId"] as? String {
            await silentStart(sessionId, user)
            return nil
        }
        if event == "subscribeToTrainerLocation", silentSubscribe { return nil }
        return await travel?.handle(event: event, arguments: arguments, from: user, hub: hub)
    }

    private func relayChat(_ message: [String: Any], from user: SessionDirectory.User) async -> [Any] {
        guard let sessionId = message["sessionId"] as? String, let text = message["text"] as? String else {
            return [["ok": false, "error": "chatMessage needs {sessionId, text}"]]
        }
        guard let session = try? await directory.session(sessionId),
              user.id == session.trainerId || user.id == session.studentId else {
            return [["ok": false, "error": "not a party to this session"]]
        }
        let recipient = user.id == session.trainerId ? session.studentId : session.trainerId
        let relayed = SocketIOPacket.event("chatMessage", [["sessionId": sessionId, "text": text, "from": user.id]])
        await hub.send(SocketIOFrame(text: EngineIOPacket(.message, relayed.encoded).encoded), to: recipient)
        return [["ok": true]]
    }
}
