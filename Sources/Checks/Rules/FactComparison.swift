/// How one fact of the target is judged against the same fact of the oracle.
public struct FactComparison: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable {
        /// target == oracle
        case equal
        /// |target − oracle| ≤ tolerance
        case within
        /// target ≤ oracle
        case atMost
        /// target ≤ limit, whatever the oracle did (a bound the contract states, e.g. latency)
        case below
        /// every name the oracle shows, the target shows too
        case includes
    }

    public var fact: String
    public var mode: Mode
    public var tolerance: Double?
    public var limit: Double?
    /// What the fact means, for the report ("status of an update after stop").
    public var description: String

    public init(fact: String, mode: Mode = .equal, tolerance: Double? = nil, limit: Double? = nil, description: String) {
        self.fact = fact
        self.mode = mode
        self.tolerance = tolerance
        self.limit = limit
        self.description = description
    }
}

extension FactComparison {
    enum CodingKeys: String, CodingKey { case fact, mode, tolerance, limit, description }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fact = try c.decode(String.self, forKey: .fact)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .equal
        tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance)
        limit = try c.decodeIfPresent(Double.self, forKey: .limit)
        description = try c.decode(String.self, forKey: .description)
        if mode == .within, tolerance == nil {
            throw DecodingError.dataCorruptedError(forKey: .tolerance, in: c, debugDescription: "mode 'within' needs a tolerance")
        }
        if mode == .below, limit == nil {
            throw DecodingError.dataCorruptedError(forKey: .limit, in: c, debugDescription: "mode 'below' needs a limit")
        }
    }
}

