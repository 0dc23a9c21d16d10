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
    /// The comparison with the previous certification, when one was given.
    public var baseline: BaselineComparison? = nil
    /// Waivers whose date has passed: ignored, and listed so someone renews or drops them.
    public var expiredWaivers: [Waiver] = []
    /// Why the audit could not run at all (verdict INCOMPLETE), in plain words; nil when it ran.
    public var incomplete: String? = nil
    /// Every session the audit used, read back after it: journeys it left active (should be none).
    public var leftBehind: LeftBehind? = nil
    /// TLS or not, verified or not: a certification over unverified TLS says so at the top.
    public var transport: Transport? = nil
    /// What was certified (service, version, environment); nil when the config says nothing.
    public var identity: TargetIdentity? = nil

    public init(target: String, generatedAt: String, auditorVersion: String, catalogue: RuleCatalogue, durationSeconds: Double,
                findings: [Finding], gate: Gate, warnings: [String], incomplete: String? = nil, leftBehind: LeftBehind? = nil) {
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
        self.incomplete = incomplete
        self.leftBehind = leftBehind
        self.scorecard = Scorecard(findings: findings, rules: rules, incomplete: incomplete)
        self.gate = gate
        self.gateFailures = gate.failures(findings, scorecard: scorecard, rules: rules)
        self.warnings = warnings
    }

    public var gatePassed: Bool { gateFailures.isEmpty }

    /// The exit code the CLI gives this certification: 0 only when the gate passes (by default:
    /// READY); 1 when it fails on something observed to fail; 2 when it fails only because
    /// something could not be verified (INCOMPLETE, inconclusive or unchecked rules).
    public var exitCode: Int32 {
        if gatePassed { return 0 }
        if scorecard.verdict == .incomplete { return 2 }
        return findings.contains { $0.status == .fail && $0.waiver == nil } ? 1 : 2
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, target, generatedAt, auditorVersion, catalogue, catalogueVersion, durationSeconds, requestsSent
        case rules, findings, scorecard, gate, gateFailures, warnings, baseline, expiredWaivers, incomplete, leftBehind, transport, identity
    }

    /// Reads every report of schema version 1, including those written before a field was added.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        target = try c.decode(String.self, forKey: .target)
        generatedAt = try c.decode(String.self, forKey: .generatedAt)
        auditorVersion = try c.decode(String.self, forKey: .auditorVersion)
        catalogue = try c.decode(String.self, forKey: .catalogue)
        catalogueVersion = try c.decode(String.self, forKey: .catalogueVersion)
        durationSeconds = try c.decode(Double.self, forKey: .durationSeconds)
        requestsSent = try c.decode(Int.self, forKey: .requestsSent)
        rules = try c.decode([Rule].self, forKey: .rules)
        findings = try c.decode([Finding].self, forKey: .findings)
        scorecard = try c.decode(Scorecard.self, forKey: .scorecard)
        gate = try c.decode(Gate.self, forKey: .gate)
        gateFailures = try c.decode([String].self, forKey: .gateFailures)
        warnings = try c.decode([String].self, forKey: .warnings)
        baseline = try c.decodeIfPresent(BaselineComparison.self, forKey: .baseline)
        expiredWaivers = try c.decodeIfPresent([Waiver].self, forKey: .expiredWaivers) ?? []
        incomplete = try c.decodeIfPresent(String.self, forKey: .incomplete)
        leftBehind = try c.decodeIfPresent(LeftBehind.self, forKey: .leftBehind)
        transport = try c.decodeIfPresent(Transport.self, forKey: .transport)
        identity = try c.decodeIfPresent(TargetIdentity.self, forKey: .identity)
    }

    /// Marks the failures that a waiver in force accepts, lists the expired ones, re-evaluates the gate.
    public mutating func apply(waivers: [Waiver]) {
        let day = String(generatedAt.prefix(10))
        for index in findings.indices where findings[index].status == .fail || findings[index].status == .inconclusive {
            findings[index].waiver = waivers.first { $0.rule == findings[index].ruleID && $0.applies(on: day, to: target) }
        }
        expiredWaivers = waivers.filter { day > $0.expires }
        evaluateGate()
    }

    /// Classifies every finding against the previous certification and re-evaluates the gate.
    public mutating func compare(to previous: AuditReport) {
        baseline = BaselineComparison(previous: previous, current: self)
        if previous.target != target {
            warnings.append("The baseline certified \(previous.target), this one \(target): the comparison may mislead.")
        }
        evaluateGate()
    }

    public mutating func evaluateGate() {
        gateFailures = gate.failures(findings, scorecard: scorecard, rules: rules, baseline: baseline)
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The measured load of the scale rule, when it ran.
    public var loadResult: LoadResult? { findings.lazy.compactMap { $0.target.loadResult }.first }

    /// Points the score would gain if this rule passed (for "required actions by score impact").
    public func scoreImpact(of finding: Finding) -> Double {
        let evaluated = findings.filter { $0.status.isEvaluated }.compactMap { rule($0.ruleID)?.weight }.reduce(0, +)
        guard evaluated > 0, finding.status == .fail || finding.status == .inconclusive, let weight = rule(finding.ruleID)?.weight else { return 0 }
        return (100 * weight / evaluated * 10).rounded() / 10
    }
}

