import Synchronization
import Wire

/// The fault `ws-location-handlers`: the seeds' (003) WebSocket journey flow, kept here only so the
/// auditor can prove it detects it. Journey state in an in-memory `activeTravelSessions` map, and
/// location pushed to the student over the socket — both forbidden by the contract.
final class TravelHandlers: Sendable {
    private let activeTravelSessions = Mutex<[String: String]>([:])

    func handle(event: String, arguments: [Any], from user: SessionDirectory.User, hub: ChatHub) async -> [Any]? {
        let payload = arguments.first as? [String: Any] ?? [:]
        switch event {
        case "startTravel":
            guard let studentId = payload["studentId"] as? String else { return [["ok": false]] }
            activeTravelSessions.withLock { $0[user.id] = studentId }
            await emit("trainerTravelStarted", ["trainerId": user.id], to: studentId, hub: hub)
            return [["ok": true]]
        case "trainerLocation":
            guard let studentId = activeTravelSessions.withLock({ $0[user.id] }) ?? (payload["studentId"] as? String) else { return [["ok": false]] }
            var update = payload
            update["trainerId"] = user.id
            await emit("trainerLocationUpdate", update, to: studentId, hub: hub)
            await emit("location_\(user.id)", update, to: studentId, hub: hub)
            return [["ok": true]]
        case "stopTravel":
            if let studentId = activeTravelSessions.withLock({ $0.removeValue(forKey: user.id) }) {
                await emit("trainerArrived", ["trainerId": user.id], to: studentId, hub: hub)
            }
            return [["ok": true]]
        case "subscribeToTrainerLocation":
            return [["ok": true, "trainerId": payload["trainerId"] ?? ""]]
        default:
            return nil
        }
    }

    private func emit(_ name: String, _ payload: [String: Any], to userId: String, hub: ChatHub) async {
        let packet = SocketIOPacket.event(name, [payload])
        await hub.send(SocketIOFrame(text: EngineIOPacket(.message, packet.encoded).encoded), to: userId)
    }
}
