import Checks
import Engine
import Foundation
import Testing

@Suite("Whole audits", .timeLimit(.minutes(5)))
struct FullAuditTests {
    @Test("the clean reference, audited 5 times on real Redis: zero findings each time")
    func cleanFiveTimes() async throws {
        try await withLiveTarget { target in
            for round in 1...5 {
                let report = try await target.audit()
                // The long rules run only with --long (LongRuleTests).
                let open = report.findings.filter { $0.status != .pass && !FaultMatrixTests.longRules.contains($0.ruleID) }
                #expect(open.isEmpty, "round \(round): \(open.map { "\($0.ruleID) \($0.status.rawValue): \($0.summary)" })")
                #expect(report.scorecard.verdict == .ready)
                #expect(report.scorecard.score == 100)
                #expect(report.gatePassed)
                print("full audit \(round): \(String(format: "%.2f", report.durationSeconds)) s, \(report.requestsSent) requests to the target, \(report.findings.count) rules")
            }
        }
    }

    @Test("a faulted target: DO NOT DEPLOY naming the rule, and the gate fails")
    func faultedTarget() async throws {
        let report = try await withLiveTarget(faults: [.checkThenSet]) { try await $0.audit() }
        #expect(report.scorecard.verdict == .doNotDeploy)
        #expect(report.scorecard.verdictReasons.contains("JRN-RACE-001 failed (blocker)"))
        #expect(!report.gatePassed)
        let markdown = MarkdownRenderer.render(report)
        #expect(markdown.contains("### ❌ JRN-RACE-001"))
    }

    @Test("no token reaches a report")
    func noSecretsInReports() async throws {
        try await withLiveTarget(faults: [.leakyLive]) { target in
            let report = try await target.audit(only: ["JRN-OWN-001", "JRN-AUTH-001"])
            let everything = MarkdownRenderer.render(report) + (try JSONReportRenderer.render(report)) + JUnitRenderer.render(report)
            // Fixture tokens are 64 hex characters; none may appear anywhere.
            let token = try Regex("[0-9a-f]{64}")
            #expect(everything.firstMatch(of: token) == nil)
        }
    }

    @Test("an unreachable target is a report: INCOMPLETE, the reason in words, every rule not checked, exit 2")
    func unreachable() async throws {
        var config = AuditConfig(baseURL: URL(string: "http://127.0.0.1:1")!, fixtures: .fixed(["{}"]))
        config.gate = Gate()
        let report = try await AuditRunner.run(AuditRequest(config: config, catalogue: try RuleCatalogue.bundled()))
        #expect(report.scorecard.verdict == .incomplete)
        #expect(report.incomplete == "the target did not answer its base URL (GET http://127.0.0.1:1): connection refused")
        #expect(report.findings.count == (try RuleCatalogue.bundled()).rules.count && report.findings.allSatisfy { $0.status == .notChecked })
        #expect(report.exitCode == 2)
    }

    @Test("exhausted static fixtures make rules inconclusive, never pass")
    func exhaustedFixtures() async throws {
        try await withLiveTarget { target in
            // One real fixture: the preflight consumes it for the first rule; the rest find none.
            let response = try await target.freshFixtureJSON()
            var config = target.config
            config.fixtures = .fixed([response])
            var request = AuditRequest(config: config, catalogue: try RuleCatalogue.bundled())
            request.only = ["JRN-TTL-001", "JRN-GONE-001"]
            request.parallelism = 1
            request.targetEvents = target.events
            request.targetProxy = target.proxy
            let report = try await AuditRunner.run(request)
            #expect(report.findings.contains { $0.status == .inconclusive && $0.summary.contains("exhausted") })
            #expect(!report.findings.contains { $0.ruleID == "JRN-GONE-001" && $0.status == .pass })
        }
    }
}
