import Checks
import Engine
import Foundation
import Probes
import Reference
import Testing

/// The fault × rule matrix, from live audits of the reference on a real redis-server (two
/// instances behind the fault proxy, EventBridge wired to the auditor): under each fault exactly
/// the rules that name it fail, and nothing else moves; the clean reference and every variant (a
/// right implementation that took the other side of an open choice) give zero findings. It also
/// measures fact coverage — every compared fact of every rule must be killed by some fault — and
/// checks each committed sample report against the same audit (verdict, score, every status).
@Suite("Fault × rule matrix, variants, fact coverage", .serialized, .timeLimit(.minutes(15)))
struct FaultMatrixTests {
    static let catalogue = try! RuleCatalogue.bundled()

    /// Which rules name each fault: the rule pack is the one place that says so.
    static var named: [String: Set<String>] {
        catalogue.rules.reduce(into: [:]) { map, rule in for fault in rule.faults { map[fault, default: []].insert(rule.id) } }
    }

    /// Rules whose probe waits minutes (run with `--long`): not run here, so not checked in every
    /// audit of the matrix; LongRuleTests proves them both ways on TTL-scaled instances.
    static let longRules = Set(catalogue.rules.filter { ProbeCatalog.probe($0.probe.kind)?.long == true }.map(\.id))

    /// Faults that only long rules name have no sample report (a demo without --long cannot show them).
    static func hasSample(_ fault: Fault) -> Bool { !(named[fault.rawValue] ?? []).isSubset(of: longRules) }

    enum Case: Sendable, Hashable {
        case clean
        case fault(Fault)
        case variant(Variant)

        var name: String {
            switch self {
            case .clean: return "clean"
            case .fault(let fault): return fault.rawValue
            case .variant(let variant): return "variant \(variant.rawValue)"
            }
        }
    }

    struct Outcome: Sendable {
        var report: AuditReport
        /// Rules that did not pass, with their status (the long rules, not run here, aside).
        var moved: [String: Finding.Status] {
            Dictionary(uniqueKeysWithValues: report.findings.filter { $0.status != .pass && !FaultMatrixTests.longRules.contains($0.ruleID) }.map { ($0.ruleID, $0.status) })
        }
    }

    /// Audits every case, three at a time (each audit is mostly waiting: rate windows, the load).
    static func auditAll(_ cases: [Case]) async throws -> [Case: Outcome] {
        try await withThrowingTaskGroup(of: (Case, Outcome).self) { group in
            var pending = cases.makeIterator()
            func launch() {
                guard let next = pending.next() else { return }
                group.addTask {
                    switch next {
                    case .clean: return (next, Outcome(report: try await withLiveTarget { try await $0.audit() }))
                    case .fault(let fault): return (next, Outcome(report: try await withLiveTarget(faults: [fault]) { try await $0.audit() }))
                    case .variant(let variant): return (next, Outcome(report: try await withLiveTarget(variants: [variant]) { try await $0.audit() }))
                    }
                }
            }
            for _ in 0..<3 { launch() }
            var outcomes: [Case: Outcome] = [:]
            while let (done, outcome) = try await group.next() {
                outcomes[done] = outcome
                launch()
            }
            return outcomes
        }
    }

