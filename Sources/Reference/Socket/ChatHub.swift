import HummingbirdWebSocket

/// Who is connected, so a chat message can reach the other party of a session.
/// Connections are transport state, not journey state: losing them loses no journey.
actor ChatHub {
    private var writers: [String: [String: WebSocketOutboundWriter]] = [:]

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

    /// Sends one Socket.IO packet to every connection of a user; a broken connection is skipped.
    nonisolated func send(_ packet: SocketIOFrame, to userId: String) async {
        for writer in await writers(for: userId) {
            try? await writer.write(.text(packet.text))
        }
    }
}

/// An Engine.IO `message` carrying a Socket.IO packet, ready for a WebSocket text frame.
struct SocketIOFrame: Sendable {
    var text: String
}
