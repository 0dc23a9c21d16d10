import Foundation
import Testing
import TestSupport
@testable import Checks

@Suite("Baseline and waivers")
struct CertificationTests {
    func finding(_ id: String, _ status: Finding.Status) -> Finding {
        Finding(ruleID: id, status: status, summary: "\(id) \(status.rawValue)", comparisons: [], target: Observation(), oracle: Observation())
    }

    func report(_ statuses: [(String, Finding.Status)], rules: RuleCatalogue = Sample.catalogue, gate: Gate = Gate()) -> AuditReport {
        AuditReport(target: "https://staging.example.com", generatedAt: "2026-11-22T00:00:00Z", auditorVersion: "t", catalogue: rules,
                    durationSeconds: 1, findings: statuses.map { finding($0.0, $0.1) }, gate: gate, warnings: [])
    }

    @Test("every finding is classified against the previous certification")
    func classification() {
        let old = report([("S-BLOCK-001", .fail), ("S-IMP-001", .pass), ("S-ADV-001", .inconclusive)])
        var new = report([("S-BLOCK-001", .pass), ("S-IMP-001", .fail), ("S-ADV-001", .inconclusive)])
        new.compare(to: old)
        let baseline = try! #require(new.baseline)
        #expect(baseline.change(of: "S-BLOCK-001") == .fixed)
        #expect(baseline.change(of: "S-IMP-001") == .new)
        #expect(baseline.change(of: "S-ADV-001") == .stillFailing)
        #expect(baseline.scoreBefore == 20 && baseline.scoreAfter == 66.7)
        #expect(baseline.categories.first { $0.category == "Concurrency" }?.before == 0)
        #expect(baseline.categories.first { $0.category == "Concurrency" }?.after == 100)
    }

    @Test("a rule only in the new catalogue is new when it fails and unchanged when it passes; a dropped one is listed")
    func catalogueChanges() {
        let old = report([("S-BLOCK-001", .pass), ("S-GONE-001", .pass)])
        var new = report([("S-BLOCK-001", .pass), ("S-IMP-001", .fail), ("S-ADV-001", .pass)])
        new.compare(to: old)
        let baseline = new.baseline!
        #expect(baseline.entries.first { $0.ruleID == "S-IMP-001" }.map { ($0.change, $0.addedRule) } ?? (.fixed, false) == (.new, true))
        #expect(baseline.entries.first { $0.ruleID == "S-ADV-001" }?.change == .unchangedPass)
        #expect(baseline.removedRules == ["S-GONE-001"])
    }

    @Test("--fail-on-new: a new important failure fails, an old one does not; a still-failing blocker fails unless waived")
    func failOnNew() {
        let gate = Gate(minScore: 0, failOn: .important, failOnNew: true)
        let old = report([("S-BLOCK-001", .fail), ("S-IMP-001", .fail)], gate: gate)
        var same = report([("S-BLOCK-001", .pass), ("S-IMP-001", .fail)], gate: gate)
        same.compare(to: old)
        #expect(same.gatePassed, "\(same.gateFailures)")
        var blockerStill = report([("S-BLOCK-001", .fail), ("S-IMP-001", .pass)], gate: gate)
        blockerStill.compare(to: old)
        #expect(blockerStill.gateFailures == ["S-BLOCK-001 still fails (blocker, not waived)"])
        blockerStill.apply(waivers: [Waiver(rule: "S-BLOCK-001", justification: "vendor fix due", owner: "ana", expires: "2026-12-31", acceptBlocker: true)])
        #expect(blockerStill.gatePassed)
        let passing = report([("S-BLOCK-001", .pass), ("S-IMP-001", .pass)], gate: gate)
        var regressed = report([("S-BLOCK-001", .pass), ("S-IMP-001", .fail)], gate: gate)
        regressed.compare(to: passing)
        #expect(regressed.gateFailures == ["S-IMP-001 failed (important), new"])
    }

