/// Score, sub-scores, coverage and verdict of a set of findings (DESIGN.md §Reports).
///
/// The verdict can only be as good as what was checked: a failed blocker is DO NOT DEPLOY; a
/// blocker that was inconclusive or not checked (and not excluded on purpose) caps it at NOT
/// READY whatever the score; an audit that could not run at all is INCOMPLETE.
public struct Scorecard: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case ready = "READY"
        case notReady = "NOT READY"
        case doNotDeploy = "DO NOT DEPLOY"
        /// The target could not be audited at all (unreachable, no fixtures…): nothing is certified.
        case incomplete = "INCOMPLETE"

        public var emoji: String {
            switch self {
            case .ready: return "🟢"
            case .notReady: return "🟠"
            case .doNotDeploy: return "🔴"
            case .incomplete: return "⚪"
            }
        }
    }

    public struct CategoryScore: Sendable, Equatable, Codable {
        public var category: String
        public var score: Double?
        public var passed: Int
        public var evaluated: Int
    }

    /// How much of the pack this audit decided (pass or fail), in rules and in blockers.
    public struct Coverage: Sendable, Equatable, Codable {
        public var rulesChecked: Int
        public var rules: Int
        public var blockersChecked: Int
        public var blockers: Int
        /// Rules with no decision, each with its status and why ("JRN-WS-002 not checked: no source.paths").
        public var unverified: [String]

        /// "checked 19/19 rules, 10/10 blockers"
        public var line: String {
            "checked \(rulesChecked)/\(rules) rules, \(blockersChecked)/\(blockers) blockers"
        }
    }

    /// 0–100, as measured, then capped by the verdict (`cap`), so the two never disagree: a
    /// failed blocker holds it at `doNotDeployCap`, an unverified blocker just below READY.
    public var score: Double
    /// 0–100 before the cap: weight of passed rules over weight of evaluated ones (failed and
    /// inconclusive count as not passed; not-checked and excluded rules are left out). The gate's
    /// `minScore` reads this one, since the verdict already gates on what the cap stands for.
    public var measuredScore: Double
    /// Why the score is held down to `score`, in words ("JRN-RACE-001 failed (blocker)"); nil when it is not.
    public var cap: String?
    public var verdict: Verdict
    /// Which rules set the verdict, in words ("JRN-RACE-001 failed (blocker)").
    public var verdictReasons: [String]
    public var categories: [CategoryScore]
    public var coverage: Coverage
    /// Rules left out of the score (not checked, excluded).
    public var notApplicable: [String]

    /// The minimum score for READY.
    public static let readyScore = 90.0
    /// The most a report with a failed blocker can score (testssl caps a grade the same way):
    /// below any sensible gate minimum, near the seeds' 6/10 and 7/10 for their DO NOT DEPLOY.
    public static let doNotDeployCap = 60.0
    /// The most a report with an unverified blocker can score: just below READY.
    public static let unverifiedBlockerCap = readyScore - 1

    /// `incomplete`: why the audit could not run at all, which makes the verdict INCOMPLETE.
    public init(findings: [Finding], rules: [Rule], incomplete: String? = nil) {
        let byID = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let evaluated = findings.filter { $0.status.isEvaluated }
        func weight(_ f: Finding) -> Double { byID[f.ruleID]?.weight ?? 0 }
        let total = evaluated.map(weight).reduce(0, +)
        let passed = evaluated.filter { $0.status == .pass }.map(weight).reduce(0, +)
        measuredScore = total > 0 ? (100 * passed / total * 10).rounded() / 10 : 0
        score = measuredScore
        notApplicable = findings.filter { !$0.status.isEvaluated }.map(\.ruleID)

        let categoryNames = rules.map(\.category).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        categories = categoryNames.map { name in
            let inCategory = evaluated.filter { byID[$0.ruleID]?.category == name }
            let w = inCategory.map(weight).reduce(0, +)
            let p = inCategory.filter { $0.status == .pass }.map(weight).reduce(0, +)
            return CategoryScore(category: name, score: w > 0 ? (100 * p / w * 10).rounded() / 10 : nil,
                                 passed: inCategory.filter { $0.status == .pass }.count, evaluated: inCategory.count)
        }

        let isBlocker = { (f: Finding) in byID[f.ruleID]?.severity == .blocker }
        coverage = Coverage(
            rulesChecked: findings.filter { $0.status.isDecided }.count, rules: findings.count,
            blockersChecked: findings.filter { isBlocker($0) && $0.status.isDecided }.count, blockers: findings.filter(isBlocker).count,
            unverified: findings.filter { !$0.status.isDecided }.map { "\($0.ruleID) \($0.status.rawValue): \($0.summary)" }
        )

        if let incomplete {
            verdict = .incomplete
            verdictReasons = [incomplete]
            return
        }
        func reasons(_ status: Finding.Status, _ severity: Severity) -> [String] {
            findings.filter { $0.status == status && byID[$0.ruleID]?.severity == severity }.map { finding in
                switch status {
                case .fail: return "\(finding.ruleID) failed (\(severity.rawValue))"
                case .notChecked: return "not certified: \(finding.ruleID) not checked — \(finding.summary)"
                default: return "\(finding.ruleID) was \(status.rawValue) (\(severity.rawValue))"
                }
            }
        }
        let failedBlockers = reasons(.fail, .blocker)
        if !failedBlockers.isEmpty {
            verdict = .doNotDeploy
            verdictReasons = failedBlockers
            capScore(at: Self.doNotDeployCap, because: failedBlockers)
            return
        }
        let unverifiedBlockers = reasons(.inconclusive, .blocker) + reasons(.notChecked, .blocker) + reasons(.notApplicable, .blocker)
        var capped = unverifiedBlockers + reasons(.fail, .important)
        if evaluated.isEmpty {
            capped.append("no rule could be evaluated")
        } else if measuredScore < Self.readyScore {
            capped.append("score \(Judge.format(measuredScore)) is below \(Judge.format(Self.readyScore))")
        }
        verdict = capped.isEmpty ? .ready : .notReady
        verdictReasons = capped
        if !unverifiedBlockers.isEmpty { capScore(at: Self.unverifiedBlockerCap, because: unverifiedBlockers) }
    }

    private mutating func capScore(at limit: Double, because reasons: [String]) {
        guard measuredScore > limit else { return }
        score = limit
        let named = reasons.count > 2 ? reasons.prefix(2).joined(separator: "; ") + "; \(reasons.count - 2) more" : reasons.joined(separator: "; ")
        cap = named
    }

    /// The score on the seeds' x/10 scale.
    public var outOfTen: Double { (score / 10 * 10).rounded() / 10 }

    /// The headline: "6/10 (capped: JRN-RACE-001 failed (blocker); measured 9.2)", one scale, the
    /// cap in the same breath, so nobody reads 9.2 next to DO NOT DEPLOY.
    public var headline: String {
        let measured = (measuredScore / 10 * 10).rounded() / 10
        guard let cap else { return "\(Judge.format(outOfTen))/10" }
        return "\(Judge.format(outOfTen))/10 (capped: \(cap); measured \(Judge.format(measured)))"
    }

    enum CodingKeys: String, CodingKey { case score, measuredScore, cap, verdict, verdictReasons, categories, coverage, notApplicable }

    /// Reports written before coverage existed still load (their coverage is recomputed as unknown).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        score = try c.decode(Double.self, forKey: .score)
        // Reports written before the cap: their score was the measured one.
        measuredScore = try c.decodeIfPresent(Double.self, forKey: .measuredScore) ?? score
        cap = try c.decodeIfPresent(String.self, forKey: .cap)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        verdictReasons = try c.decode([String].self, forKey: .verdictReasons)
        categories = try c.decode([CategoryScore].self, forKey: .categories)
        notApplicable = try c.decode([String].self, forKey: .notApplicable)
        coverage = try c.decodeIfPresent(Coverage.self, forKey: .coverage)
            ?? Coverage(rulesChecked: 0, rules: 0, blockersChecked: 0, blockers: 0, unverified: ["coverage was not recorded by this older report"])
    }
}
