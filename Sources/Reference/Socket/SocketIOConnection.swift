import Foundation
import HummingbirdWebSocket
import Synchronization
import Wire

/// One Socket.IO v4 client over WebSocket (Engine.IO v4, https://socket.io/docs/v4/engine-io-protocol/):
/// the server opens with `0{sid,…}`, pings every `pingInterval` and expects `3` back; the client
/// connects the main namespace with `40{"token":…}` and is answered `40{"sid":…}` or `44{…}`.
final class SocketIOConnection: Sendable {
    let endpoint: SocketIOEndpoint
    let outbound: WebSocketOutboundWriter
    let sid = UUID().uuidString
    let user = Mutex<SessionDirectory.User?>(nil)
    let lastPong = Mutex(ContinuousClock.now)

    init(endpoint: SocketIOEndpoint, outbound: WebSocketOutboundWriter) {
        self.endpoint = endpoint
        self.outbound = outbound
    }

    func run(inbound: WebSocketInboundStream) async throws {
        let open: [String: Any] = [
            "sid": sid, "upgrades": [String](), "maxPayload": 1_000_000,
            "pingInterval": Int(endpoint.pingInterval.inMilliseconds), "pingTimeout": Int(endpoint.pingTimeout.inMilliseconds),
        ]
        try await write(EngineIOPacket(.open, JSONText.encode(open)))
        defer {
            if let user = user.withLock({ $0 }) {
                let (hub, userId, sid) = (endpoint.hub, user.id, sid)
                Task { await hub.remove(userId: userId, sid: sid) }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { [self] group in
            group.addTask { [self] in try await heartbeat() }
            group.addTask { [self] in
                for try await message in inbound.messages(maxSize: 1_000_000) {
                    guard case .text(let text) = message, let packet = EngineIOPacket(parsing: text) else { continue }
                    switch packet.kind {
                    case .pong: lastPong.withLock { $0 = .now }
                    case .ping: try await write(EngineIOPacket(.pong, packet.payload))
                    case .close: return
                    case .message: try await receive(packet.payload)
                    default: continue
                    }
                }
            }
            // Whichever ends first (client gone, or no pong in time) ends the connection.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Server pings (v4: the server pings, the client pongs); a silent client is dropped.
    private func heartbeat() async throws {
        while true {
            try await Task.sleep(for: endpoint.pingInterval)
            try await write(EngineIOPacket(.ping))
            let silentFor = ContinuousClock.now - lastPong.withLock { $0 }
            if silentFor > endpoint.pingInterval * 2 + endpoint.pingTimeout { return }
        }
    }

    private func receive(_ payload: String) async throws {
        guard let packet = try? SocketIOPacket(parsing: payload) else { return }
        switch packet.kind {
        case .connect:
            try await connect(packet)
        case .disconnect:
            if let user = user.withLock({ $0 }) { await endpoint.hub.remove(userId: user.id, sid: sid) }
            user.withLock { $0 = nil }
        case .event:
            guard let user = user.withLock({ $0 }), let event = packet.event else { return }
            if let reply = await endpoint.handle(event: event.name, arguments: event.arguments, from: user), let ackID = packet.ackID {
                try await send(SocketIOPacket(.ack, ackID: ackID, json: JSONText.encode(reply)))
            }
        default:
            return
        }
    }

    private func connect(_ packet: SocketIOPacket) async throws {
        guard packet.namespace == "/" else {
            try await send(SocketIOPacket(.connectError, namespace: packet.namespace, json: #"{"message":"Invalid namespace"}"#))
            return
        }
        let token = packet.object?["token"] as? String
        let found = try? await token.asyncFlatMap { try await endpoint.directory.user(forToken: $0) }
        guard let found else {
            try await send(SocketIOPacket(.connectError, json: #"{"message":"Authentication failed: invalid or missing token"}"#))
            return
        }
        user.withLock { $0 = found }
        await endpoint.hub.add(userId: found.id, sid: sid, writer: outbound)
        try await send(SocketIOPacket(.connect, json: JSONText.encode(["sid": sid])))
    }

    private func send(_ packet: SocketIOPacket) async throws {
        try await write(EngineIOPacket(.message, packet.encoded))
    }

    private func write(_ packet: EngineIOPacket) async throws {
        try await outbound.write(.text(packet.encoded))
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
