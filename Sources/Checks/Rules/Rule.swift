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
    /// Where the fix goes, for the action plan (backend, app, infrastructure).
    public var component: Component?
    /// How long a fix takes, as seed 002 estimates it: hours, a day, days.
    public var effort: Effort?
    /// The root cause in a few words; rules one fix repairs share it, so the plan names that fix once.
    public var cause: String?
    /// What must not regress while fixing it (and which rules guard that).
    public var keep: String?

    public init(id: String, title: String, severity: Severity, weight: Double, category: String, rationale: String, remediation: String,
                references: [String], probe: ProbeSpec, compare: [FactComparison], faults: [String],
                component: Component? = nil, effort: Effort? = nil, cause: String? = nil, keep: String? = nil) {
        self.id = id
        self.title = title
        self.severity = severity
        self.weight = weight
        self.category = category
        self.rationale = rationale
        self.remediation = remediation
        self.references = references
        self.probe = probe
        self.compare = compare
        self.faults = faults
        self.component = component
        self.effort = effort
        self.cause = cause
        self.keep = keep
    }

    /// The part of the system a fix changes: the action plan groups by it.
    public enum Component: String, Sendable, Codable, CaseIterable {
        case backend, app, infrastructure
    }

    /// The effort class of a fix, as the hand-written reviews estimate it.
    public enum Effort: String, Sendable, Codable, CaseIterable, Comparable {
        case S, M, L

        public var meaning: String {
            switch self {
            case .S: return "hours"
            case .M: return "about a day"
            case .L: return "days"
            }
        }

        public static func < (a: Effort, b: Effort) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }
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

