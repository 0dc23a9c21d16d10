/// Score, sub-scores and verdict of a set of findings (DESIGN.md §Reports, issue 3 §Score).
public struct Scorecard: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case ready = "READY"
        case notReady = "NOT READY"
        case doNotDeploy = "DO NOT DEPLOY"

        public var emoji: String {
            switch self {
            case .ready: return "🟢"
            case .notReady: return "🟠"
            case .doNotDeploy: return "🔴"
            }
        }
    }

    public struct CategoryScore: Sendable, Equatable, Codable {
        public var category: String
        public var score: Double?
        public var passed: Int
        public var evaluated: Int
    }

    /// 0–100: weight of passed rules over weight of evaluated ones (failed and inconclusive count as not passed).
    public var score: Double
    public var verdict: Verdict
    /// Which rules set the verdict, in words ("JRN-RACE-001 failed (blocker)").
    public var verdictReasons: [String]
    public var categories: [CategoryScore]
    public var notApplicable: [String]

    /// The minimum score for READY.
    public static let readyScore = 90.0

    public init(findings: [Finding], rules: [Rule]) {
        let byID = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let evaluated = findings.filter { $0.status != .notApplicable }
        func weight(_ f: Finding) -> Double { byID[f.ruleID]?.weight ?? 0 }
        let total = evaluated.map(weight).reduce(0, +)
        let passed = evaluated.filter { $0.status == .pass }.map(weight).reduce(0, +)
        score = total > 0 ? (100 * passed / total * 10).rounded() / 10 : 0
        notApplicable = findings.filter { $0.status == .notApplicable }.map(\.ruleID)

        let categoryNames = rules.map(\.category).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        categories = categoryNames.map { name in
            let inCategory = evaluated.filter { byID[$0.ruleID]?.category == name }
            let w = inCategory.map(weight).reduce(0, +)
            let p = inCategory.filter { $0.status == .pass }.map(weight).reduce(0, +)
            return CategoryScore(category: name, score: w > 0 ? (100 * p / w * 10).rounded() / 10 : nil,
                                 passed: inCategory.filter { $0.status == .pass }.count, evaluated: inCategory.count)
        }

        func reasons(_ status: Finding.Status, _ severity: Severity) -> [String] {
            evaluated.filter { $0.status == status && byID[$0.ruleID]?.severity == severity }
                .map { "\($0.ruleID) \(status == .fail ? "failed" : "was inconclusive") (\(severity.rawValue))" }
        }
        let failedBlockers = reasons(.fail, .blocker)
        if !failedBlockers.isEmpty {
            verdict = .doNotDeploy
            verdictReasons = failedBlockers
        } else {
            var capped = reasons(.inconclusive, .blocker) + reasons(.fail, .important)
            if score < Self.readyScore { capped.append("score \(Judge.format(score)) is below \(Judge.format(Self.readyScore))") }
            if evaluated.isEmpty { capped.append("no rule could be evaluated") }
            verdict = capped.isEmpty ? .ready : .notReady
            verdictReasons = capped
        }
    }

    /// The score on the seeds' x/10 scale.
    public var outOfTen: Double { (score / 10 * 10).rounded() / 10 }
}
