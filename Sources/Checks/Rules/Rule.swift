/// One rule of the catalogue: what the contract demands, how to probe it, how to judge it, and
/// which fault switches of the reference must make it fail. All of it is data (rules/journey.yml).
public struct Rule: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var weight: Double
    public var category: String
    public var rationale: String
    public var remediation: String
    public var references: [String]
    public var probe: ProbeSpec
    public var compare: [FactComparison]
    public var faults: [String]
}

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case blocker, important, advisory

    public var defaultWeight: Double {
        switch self {
        case .blocker: return 10
        case .important: return 3
        case .advisory: return 1
        }
    }

    private var rank: Int {
        switch self {
        case .blocker: return 0
        case .important: return 1
        case .advisory: return 2
        }
    }

    /// Blocker sorts first.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

