/// An Engine.IO v4 text packet (https://socket.io/docs/v4/engine-io-protocol/): one digit of type,
/// then the payload. Over WebSocket each frame carries exactly one packet, so no framing is needed.
public struct EngineIOPacket: Sendable, Equatable {
    public enum Kind: Character, Sendable {
        case open = "0", close = "1", ping = "2", pong = "3", message = "4", upgrade = "5", noop = "6"
    }

    public var kind: Kind
    public var payload: String

    public init(_ kind: Kind, _ payload: String = "") {
        self.kind = kind
        self.payload = payload
    }

    /// The type is the first code point, not the first Character: a payload that starts with a
    /// combining mark must not merge with the type digit.
    public init?(parsing text: String) {
        guard let first = text.unicodeScalars.first, let kind = Kind(rawValue: Character(first)) else { return nil }
        self.kind = kind
        self.payload = String(text.unicodeScalars.dropFirst())
    }

    public var encoded: String { String(kind.rawValue) + payload }
}