    @Test("a waived failure stays visible and does not fail the gate; an expired waiver is ignored and listed")
    func waivers() throws {
        var current = report([("S-BLOCK-001", .fail), ("S-IMP-001", .pass)], gate: Gate(minScore: 0))
        #expect(!current.gatePassed)
        let valid = Waiver(rule: "S-BLOCK-001", scope: "https://staging", justification: "accepted until the vendor fix", owner: "ana",
                           expires: "2026-11-22", acceptBlocker: true)
        current.apply(waivers: [valid])
        #expect(current.gatePassed)
        #expect(current.findings[0].status == .fail && current.findings[0].waiver == valid)
        #expect(MarkdownRenderer.render(current).contains("**Waived** until 2026-11-22 by ana"))
        #expect(JUnitRenderer.render(current).contains("<skipped message=\"waived until 2026-11-22"))
        #expect(try JSONReportRenderer.render(current).contains("\"waiver\""))

        var later = report([("S-BLOCK-001", .fail)], gate: Gate(minScore: 0))
        later.generatedAt = "2026-11-23T09:00:00Z"
        later.apply(waivers: [valid])
        #expect(!later.gatePassed)
        #expect(later.expiredWaivers == [valid])
        #expect(MarkdownRenderer.render(later).contains("⏰ **expired** waiver for S-BLOCK-001"))

        var elsewhere = report([("S-BLOCK-001", .fail)], gate: Gate(minScore: 0))
        elsewhere.target = "https://production.example.com"
        elsewhere.apply(waivers: [valid])
        #expect(!elsewhere.gatePassed, "scoped to staging only")
    }

    @Test("waivers.yml: valid, blocker without acceptBlocker, and bad entries named")
    func waiverFile() throws {
        let rules = Sample.catalogue.rules
        let good = try WaiverLoader.parse("""
        waivers:
          - {rule: S-IMP-001, justification: "known", owner: ana, expires: 2026-12-31}
          - {rule: S-BLOCK-001, justification: "vendor", owner: bo, expires: "2027-01-15", acceptBlocker: true, scope: "https://staging"}
        """, file: "waivers.yml", rules: rules)
        #expect(good.map(\.expires) == ["2026-12-31", "2027-01-15"])
        func error(_ yaml: String) -> ConfigError? {
            do { _ = try WaiverLoader.parse(yaml, file: "waivers.yml", rules: rules); return nil } catch { return error as? ConfigError }
        }
        #expect(error("waivers:\n  - {rule: S-BLOCK-001, justification: x, owner: a, expires: 2026-12-31}")?.key == "waivers[0].acceptBlocker")
        #expect(error("waivers:\n  - {rule: S-IMP-001, justification: x, owner: a}")?.key == "waivers[0].expires")
        #expect(error("waivers:\n  - {rule: S-IMP-001, justification: x, owner: a, expires: soon}")?.key == "waivers[0].expires")
        #expect(error("waivers:\n  - {rule: NOPE-001, justification: x, owner: a, expires: 2026-12-31}")?.key == "waivers[0].rule")
        #expect(error("waivers:\n  - {rule: S-IMP-001, justification: ' ', owner: a, expires: 2026-12-31}")?.key == "waivers[0].justification")
        #expect(error("nothing: here") != nil)
    }

    @Test("the summary names the verdict, the blockers and what is new")
    func summary() {
        let old = report([("S-BLOCK-001", .pass)])
        var new = report([("S-BLOCK-001", .fail), ("S-IMP-001", .pass)])
        new.compare(to: old)
        let text = SummaryRenderer.render(new)
        #expect(text.hasPrefix("### 🔴 DO NOT DEPLOY"))
        #expect(text.contains("**Blockers**"))
        #expect(text.contains("**New findings**\n- S-BLOCK-001 (fail)"))
    }
}

@Suite("JSON schema")
struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every sample report, the golden report and one with a baseline and waivers validate against schemas/ (python jsonschema)")
    func samplesValidate() async throws {
        func samples(_ dir: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(dir).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { Self.root.appendingPathComponent("\(dir)/\($0)").path }
        }
        var files = samples("sample-reports") + samples("sample-reports/trip")
        #expect(!files.isEmpty && !samples("sample-reports/trip").isEmpty)
        files.append(Self.root.appendingPathComponent("Tests/ChecksTests/Golden/certification.json").path)
        var certified = Sample.report
        certified.apply(waivers: [Waiver(rule: "S-IMP-001", justification: "j", owner: "o", expires: "2030-01-01"),
                                  Waiver(rule: "S-ADV-001", justification: "old", owner: "o", expires: "2020-01-01")])
        certified.compare(to: Sample.report)
        let extra = FileManager.default.temporaryDirectory.appendingPathComponent("certified-\(UUID().uuidString).json")
        try JSONReportRenderer.render(certified).write(to: extra, atomically: true, encoding: .utf8)
        files.append(extra.path)
        let result = try await TestPython.run(Self.root.appendingPathComponent("scripts/validate-report").path, files, timeout: 60)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
