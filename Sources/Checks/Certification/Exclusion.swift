/// A rule left out of an audit on purpose (`exclude:` in audit.yml): the deployment has no such
/// part, or the team accepts not checking it for now. Unlike a rule the audit merely could not
/// check, an excluded blocker does not cap the verdict — so the exclusion must say why, who
/// decided and until when, and every format shows it.
public struct Exclusion: Sendable, Equatable, Codable {
    public var rule: String
    public var justification: String
    public var owner: String
    /// `YYYY-MM-DD`, the last day the exclusion holds (UTC); after it the rule is checked again.
    public var expires: String

    public init(rule: String, justification: String, owner: String, expires: String) {
        self.rule = rule
        self.justification = justification
        self.owner = owner
        self.expires = expires
    }

    /// Holds on `day` (`YYYY-MM-DD`).
    public func holds(on day: String) -> Bool { day <= expires }

    /// The exclusions that hold on `day`, and a warning for each one that has expired.
    public static func inForce(_ exclusions: [Exclusion], on day: String) -> (held: [Exclusion], warnings: [String]) {
        let held = exclusions.filter { $0.holds(on: day) }
        let warnings = exclusions.filter { !$0.holds(on: day) }.map {
            "The exclusion of \($0.rule) expired on \($0.expires) (\($0.owner)): the rule is checked again."
        }
        return (held, warnings)
    }
}