/// The sessions an audit used, read back at the end (Redis `EXISTS journey:active:*`, or live
/// polling as the student when no Redis is configured): a journey left active is named here.
public struct LeftBehind: Sendable, Equatable, Codable {
    /// How each session was read back ("EXISTS journey:active:{id}", "live polling as the student").
    public var method: String
    public var sessionsChecked: Int
    /// Sessions whose journey is still active after the audit stopped everything it started.
    public var active: [String]
    /// Sessions that could not be read back, with why.
    public var unverified: [String]

    public init(method: String, sessionsChecked: Int, active: [String], unverified: [String]) {
        self.method = method
        self.sessionsChecked = sessionsChecked
        self.active = active
        self.unverified = unverified
    }

    /// "journeys left active: 0 (19 sessions read back with EXISTS journey:active:{id})"; the
    /// first `naming` sessions left active by id, the rest counted (the JSON lists them all).
    public func line(naming: Int = .max) -> String {
        var text = "journeys left active: \(active.count) (\(sessionsChecked) sessions read back with \(method))"
        if !active.isEmpty {
            text += ": " + active.prefix(naming).joined(separator: ", ")
            if active.count > naming { text += " and \(active.count - naming) more (all in certification.json)" }
        }
        if !unverified.isEmpty { text += "; \(unverified.count) could not be read back" }
        return text
    }
}

/// How the auditor reached the target. `verified == false` (tls.insecureSkipVerify) means the
/// certification does not show that the answers came from the deployment it names.
public struct Transport: Sendable, Equatable, Codable {
    public var tls: Bool
    public var verified: Bool
    /// "https, wss and rediss; certificates verified against the CA in ca.crt".
    public var detail: String
    /// The private CA the reproductions need (`curl --cacert`, `redis-cli --cacert`); nil: the system's.
    public var caFile: String? = nil

    public init(tls: Bool, verified: Bool, detail: String, caFile: String? = nil) {
        self.tls = tls
        self.verified = verified
        self.detail = detail
        self.caFile = caFile
    }

    /// What an audit with this config uses: schemes of the URLs it reaches, and the `tls:` settings.
    public static func of(_ config: AuditConfig) -> Transport {
        let urls = [config.baseURL] + config.instances + [config.socketURL].compactMap { $0 }
        var secure = Set(urls.compactMap { url in ["https", "wss"].contains(url.scheme ?? "") ? url.scheme : nil })
        if config.redisURL?.hasPrefix("rediss://") == true { secure.insert("rediss") }
        guard !secure.isEmpty else { return Transport(tls: false, verified: true, detail: "plain HTTP, no TLS") }
        let schemes = ["https", "wss", "rediss"].filter(secure.contains).joined(separator: ", ")
        guard config.verifiesTLS else {
            return Transport(tls: true, verified: false, detail: "\(schemes); TLS NOT VERIFIED (insecureSkipVerify): these answers may not come from the deployment named above")
        }
        let trust = config.tls?.caFile.map { "the CA in \($0)" } ?? "the system's CAs"
        return Transport(tls: true, verified: true, detail: "\(schemes); certificates verified against \(trust)", caFile: config.tls?.caFile)
    }
}
