import Checks
import Foundation
import Probes

/// Everything one audit needs: what to audit, with which rules, and which of them.
public struct AuditRequest: Sendable {
    public var config: AuditConfig
    public var catalogue: RuleCatalogue
    /// Only these rules (empty: all).
    public var only: [String] = []
    public var skip: [String] = []
    /// An EventBridge endpoint already listening where the target publishes (the demo starts its
    /// own before the target); without it the engine starts one on `eventbridge.listen`.
    public var targetEvents: EventBridgeEndpoint?
    /// A fault proxy already in front of the target's Redis (the demo's); without it the engine
    /// starts one on `redis.proxy` when configured.
    public var targetProxy: FaultProxy?
    /// Rules run at once (each on its own fixtures); exclusive probes always run alone.
    public var parallelism = 4
    public var auditorVersion = "0.0.0"

    public init(config: AuditConfig, catalogue: RuleCatalogue) {
        self.config = config
        self.catalogue = catalogue
    }

    /// The rules this request selects, in catalogue order; an unknown id (in `--rule`, `--skip`
    /// or `exclude:`) is an error.
    public func selectedRules() throws -> [Rule] {
        for id in only + skip + config.exclusions.map(\.rule) where catalogue.rule(id) == nil {
            throw AuditError.unknownRule(id, known: catalogue.rules.map(\.id))
        }
        return catalogue.rules.filter(isSelected)
    }

    func isSelected(_ rule: Rule) -> Bool {
        (only.isEmpty || only.contains(rule.id)) && !skip.contains(rule.id)
    }

    /// Why a rule of the pack is not run by this request: left out by `--rule`/`--skip`.
    func unselectedReason(_ rule: Rule) -> String {
        !only.isEmpty && !only.contains(rule.id) ? "not selected (--rule \(only.joined(separator: ", ")))" : "skipped (--skip)"
    }
}

/// Why an audit could not complete (exit 2), or was asked for wrongly (exit 64).
public enum AuditError: Error, CustomStringConvertible {
    case unknownRule(String, known: [String])
    case unknownProbe(rule: String, kind: String)
    case cannotListen(String)
    case badRedisURL(String)
    case badTLS(String)
    case cannotProxy(String)
    case referenceFailed(String)
    case cannotServeControl(String)

    public var description: String {
        switch self {
        case .unknownRule(let id, let known): return "unknown rule '\(id)'; known: \(known.joined(separator: ", "))"
        case .unknownProbe(let rule, let kind): return "rule \(rule) names probe kind '\(kind)', which this auditor does not have"
        case .cannotListen(let why): return "cannot open the EventBridge endpoint: \(why)"
        case .badRedisURL(let why): return "redis.url: \(why)"
        case .badTLS(let why): return why
        case .cannotProxy(let why): return "cannot open the Redis fault proxy (the target reaches its Redis through it): \(why)"
        case .referenceFailed(let why): return "the built-in reference could not start: \(why)"
        case .cannotServeControl(let why): return "cannot open the control server a reproduction calls ($AUDITOR): \(why)"
        }
    }

    /// Usage errors are the caller's to fix (64); the rest mean the audit could not complete (2).
    public var isUsageError: Bool {
        switch self {
        case .unknownRule, .unknownProbe, .badRedisURL, .badTLS: return true
        default: return false
        }
    }
}
