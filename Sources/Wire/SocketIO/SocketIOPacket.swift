import Foundation

/// A Socket.IO v5-protocol packet (Socket.IO v4 servers; https://socket.io/docs/v4/socket-io-protocol/),
/// carried in an Engine.IO `message`: `<type>[<namespace>,][<ackId>][<JSON>]`.
public struct SocketIOPacket: Sendable, Equatable {
    public enum Kind: Character, Sendable {
        case connect = "0", disconnect = "1", event = "2", ack = "3", connectError = "4", binaryEvent = "5", binaryAck = "6"
    }

    public var kind: Kind
    public var namespace: String
    public var ackID: Int?
    /// The JSON payload as text (an object for connect, an array for events and acks), or nil.
    public var json: String?

    public init(_ kind: Kind, namespace: String = "/", ackID: Int? = nil, json: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.ackID = ackID
        self.json = json
    }

    public enum ParseError: Error, Equatable {
        case empty, unknownType(Character), binaryUnsupported
    }

    public init(parsing text: String) throws {
        guard let scalar = text.unicodeScalars.first else { throw ParseError.empty }
        let first = Character(scalar)
        guard let kind = Kind(rawValue: first) else { throw ParseError.unknownType(first) }
        if kind == .binaryEvent || kind == .binaryAck { throw ParseError.binaryUnsupported }
        self.kind = kind
        var rest = Substring(String(text.unicodeScalars.dropFirst()))
        namespace = "/"
        if rest.first == "/" {
            if let comma = rest.firstIndex(of: ",") {
                namespace = String(rest[..<comma])
                rest = rest[rest.index(after: comma)...]
            } else {
                namespace = String(rest)
                rest = ""
            }
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        ackID = digits.isEmpty ? nil : Int(digits)
        rest = rest.dropFirst(digits.count)
        json = rest.isEmpty ? nil : String(rest)
    }

    public var encoded: String {
        var text = String(kind.rawValue)
        // The default namespace is left out, unless the payload would then read as a namespace.
        if namespace != "/" || json?.first == "/" { text += namespace + "," }
        if let ackID { text += String(ackID) }
        if let json { text += json }
        return text
    }

    /// An event packet: `["name", arg…]`.
    public static func event(_ name: String, _ arguments: [Any] = [], ackID: Int? = nil) -> SocketIOPacket {
        SocketIOPacket(.event, ackID: ackID, json: JSONText.encode([name] + arguments))
    }

    /// The event name and its arguments, for an event packet.
    public var event: (name: String, arguments: [Any])? {
        guard kind == .event, let json,
              let array = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [Any],
              let name = array.first as? String else { return nil }
        return (name, Array(array.dropFirst()))
    }

    /// The payload parsed as a JSON object (connect auth, connect error data).
    public var object: [String: Any]? {
        guard let json else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
    }
}

/// JSON text from Foundation values, with sorted keys so packets are reproducible.
public enum JSONText {
    /// Any JSON value, including a bare string or number; "null" for what JSON cannot carry.
    public static func encode(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
