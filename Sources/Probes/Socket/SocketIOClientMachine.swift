import Wire

/// The client side of Socket.IO v4 over a WebSocket, as a value-type state machine: a text frame
/// in, the actions it calls for out (https://socket.io/docs/v4/engine-io-protocol/,
/// https://socket.io/docs/v4/socket-io-protocol/). No socket here, so it is tested without one.
public struct SocketIOClientMachine: Sendable {
    public enum Action: Sendable, Equatable {
        /// Write this text frame.
        case send(String)
        /// The main namespace accepted us.
        case connected(sid: String)
        /// The main namespace refused us (`44`), with the server's message.
        case refused(String)
        /// An event from the server: name and the JSON of its arguments.
        case event(name: String, argumentsJSON: String)
        /// The answer to one of our acks.
        case ack(id: Int, argumentsJSON: String)
        /// The server closed the Engine.IO session.
        case closed
    }

    public enum State: Sendable, Equatable { case awaitingOpen, connecting, connected, closed }

    public private(set) var state = State.awaitingOpen
    let auth: [String: String]

    public init(auth: [String: String]) { self.auth = auth }

    public mutating func receive(_ text: String) -> [Action] {
        guard let packet = EngineIOPacket(parsing: text) else { return [] }
        switch packet.kind {
        case .open:
            state = .connecting
            return [.send(EngineIOPacket(.message, SocketIOPacket(.connect, json: JSONText.encode(auth)).encoded).encoded)]
        case .ping:
            return [.send(EngineIOPacket(.pong, packet.payload).encoded)]
        case .close:
            state = .closed
            return [.closed]
        case .message:
            guard let message = try? SocketIOPacket(parsing: packet.payload), message.namespace == "/" else { return [] }
            switch message.kind {
            case .connect:
                state = .connected
                return [.connected(sid: message.object?["sid"] as? String ?? "")]
            case .connectError:
                state = .closed
                return [.refused(message.object?["message"] as? String ?? message.json ?? "refused")]
            case .event:
                guard let event = message.event else { return [] }
                return [.event(name: event.name, argumentsJSON: JSONText.encode(event.arguments))]
            case .ack:
                guard let id = message.ackID else { return [] }
                return [.ack(id: id, argumentsJSON: message.json ?? "[]")]
            case .disconnect:
                state = .closed
                return [.closed]
            default:
                return []
            }
        default:
            return []
        }
    }

    /// The frame for emitting an event, with an ack id when an answer is wanted.
    public static func emit(_ name: String, argumentsJSON: String, ackID: Int?) -> String {
        let arguments = argumentsJSON.trimmingPrefix("[").dropLast()
        let json = arguments.isEmpty ? "[\(JSONText.encode(name))]" : "[\(JSONText.encode(name)),\(arguments)]"
        return EngineIOPacket(.message, SocketIOPacket(.event, ackID: ackID, json: json).encoded).encoded
    }
}
