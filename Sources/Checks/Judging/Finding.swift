/// The verdict on one rule for one target, with the evidence that decided it.
public struct Finding: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pass, fail, inconclusive
        case notApplicable = "not-applicable"
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

    public var failedComparisons: [Comparison] { comparisons.filter { $0.holds == false } }
}
