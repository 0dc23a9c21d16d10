import HummingbirdWebSocket

/// Who is connected, so a chat message can reach the other party of a session.
/// Connections are transport state, not journey state: losing them loses no journey.
/// With Redis, packets go through the `SocketBus`, so a user connected to another instance
/// behind the same load balancer gets them too.
actor ChatHub {
    private var writers: [String: [String: WebSocketOutboundWriter]] = [:]
    private let bus: SocketBus?

    init(bus: SocketBus? = nil) {
        self.bus = bus
    }

    func add(userId: String, sid: String, writer: WebSocketOutboundWriter) {
        writers[userId, default: [:]][sid] = writer
    }

    func remove(userId: String, sid: String) {
        writers[userId]?[sid] = nil
        if writers[userId]?.isEmpty == true { writers[userId] = nil }
    }

    func writers(for userId: String) -> [WebSocketOutboundWriter] {
        Array(writers[userId, default: [:]].values)
    }

    /// Sends one Socket.IO packet to every connection of a user: this instance's at once, the
    /// other instances' through the bus.
    nonisolated func send(_ packet: SocketIOFrame, to userId: String) async {
        await deliver(packet.text, to: userId)
        await bus?.publish(packet.text, to: userId)
    }

    /// Runs `server` with the bus relaying to this instance's connections beside it; the relay
    /// stops when the server does. Without a bus, just runs `server`.
    nonisolated func relaying(while server: () async throws -> Void) async throws {
        guard let bus else { return try await server() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await bus.run { userId, text in await self.deliver(text, to: userId) } }
            defer { group.cancelAll() }
            try await server()
        }
    }

    /// Writes to this instance's connections of a user; a broken connection is skipped.
    private nonisolated func deliver(_ text: String, to userId: String) async {
        for writer in await writers(for: userId) {
            try? await writer.write(.text(text))
        }
    }
}

/// An Engine.IO `message` carrying a Socket.IO packet, ready for a WebSocket text frame.
struct SocketIOFrame: Sendable {
    var text: String
}
