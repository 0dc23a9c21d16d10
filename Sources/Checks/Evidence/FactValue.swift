/// One thing a probe saw: a status code, a TTL, a count, a flag, a list of names.
/// `unobserved` carries why it could not be seen (no Redis configured, a request failed…),
/// which makes the finding inconclusive instead of a pass.
public enum FactValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case string(String)
    case strings([String])
    case unobserved(String)

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .string(let s): return s
        case .strings(let list): return list.isEmpty ? "(none)" : list.joined(separator: ", ")
        case .unobserved(let why): return "not observed (\(why))"
        }
    }

    public var isObserved: Bool {
        if case .unobserved = self { return false }
        return true
    }

    public var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case int, bool, string, strings, unobserved }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(Int.self, forKey: .int) { self = .int(v) }
        else if let v = try c.decodeIfPresent(Bool.self, forKey: .bool) { self = .bool(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .string) { self = .string(v) }
        else if let v = try c.decodeIfPresent([String].self, forKey: .strings) { self = .strings(v) }
        else { self = .unobserved(try c.decodeIfPresent(String.self, forKey: .unobserved) ?? "unknown") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .int(let v): try c.encode(v, forKey: .int)
        case .bool(let v): try c.encode(v, forKey: .bool)
        case .string(let v): try c.encode(v, forKey: .string)
        case .strings(let v): try c.encode(v, forKey: .strings)
        case .unobserved(let v): try c.encode(v, forKey: .unobserved)
        }
    }
}
