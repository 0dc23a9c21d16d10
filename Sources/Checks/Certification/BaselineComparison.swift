/// How this certification differs from the previous one of the same target, rule by rule.
public struct BaselineComparison: Sendable, Equatable, Codable {
    public enum Change: String, Sendable, Codable, CaseIterable {
        /// Passes now, did not before.
        case fixed
        /// Fails (or is inconclusive) now, passed before or did not exist.
        case new
        /// Failed before and still does.
        case stillFailing = "still-failing"
        /// Passed before and still does (or is new in the catalogue and passes).
        case unchangedPass = "unchanged-pass"
        /// Not checked or excluded now.
        case notApplicable = "not-applicable"
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var ruleID: String
        public var change: Change
        public var before: Finding.Status?
        public var after: Finding.Status
        /// The rule was not in the previous catalogue.
        public var addedRule: Bool
    }

    public struct CategoryDelta: Sendable, Equatable, Codable {
        public var category: String
        public var before: Double?
        public var after: Double?
    }

    public var previousGeneratedAt: String
    public var previousTarget: String
    public var scoreBefore: Double
    public var scoreAfter: Double
    public var verdictBefore: Scorecard.Verdict
    public var entries: [Entry]
    public var categories: [CategoryDelta]
    /// Rules the previous certification had and this one does not.
    public var removedRules: [String]

    public init(previous: AuditReport, current: AuditReport) {
        previousGeneratedAt = previous.generatedAt
        previousTarget = previous.target
        scoreBefore = previous.scorecard.score
        scoreAfter = current.scorecard.score
        verdictBefore = previous.scorecard.verdict
        let before = Dictionary(previous.findings.map { ($0.ruleID, $0.status) }, uniquingKeysWith: { a, _ in a })
        entries = current.findings.map { finding in
            let old = before[finding.ruleID]
            let failedBefore = old == .fail || old == .inconclusive
            let change: Change
            switch finding.status {
            case .notApplicable, .notChecked, .excluded: change = .notApplicable
            case .pass: change = failedBefore ? .fixed : .unchangedPass
            case .fail, .inconclusive: change = failedBefore ? .stillFailing : .new
            }
            return Entry(ruleID: finding.ruleID, change: change, before: old, after: finding.status, addedRule: old == nil)
        }
        let oldCategories = Dictionary(previous.scorecard.categories.map { ($0.category, $0.score) }, uniquingKeysWith: { a, _ in a })
        categories = current.scorecard.categories.map { CategoryDelta(category: $0.category, before: oldCategories[$0.category] ?? nil, after: $0.score) }
        let now = Set(current.findings.map(\.ruleID))
        removedRules = previous.findings.map(\.ruleID).filter { !now.contains($0) }
    }

    public func entries(_ change: Change) -> [Entry] { entries.filter { $0.change == change } }
    public func change(of ruleID: String) -> Change? { entries.first { $0.ruleID == ruleID }?.change }
}
