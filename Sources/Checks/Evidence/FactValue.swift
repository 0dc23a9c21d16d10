import Foundation

/// One thing a probe saw: a status code, a TTL, a count, a flag, a list of names.
/// `unobserved` carries why it could not be seen (no Redis configured, a request failed…),
/// which makes the finding inconclusive instead of a pass.
public enum FactValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case string(String)
    case strings([String])
    /// A measurement (milliseconds, a rate) judged against a stated limit.
    case number(Double)
    case unobserved(String)

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .string(let s): return s
        case .strings(let list): return list.isEmpty ? "(none)" : list.joined(separator: ", ")
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(format: "%.3g", n)
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

    /// Ints and measurements as one number, for limits.
    public var numberValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let n): return n
        default: return nil
        }
    }

    /// One fact built from several observations (one per round, per mode…): observed only when
    /// every part was. An unobserved part never turns into text that could differ from the
    /// reference's (issue 10: a Redis read that failed must not fail a rule).
    public static func combined(_ parts: [(label: String?, value: FactValue)]) -> FactValue {
        if let missing = parts.first(where: { !$0.value.isObserved }) { return missing.value }
        return .strings(parts.map { part in part.label.map { "\($0): \(part.value)" } ?? part.value.description })
    }

    private enum CodingKeys: String, CodingKey { case int, bool, string, strings, number, unobserved }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(Int.self, forKey: .int) { self = .int(v) }
        else if let v = try c.decodeIfPresent(Bool.self, forKey: .bool) { self = .bool(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .string) { self = .string(v) }
        else if let v = try c.decodeIfPresent([String].self, forKey: .strings) { self = .strings(v) }
        else if let v = try c.decodeIfPresent(Double.self, forKey: .number) { self = .number(v) }
        else { self = .unobserved(try c.decodeIfPresent(String.self, forKey: .unobserved) ?? "unknown") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .int(let v): try c.encode(v, forKey: .int)
        case .bool(let v): try c.encode(v, forKey: .bool)
        case .string(let v): try c.encode(v, forKey: .string)
        case .strings(let v): try c.encode(v, forKey: .strings)
        case .number(let v): try c.encode(v, forKey: .number)
        case .unobserved(let v): try c.encode(v, forKey: .unobserved)
        }
    }
}
