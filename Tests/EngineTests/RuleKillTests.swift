import Checks
import Engine
import Reference
import Testing

/// Every rule is proven both ways, live against a reference on a real redis-server:
/// the clean reference passes it, and each fault the rule names makes it fail.
/// Serialized: each case starts a whole deployment, and on 2 cores dozens at once would turn
/// timing bounds (TTL tolerances, the 1 s store timeout) into noise.
@Suite("Every rule: clean passes, its faults fail", .serialized, .timeLimit(.minutes(5)))
struct RuleKillTests {
    static let rules = (try? RuleCatalogue.bundled().rules) ?? []

    /// (rule, fault) pairs for every fault every rule lists.
    static let kills: [(String, String)] = rules.flatMap { rule in rule.faults.map { (rule.id, $0) } }

    @Test("the clean reference passes", arguments: rules.map(\.id))
    func cleanPasses(_ id: String) async throws {
        let report = try await withLiveTarget { try await $0.audit(only: [id]) }
        let finding = try #require(report.findings.first)
        #expect(finding.status == .pass, "\(id): \(finding.summary)")
    }

    @Test("each listed fault makes it fail", arguments: kills.map { "\($0.0) ← \($0.1)" })
    func faultFails(_ pair: String) async throws {
        let parts = pair.components(separatedBy: " ← ")
        let (id, name) = (parts[0], parts[1])
        let fault = try #require(Fault(rawValue: name), "\(id) names '\(name)', which is not a fault of the reference (\(Fault.validNames))")
        let report = try await withLiveTarget(faults: [fault]) { try await $0.audit(only: [id]) }
        let finding = try #require(report.findings.first)
        #expect(finding.status == .fail, "\(id) with \(name): \(finding.status.rawValue): \(finding.summary)")
    }

    @Test("no rule is left without a fault that kills it")
    func everyRuleHasAFault() {
        #expect(!Self.rules.isEmpty)
        for rule in Self.rules { #expect(!rule.faults.isEmpty, "\(rule.id) lists no fault") }
    }
}
