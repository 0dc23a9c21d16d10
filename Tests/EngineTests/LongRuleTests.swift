import Checks
import Engine
import Foundation
import Probes
import Reference
import Testing
import Wire

/// The long rules (JRN-EXPIRY-001), proven both ways on live audits like the fault matrix, but on
/// instances whose TTLs are scaled down (`ttlScale` 0.01: the 300 s location key lives 3 s), so a
/// wait of minutes takes seconds. The rule waits the TTL it reads from the target's own key, at
/// most the contract's, which is scaled here too (`locationTTLSeconds`: 3). The oracle moves its
/// store clock instead of waiting.
@Suite("Long rules (TTL-scaled instances)", .serialized, .timeLimit(.minutes(5)))
struct LongRuleTests {
    static let catalogue = try! RuleCatalogue.bundled()
    static let scale = 0.01

    /// The pack with the long rule's contract TTL scaled as the instances' TTLs are.
    static var scaledCatalogue: RuleCatalogue {
        var catalogue = Self.catalogue
        for index in catalogue.rules.indices where catalogue.rules[index].probe.kind == "expiry" {
            catalogue.rules[index].probe.parameters["locationTTLSeconds"] = Double(StateKeys.locationTTL) * scale
        }
        return catalogue
    }
    static let longRules = catalogue.rules.filter { ProbeCatalog.probe($0.probe.kind)?.long == true }

    @Test("without --long a long rule is not checked, and says how to run it")
    func notCheckedByDefault() async throws {
        let report = try await withLiveTarget { try await $0.audit(only: ["JRN-EXPIRY-001"]) }
        let finding = try #require(report.findings.first { $0.ruleID == "JRN-EXPIRY-001" })
        #expect(finding.status == .notChecked)
        #expect(finding.summary.contains("--long"), "\(finding.summary)")
    }

    @Test("clean and every variant pass; each fault the rule names fails it, fact by fact")
    func bothWays() async throws {
        #expect(Self.longRules.map(\.id) == ["JRN-EXPIRY-001"])
        let rule = try #require(Self.catalogue.rule("JRN-EXPIRY-001"))
        var passing: [(String, Set<Fault>, Set<Variant>)] = [("clean", [], [])]
        passing += Variant.allCases.map { ("variant \($0.rawValue)", [], [$0]) }
        var killed: Set<String> = []
        let cases = passing.map { ($0.0, $0.1, $0.2, true) } + rule.faults.map { ($0, Set([Fault(rawValue: $0)!]), Set<Variant>(), false) }
        try await withThrowingTaskGroup(of: (String, Bool, Finding).self) { group in
            var pending = cases.makeIterator()
            func launch() {
                guard let (name, faults, variants, passes) = pending.next() else { return }
                group.addTask {
                    let report = try await withLiveTarget(faults: faults, variants: variants, ttlScale: Self.scale) {
                        try await $0.audit(only: [rule.id], long: true, catalogue: Self.scaledCatalogue)
                    }
                    return (name, passes, try #require(report.findings.first { $0.ruleID == rule.id }))
                }
            }
            for _ in 0..<3 { launch() }
            while let (name, passes, finding) = try await group.next() {
                #expect(finding.status == (passes ? .pass : .fail), "\(name): \(finding.status.rawValue) — \(finding.summary)")
                for comparison in finding.comparisons where comparison.holds == false { killed.insert(comparison.fact) }
                launch()
            }
        }
        #expect(killed == Set(rule.compare.map(\.fact)), "every compared fact is killed by some fault: \(killed.sorted())")
    }
}
