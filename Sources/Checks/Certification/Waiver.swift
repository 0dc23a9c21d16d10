import Foundation
import Yams

/// An accepted risk: a failing rule that does not fail the gate until `expires`, with who
/// accepted it and why. Visible in every format; never silent, never permanent.
public struct Waiver: Sendable, Equatable, Codable {
    public var rule: String
    /// Only for this target or instance URL (prefix match); nil: every target.
    public var scope: String?
    public var justification: String
    public var owner: String
    /// `YYYY-MM-DD`, the last day the waiver holds (UTC).
    public var expires: String
    /// Required to waive a blocker: accepting one must be said out loud.
    public var acceptBlocker: Bool

    public init(rule: String, scope: String? = nil, justification: String, owner: String, expires: String, acceptBlocker: Bool = false) {
        self.rule = rule
        self.scope = scope
        self.justification = justification
        self.owner = owner
        self.expires = expires
        self.acceptBlocker = acceptBlocker
    }

    /// Holds on `day` (`YYYY-MM-DD`) for `target`.
    public func applies(on day: String, to target: String) -> Bool {
        day <= expires && (scope.map { target.hasPrefix($0) } ?? true)
    }
}

/// Reads `waivers.yml`: `waivers: [{rule, scope?, justification, owner, expires, acceptBlocker?}]`.
/// Every error names the entry and the key (exit 64).
public enum WaiverLoader {
    public static func load(file: String, rules: [Rule]) throws -> [Waiver] {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfigError(file: file, key: "", expected: "a readable waivers file", found: error.localizedDescription)
        }
        return try parse(text, file: file, rules: rules)
    }

    public static func parse(_ text: String, file: String, rules: [Rule]) throws -> [Waiver] {
        struct Document: Decodable { var waivers: [Waiver] }
        let waivers: [Waiver]
        do {
            waivers = try YAMLDecoder().decode(Document.self, from: text).waivers
        } catch let error as DecodingError {
            throw ConfigError(decoding: error, file: file)
        } catch {
            throw ConfigError(file: file, key: "", expected: "valid YAML with a 'waivers' list", found: "\(error)")
        }
        let severities = Dictionary(rules.map { ($0.id, $0.severity) }, uniquingKeysWith: { a, _ in a })
        for (index, waiver) in waivers.enumerated() {
            let at = "waivers[\(index)]"
            guard let severity = severities[waiver.rule] else {
                throw ConfigError(file: file, key: "\(at).rule", expected: "a rule id of the catalogue", found: "'\(waiver.rule)'")
            }
            guard Self.isDay(waiver.expires) else {
                throw ConfigError(file: file, key: "\(at).expires", expected: "a date YYYY-MM-DD", found: "'\(waiver.expires)'")
            }
            guard !waiver.justification.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(file: file, key: "\(at).justification", expected: "why the risk is accepted", found: "nothing")
            }
            guard !waiver.owner.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(file: file, key: "\(at).owner", expected: "who accepted it", found: "nothing")
            }
            if severity == .blocker, !waiver.acceptBlocker {
                throw ConfigError(file: file, key: "\(at).acceptBlocker", expected: "true to waive blocker \(waiver.rule)", found: "it missing or false")
            }
        }
        return waivers
    }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let m = Int(parts[1]), let d = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
    }
}

extension Waiver {
    enum CodingKeys: String, CodingKey { case rule, scope, justification, owner, expires, acceptBlocker }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rule = try c.decode(String.self, forKey: .rule)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
        justification = try c.decode(String.self, forKey: .justification)
        owner = try c.decode(String.self, forKey: .owner)
        // YAML reads an unquoted 2026-12-31 as a date; take it back as the text it was.
        if let text = try? c.decode(String.self, forKey: .expires) {
            expires = text
        } else if let date = try? c.decode(Date.self, forKey: .expires) {
            expires = String(date.formatted(.iso8601.year().month().day()))
        } else {
            throw DecodingError.keyNotFound(CodingKeys.expires, .init(codingPath: c.codingPath, debugDescription: "expires is required"))
        }
        acceptBlocker = try c.decodeIfPresent(Bool.self, forKey: .acceptBlocker) ?? false
    }
}
