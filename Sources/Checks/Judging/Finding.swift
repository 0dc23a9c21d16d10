/// The verdict on one rule for one target, with the evidence that decided it.
public struct Finding: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Observed, and every compared fact matches.
        case pass
        /// Observed, and a compared fact differs (facts seen before an error still count).
        case fail
        /// Could not be observed: never a pass.
        case inconclusive
        /// The audit lacks what the rule needs (configuration, or the rule was not selected).
        case notChecked = "not-checked"
        /// Left out on purpose by `exclude:` in the config, with justification, owner and expiry.
        case excluded
        /// Written by reports before "not checked" existed; read, never produced.
        case notApplicable = "not-applicable"

        /// Pass or fail: a verdict on the rule was reached.
        public var isDecided: Bool { self == .pass || self == .fail }
        /// Counted in the score: the rule was run (pass, fail or inconclusive).
        public var isEvaluated: Bool { self == .pass || self == .fail || self == .inconclusive }
    }

    /// One fact: what the oracle did, what the target did, and whether that is acceptable.
    public struct Comparison: Sendable, Equatable, Codable {
        public var fact: String
        public var description: String
        public var expected: FactValue
        public var observed: FactValue
        /// How they were compared, in words ("equal", "within 2", "at most", "below 3000").
        public var rule: String
        /// nil when it could not be decided (a side did not observe the fact).
        public var holds: Bool?
    }

    public var ruleID: String
    public var status: Status
    /// One sentence: why this status.
    public var summary: String
    public var comparisons: [Comparison]
    public var target: Observation
    public var oracle: Observation
    /// The waiver that accepts this failure, if one applies (the finding still shows as failed).
    public var waiver: Waiver? = nil
    /// The exclusion that left this rule out (status `excluded`).
    public var exclusion: Exclusion? = nil

    public init(ruleID: String, status: Status, summary: String, comparisons: [Comparison] = [], target: Observation = Observation(),
                oracle: Observation = Observation(), waiver: Waiver? = nil, exclusion: Exclusion? = nil) {
        self.ruleID = ruleID
        self.status = status
        self.summary = summary
        self.comparisons = comparisons
        self.target = target
        self.oracle = oracle
        self.waiver = waiver
        self.exclusion = exclusion
    }

    /// A rule that was not run: excluded on purpose, or not checked with the reason.
    public static func notRun(_ ruleID: String, excludedBy exclusion: Exclusion?, otherwise reason: String) -> Finding {
        if let exclusion {
            return Finding(ruleID: ruleID, status: .excluded, summary: "excluded until \(exclusion.expires) by \(exclusion.owner): \(exclusion.justification)",
                           exclusion: exclusion)
        }
        return Finding(ruleID: ruleID, status: .notChecked, summary: reason, target: Observation(notChecked: reason))
    }

    public var failedComparisons: [Comparison] { comparisons.filter { $0.holds == false } }
}
