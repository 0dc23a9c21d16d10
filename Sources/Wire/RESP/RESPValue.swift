import NIOCore

/// One value of the Redis serialization protocol, RESP2 (https://redis.io/docs/latest/develop/reference/protocol-spec/).
///
/// RESP2 is all we need: the reference writes with it and the auditor inspects with it, and every
/// Redis since 2.0 speaks it by default, so a production Redis answers the inspector without `HELLO 3`.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// `nil` is the null bulk string (`$-1`), Redis's "no such key".
    case bulkString([UInt8]?)
    /// `nil` is the null array (`*-1`).
    case array([RESPValue]?)

    /// A bulk string from text; commands are sent as arrays of these.
    public static func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }

    /// The value read as text, for the types that carry text.
    public var string: String? {
        switch self {
        case .simpleString(let s): return s
        case .bulkString(let bytes?): return String(decoding: bytes, as: UTF8.self)
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let i): return i
        case .simpleString(let s): return Int(s)
        case .bulkString(let bytes?): return Int(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): return true
        default: return false
        }
    }

    /// Appends the wire form of this value.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let s):
            buffer.writeString("+\(s)\r\n")
        case .error(let s):
            buffer.writeString("-\(s)\r\n")
        case .integer(let i):
            buffer.writeString(":\(i)\r\n")
        case .bulkString(nil):
            buffer.writeString("$-1\r\n")
        case .bulkString(let bytes?):
            buffer.writeString("$\(bytes.count)\r\n")
            buffer.writeBytes(bytes)
            buffer.writeString("\r\n")
        case .array(nil):
            buffer.writeString("*-1\r\n")
        case .array(let items?):
            buffer.writeString("*\(items.count)\r\n")
            for item in items { item.encode(into: &buffer) }
        }
    }

    /// The command form: an array of bulk strings.
    public static func command(_ words: [String]) -> RESPValue {
        .array(words.map(RESPValue.bulk))
    }
}
