/// One certification: everything every renderer needs, and nothing a renderer must decide.
public struct AuditReport: Sendable, Equatable, Codable {
    /// Bumped whenever a field changes meaning or disappears (schemas/report.schema.json).
    public static let currentSchemaVersion = 1

    public var schemaVersion = AuditReport.currentSchemaVersion
    public var target: String
    /// ISO 8601, UTC.
    public var generatedAt: String
    public var auditorVersion: String
    public var catalogue: String
    public var catalogueVersion: String
    public var durationSeconds: Double
    /// HTTP requests sent to the target (the oracle's are not counted).
    public var requestsSent: Int
    public var rules: [Rule]
    public var findings: [Finding]
    public var scorecard: Scorecard
    public var gate: Gate
    public var gateFailures: [String]
    public var warnings: [String]

    public init(target: String, generatedAt: String, auditorVersion: String, catalogue: RuleCatalogue, durationSeconds: Double,
                findings: [Finding], gate: Gate, warnings: [String]) {
        self.target = target
        self.generatedAt = generatedAt
        self.auditorVersion = auditorVersion
        self.catalogue = catalogue.name
        self.catalogueVersion = catalogue.version
        self.durationSeconds = durationSeconds
        let audited = Set(findings.map(\.ruleID))
        self.rules = catalogue.rules.filter { audited.contains($0.id) }
        self.findings = findings
        self.requestsSent = findings.map(\.target.requestCount).reduce(0, +)
        self.scorecard = Scorecard(findings: findings, rules: rules)
        self.gate = gate
        self.gateFailures = gate.failures(findings, scorecard: scorecard, rules: rules)
        self.warnings = warnings
    }

    public var gatePassed: Bool { gateFailures.isEmpty }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// Points the score would gain if this rule passed (for "required actions by score impact").
    public func scoreImpact(of finding: Finding) -> Double {
        let evaluated = findings.filter { $0.status != .notApplicable }.compactMap { rule($0.ruleID)?.weight }.reduce(0, +)
        guard evaluated > 0, finding.status != .pass, finding.status != .notApplicable, let weight = rule(finding.ruleID)?.weight else { return 0 }
        return (100 * weight / evaluated * 10).rounded() / 10
    }
}
