import Foundation

/// What to audit and how to gate: the typed form of `audit.yml`.
public struct AuditConfig: Sendable {
    public var baseURL: URL
    /// More base URLs of the same deployment (for the statelessness probe).
    public var instances: [URL] = []
    /// Overrides of CONTRACT.md's paths, by call name (startJourney, locationUpdate, liveLocation, arrived, stopJourney).
    public var paths: [String: String] = [:]
    /// The deployment's Redis, read-only; nil makes the Redis rules inconclusive.
    public var redisURL: String?
    /// The journey-shaped load of JRN-SCALE-001; nil makes that rule not applicable.
    public var scale: ScaleSpec?
    /// A waivers file (accepted risks, each with an expiry).
    public var waiversFile: String?
    /// The auditor's fault proxy: it listens on `listen`, forwards to `upstream` (the real Redis),
    /// and the target reaches its Redis through it, so the store can be cut during a probe.
    public var redisProxy: (listen: HostPort, upstream: HostPort)?
    /// Where the auditor's EventBridge endpoint listens (host:port); the target publishes there.
    public var eventBridgeListen: HostPort?
    public var socketURL: URL?
    public var sourcePaths: [String] = []
    public var fixtures: FixtureSpec
    public var gate = Gate()
    /// Non-fatal remarks found while loading (unknown keys).
    public var warnings: [String] = []

    public init(baseURL: URL, fixtures: FixtureSpec) {
        self.baseURL = baseURL
        self.fixtures = fixtures
    }
}

public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Where fresh sessions come from: exactly one of these.
public enum FixtureSpec: Sendable, Equatable {
    /// Each fixture is the JSON answer of one request.
    case http(url: URL, method: String, headers: [String: String])
    /// Each fixture is the stdout of one run of the command.
    case command([String])
    /// A fixed list, consumed in order; each is one JSON object.
    case fixed([String])
}

/// When CI should fail: below `minScore`, or on any failed rule at or above `failOn`.
public struct Gate: Sendable, Equatable, Codable {
    public enum FailOn: String, Sendable, Codable, CaseIterable {
        case blocker, important, advisory, none
    }

    public var minScore: Double = 90
    public var failOn: FailOn = .blocker
    /// Gate on new failures only (against the baseline); a still-failing blocker fails unless waived.
    public var failOnNew = false

    public init(minScore: Double = 90, failOn: FailOn = .blocker, failOnNew: Bool = false) {
        self.minScore = minScore
        self.failOn = failOn
        self.failOnNew = failOnNew
    }

    enum CodingKeys: String, CodingKey { case minScore, failOn, failOnNew }

    /// Reports written before `failOnNew` existed still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minScore = try c.decode(Double.self, forKey: .minScore)
        failOn = try c.decode(FailOn.self, forKey: .failOn)
        failOnNew = try c.decodeIfPresent(Bool.self, forKey: .failOnNew) ?? false
    }

    /// Why the gate fails, or an empty list when it passes. Waived findings never fail it.
    public func failures(_ findings: [Finding], scorecard: Scorecard, rules: [Rule], baseline: BaselineComparison? = nil) -> [String] {
        var reasons: [String] = []
        // Waived rules leave the gate's score as not-applicable ones leave the score; the
        // certification's own score stays as measured.
        let waived = findings.contains { $0.waiver != nil }
        let gateScore = waived ? Scorecard(findings: findings.filter { $0.waiver == nil }, rules: rules).score : scorecard.score
        if gateScore < minScore {
            reasons.append("score \(Judge.format(gateScore))\(waived ? " (waived rules left out)" : "") is below the gate's minimum \(Judge.format(minScore))")
        }
        let severities: Set<Severity>
        switch failOn {
        case .blocker: severities = [.blocker]
        case .important: severities = [.blocker, .important]
        case .advisory: severities = Set(Severity.allCases)
        case .none: severities = []
        }
        let byID = Dictionary(rules.map { ($0.id, $0.severity) }, uniquingKeysWith: { a, _ in a })
        for finding in findings where finding.status == .fail && finding.waiver == nil {
            guard let severity = byID[finding.ruleID] else { continue }
            let isNew = baseline?.change(of: finding.ruleID).map { $0 == .new } ?? true
            if failOnNew, !isNew {
                if severity == .blocker { reasons.append("\(finding.ruleID) still fails (blocker, not waived)") }
                continue
            }
            if severities.contains(severity) {
                reasons.append("\(finding.ruleID) failed (\(severity.rawValue))\(failOnNew ? ", new" : "")")
            }
        }
        return reasons
    }
}
