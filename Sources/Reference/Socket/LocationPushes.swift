import Synchronization
import Wire

/// The fault `ws-subscribe-push`: seeds/003's student subscription, in the shape that hides best.
/// The `subscribeToTrainerLocation` handler exists but never acks; every accepted HTTP update is
/// then pushed to the session's student as `location_{trainerId}` over the socket (through the
/// hub, so across instances too). Nothing answers an emit, and the push happens only while a
/// journey runs over HTTP: a probe that only emits and waits for acks sees nothing.
final class LocationPushes: Sendable {
    private let hub = Mutex<ChatHub?>(nil)

    /// The socket endpoint's hub, once it exists (the service is built first).
    func attach(_ hub: ChatHub) { self.hub.withLock { $0 = hub } }

    func push(_ point: LocationRecord, trainerId: String, to studentId: String) async {
        guard let hub = hub.withLock({ $0 }) else { return }
        var payload = point.object
        payload["trainerId"] = trainerId
        let packet = SocketIOPacket.event("location_\(trainerId)", [payload])
        await hub.send(SocketIOFrame(text: EngineIOPacket(.message, packet.encoded).encoded), to: studentId)
    }
}
