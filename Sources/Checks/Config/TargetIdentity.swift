/// What was certified, beyond an address: the service, its build, the environment. A reviewer
/// signs "journey-api 1.4.2 (3f2c9e1) on staging", not "http://127.0.0.1:41117".
public struct TargetIdentity: Sendable, Equatable, Codable {
    public var name: String?
    /// As configured, or as read from `target.versionURL` at the start of the audit.
    public var version: String?
    public var environment: String?

    public init(name: String? = nil, version: String? = nil, environment: String? = nil) {
        self.name = name
        self.version = version
        self.environment = environment
    }

    public var isEmpty: Bool { name == nil && version == nil && environment == nil }

    /// "journey-api 1.4.2 (3f2c9e1) on staging"; nil when nothing is known.
    public var line: String? {
        guard !isEmpty else { return nil }
        let what = [name, version].compactMap { $0 }.joined(separator: " ")
        return [what.isEmpty ? nil : what, environment.map { "on \($0)" }].compactMap { $0 }.joined(separator: " ")
    }

    /// The version a version endpoint answers: `version`, `commit`/`gitCommit`/`sha`, `build` of a
    /// JSON object ("1.4.2 (3f2c9e1)"), else the first line of the text; at most 80 characters.
    public static func version(fromBody text: String, json: [String: Any]?) -> String? {
        if let json {
            let version = ["version", "appVersion"].lazy.compactMap { json[$0].map { "\($0)" } }.first
            let commit = ["commit", "gitCommit", "sha", "build", "image"].lazy.compactMap { json[$0].map { "\($0)" } }.first
            let joined = [version, commit.map { version == nil ? $0 : "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            if !joined.isEmpty { return String(joined.prefix(80)) }
        }
        let first = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return first.isEmpty ? nil : String(first.prefix(80))
    }
}