    @Test("each fault fails exactly the rules that name it; clean and every variant: zero findings; every fact is killed")
    func matrix() async throws {
        let faults = Set(Self.named.keys)
        #expect(faults == Set(Fault.allCases.map(\.rawValue)), "every fault is named by some rule, and every named fault exists")
        let cases: [Case] = [.clean] + Fault.allCases.map(Case.fault) + Variant.allCases.map(Case.variant)
        let outcomes = try await Self.auditAll(cases)

        var lines = ["fault × rule matrix (rules that did not pass; ✓ = exactly the rules that name the fault):"]
        for item in cases {
            guard let outcome = outcomes[item] else { Issue.record("\(item.name): no audit"); continue }
            let moved = outcome.moved
            let expected: Set<String>
            switch item {
            case .fault(let fault): expected = (Self.named[fault.rawValue] ?? []).subtracting(Self.longRules)
            case .clean, .variant: expected = []
            }
            for finding in outcome.report.findings where Self.longRules.contains(finding.ruleID) {
                #expect(finding.status == .notChecked, "\(item.name): \(finding.ruleID) is long and runs only with --long, got \(finding.status.rawValue)")
            }
            let exact = Set(moved.keys) == expected && moved.values.allSatisfy { $0 == .fail }
            lines.append("  \(exact ? "✓" : "✗") \(item.name): " + (moved.isEmpty ? "none" : moved.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")))
            #expect(Set(moved.keys) == expected, "\(item.name): expected exactly \(expected.sorted()), got \(moved.sorted { $0.key < $1.key }) — \(Self.reasons(outcome.report))")
            #expect(moved.values.allSatisfy { $0 == .fail }, "\(item.name): a fault's rules must fail, not turn inconclusive — \(Self.reasons(outcome.report))")
            #expect(outcome.report.leftBehind?.active.isEmpty ?? false || item == .fault(.journeyKeptAsEnded),
                    "\(item.name): \(outcome.report.leftBehind?.line() ?? "no read-back")")
            if item == .clean || { if case .variant = item { return true } else { return false } }() {
                #expect(outcome.report.scorecard.verdict == .ready && outcome.report.exitCode == 0, "\(item.name): \(outcome.report.scorecard.verdictReasons)")
            }
        }
        print(lines.joined(separator: "\n"))

        // Fact coverage: a fact no fault can make differ is a fact nothing proves the rule checks.
        var killed: [String: Set<String>] = [:]
        for case .fault(let fault) in cases {
            for finding in outcomes[.fault(fault)]?.report.findings ?? [] {
                for comparison in finding.comparisons where comparison.holds == false {
                    killed["\(finding.ruleID).\(comparison.fact)", default: []].insert(fault.rawValue)
                }
            }
        }
        let facts = Self.catalogue.rules.filter { !Self.longRules.contains($0.id) }.flatMap { rule in rule.compare.map { "\(rule.id).\($0.fact)" } }
        let unkilled = facts.filter { killed[$0] == nil }
        print("fact coverage: \(facts.count - unkilled.count)/\(facts.count) compared facts killed by some fault")
        for fact in facts { print("  \(fact) ← \(killed[fact]?.sorted().joined(separator: ", ") ?? "NOTHING")") }
        #expect(unkilled.isEmpty, "facts no fault kills: \(unkilled)")

        // The committed sample reports say what this audit says.
        for item in cases {
            let name: String
            switch item {
            case .clean: name = "clean"
            case .fault(let fault) where Self.hasSample(fault): name = fault.rawValue
            case .fault, .variant: continue
            }
            guard let outcome = outcomes[item] else { continue }
            let file = SampleReportTests.directory.appendingPathComponent("\(name).json")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("sample-reports/\(name).json is missing: run scripts/sample-reports")
                continue
            }
            let committed = try JSONReportRenderer.parse(text)
            let statuses = { (report: AuditReport) in Dictionary(uniqueKeysWithValues: report.findings.map { ($0.ruleID, $0.status) }) }
            #expect(statuses(outcome.report) == statuses(committed), "\(name): rule statuses differ from sample-reports/\(name).json; run scripts/sample-reports if intended")
            #expect(outcome.report.scorecard.verdict == committed.scorecard.verdict && outcome.report.scorecard.score == committed.scorecard.score,
                    "\(name): verdict or score differs from the committed sample")
        }
    }

    static func reasons(_ report: AuditReport) -> String {
        report.findings.filter { $0.status != .pass }.map { "\($0.ruleID): \($0.summary)" }.joined(separator: " | ")
    }
}
