/// How one fact of the target is judged against the same fact of the oracle.
public struct FactComparison: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable {
        /// target == oracle
        case equal
        /// |target − oracle| ≤ tolerance
        case within
        /// target ≤ oracle
        case atMost
        /// target < limit, whatever the oracle did (a bound the contract or the config states)
        case below
        /// target ≤ limit, whatever the oracle did
        case notAbove
        /// every name the oracle shows, the target shows too
        case includes
    }

    public var fact: String
    public var mode: Mode
    public var tolerance: Double?
    public var limit: Double?
    /// Where the limit comes from when the audit's config states it (`scale.p99.locationUpdate`).
    public var limitFrom: String?
    /// What the fact means, for the report ("status of an update after stop").
    public var description: String
    /// The contract line that pins this fact ("docs/contract/journey.md §HTTP API row 2: 410 journey has ended").
    /// A fact no line pins is an open choice of the implementation and is not compared.
    public var pins: String
    /// What a failing value means, from what was observed: `{observed}` and `{expected}` are
    /// replaced by the values ("{observed} TrainerJourneyStarted events for one session").
    public var impact: String?

    public init(fact: String, mode: Mode = .equal, tolerance: Double? = nil, limit: Double? = nil, limitFrom: String? = nil,
                description: String, pins: String = "") {
        self.fact = fact
        self.mode = mode
        self.tolerance = tolerance
        self.limit = limit
        self.limitFrom = limitFrom
        self.description = description
        self.pins = pins
    }

    /// A mode that judges the target against a stated limit, not against the reference.
    public var isLimit: Bool { mode == .below || mode == .notAbove }
}

extension FactComparison {
    enum CodingKeys: String, CodingKey { case fact, mode, tolerance, limit, limitFrom, description, pins, impact }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fact = try c.decode(String.self, forKey: .fact)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .equal
        tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance)
        limit = try c.decodeIfPresent(Double.self, forKey: .limit)
        limitFrom = try c.decodeIfPresent(String.self, forKey: .limitFrom)
        description = try c.decode(String.self, forKey: .description)
        // Reports written before facts named their contract line still load; rule files are
        // checked for it by the catalogue.
        pins = try c.decodeIfPresent(String.self, forKey: .pins) ?? ""
        impact = try c.decodeIfPresent(String.self, forKey: .impact)
        if mode == .within, tolerance == nil {
            throw DecodingError.dataCorruptedError(forKey: .tolerance, in: c, debugDescription: "mode 'within' needs a tolerance")
        }
        if isLimit, (limit == nil) == (limitFrom == nil) {
            throw DecodingError.dataCorruptedError(forKey: .limit, in: c, debugDescription: "mode '\(mode.rawValue)' needs exactly one of limit, limitFrom")
        }
    }
}

