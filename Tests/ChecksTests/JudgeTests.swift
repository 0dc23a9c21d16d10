import Testing
@testable import Checks

@Suite("Judge: target vs oracle, fact by fact")
struct JudgeTests {
    func compare(_ mode: FactComparison.Mode, _ target: FactValue, _ oracle: FactValue, tolerance: Double? = nil, limit: Double? = nil,
                 limitFrom: String? = nil, limits: [String: Double] = [:]) -> Bool? {
        Judge.compare(FactComparison(fact: "f", mode: mode, tolerance: tolerance, limit: limit, limitFrom: limitFrom, description: "f"),
                      target: target, oracle: oracle, limits: limits).holds
    }

    @Test func modes() {
        #expect(compare(.equal, .int(409), .int(409)) == true)
        #expect(compare(.equal, .int(404), .int(410)) == false)
        #expect(compare(.within, .int(3599), .int(3600), tolerance: 2) == true)
        #expect(compare(.within, .int(-1), .int(3600), tolerance: 2) == false)
        #expect(compare(.atMost, .int(1), .int(1)) == true)
        #expect(compare(.atMost, .int(2), .int(1)) == false)
        #expect(compare(.below, .int(2999), .int(5), limit: 3000) == true)
        #expect(compare(.below, .int(3000), .int(5), limit: 3000) == false)
        #expect(compare(.includes, .strings(["a", "b", "c"]), .strings(["a", "b"])) == true)
        #expect(compare(.includes, .strings(["a"]), .strings(["a", "b"])) == false)
        #expect(compare(.equal, .strings(["1", "1"]), .strings(["1", "1"])) == true)
        #expect(compare(.notAbove, .number(250), .int(0), limit: 250) == true)
        #expect(compare(.notAbove, .number(250.1), .int(0), limit: 250) == false)
    }

    @Test("a limit stated in the config: judged against it, never against the reference")
    func configuredLimits() {
        let limits = ["scale.p99.locationUpdate": 250.0]
        #expect(compare(.notAbove, .number(27.8), .unobserved("the reference does not run the load"), limitFrom: "scale.p99.locationUpdate", limits: limits) == true)
        #expect(compare(.notAbove, .number(380), .unobserved("x"), limitFrom: "scale.p99.locationUpdate", limits: limits) == false)
        #expect(compare(.notAbove, .number(1), .int(0), limitFrom: "scale.p99.liveLocation", limits: limits) == nil, "no limit configured decides nothing")
    }

    @Test("includes against a reference that saw nothing proves nothing")
    func includesEmptyReference() {
        #expect(compare(.includes, .strings([]), .strings([])) == nil)
        #expect(compare(.includes, .strings(["a"]), .strings([])) == nil)
    }

    @Test("a composite fact is unobserved when any part is (an unread Redis value never becomes text)")
    func combined() {
        #expect(FactValue.combined([("down", .int(503)), ("timeout", .int(503))]) == .strings(["down: 503", "timeout: 503"]))
        #expect(FactValue.combined([("down", .int(503)), ("timeout", .unobserved("no answer"))]) == .unobserved("no answer"))
    }

    @Test("an unobserved fact decides nothing")
    func unobserved() {
        #expect(compare(.equal, .unobserved("no redis"), .int(1)) == nil)
        #expect(compare(.within, .int(1), .unobserved("oracle"), tolerance: 1) == nil)
        #expect(compare(.below, .unobserved("x"), .int(1), limit: 10) == nil)
    }

    @Test func passFailInconclusive() {
        let rule = Sample.rule("S-BLOCK-001")
        let pass = Judge.judge(rule, target: Sample.observation(["created": .int(1), "events": .int(0)]), oracle: Sample.observation(["created": .int(1), "events": .int(1)]))
        #expect(pass.status == .pass)
        let fail = Judge.judge(rule, target: Sample.observation(["created": .int(2), "events": .int(2)]), oracle: Sample.observation(["created": .int(1), "events": .int(1)]))
        #expect(fail.status == .fail)
        #expect(fail.failedComparisons.map(\.fact) == ["created", "events"])
        #expect(fail.summary.contains("expected 1") && fail.summary.contains("observed 2"))
        let unseen = Judge.judge(rule, target: Sample.observation(["created": .int(1)]), oracle: Sample.observation(["created": .int(1), "events": .int(1)]))
        #expect(unseen.status == .inconclusive)
    }

    @Test("a failed comparison outweighs an unobserved one")
    func failBeatsInconclusive() {
        let rule = Sample.rule("S-BLOCK-001")
        let finding = Judge.judge(rule, target: Sample.observation(["created": .int(3)]), oracle: Sample.observation(["created": .int(1), "events": .int(1)]))
        #expect(finding.status == .fail)
    }

    @Test func probeFailuresAndNotChecked() {
        let rule = Sample.rule("S-IMP-001")
        let ok = Sample.observation(["ttl": .int(3600)])
        #expect(Judge.judge(rule, target: Observation(failure: "connection refused"), oracle: ok).status == .inconclusive)
        #expect(Judge.judge(rule, target: ok, oracle: Observation(failure: "oracle broke")).status == .inconclusive)
        let notChecked = Judge.judge(rule, target: Observation(notChecked: "no socket.url configured"), oracle: ok)
        #expect(notChecked.status == .notChecked && notChecked.summary == "no socket.url configured")
    }

    @Test("facts observed before an error still count: a difference fails, whatever came after")
    func factsSurviveErrors() {
        let rule = Sample.rule("S-BLOCK-001")
        var target = Sample.observation(["created": .int(2)])
        target.failure = "the next step got no answer"
        let finding = Judge.judge(rule, target: target, oracle: Sample.observation(["created": .int(1), "events": .int(1)]))
        #expect(finding.status == .fail)
        #expect(finding.summary.contains("The scenario then stopped: the next step got no answer"))
        var same = Sample.observation(["created": .int(1)])
        same.failure = "the next step got no answer"
        #expect(Judge.judge(rule, target: same, oracle: Sample.observation(["created": .int(1), "events": .int(1)])).status == .inconclusive)
    }
}

@Suite("Scorecard and gate")
struct ScorecardTests {
    let rules = Sample.catalogue.rules

    func finding(_ id: String, _ status: Finding.Status) -> Finding {
        Finding(ruleID: id, status: status, summary: "", comparisons: [], target: Observation(), oracle: Observation())
    }

    @Test func allPassIsReady() {
        let card = Scorecard(findings: rules.map { finding($0.id, .pass) }, rules: rules)
        #expect(card.score == 100 && card.verdict == .ready && card.verdictReasons.isEmpty)
        #expect(card.outOfTen == 10)
    }

    @Test("a failed blocker is DO NOT DEPLOY whatever the score")
    func failedBlocker() {
        let card = Scorecard(findings: [finding("S-BLOCK-001", .fail), finding("S-IMP-001", .pass), finding("S-ADV-001", .pass)], rules: rules)
        #expect(card.verdict == .doNotDeploy)
        #expect(card.verdictReasons == ["S-BLOCK-001 failed (blocker)"])
        #expect(card.score == 33.3 && card.measuredScore == 33.3 && card.cap == nil, "already below the cap: nothing to hold down") // 5 of 15
    }

    /// A failed blocker holds the score at 60 (below any gate minimum); an unverified blocker just
    /// below READY; the cap is said in the headline with the measured score, and the gate's
    /// `minScore` reads the measured score (the verdict already gates on what the cap stands for).
    @Test("the score never contradicts the verdict")
    func scoreCappedByVerdict() {
        let heavy = rules + (1...20).map { Rule(id: "S-IMP-\(100 + $0)", title: "", severity: .important, weight: 3, category: "Correctness",
                                               rationale: "", remediation: "", references: [], probe: rules[0].probe, compare: [], faults: []) }
        let passes = heavy.dropFirst().map { finding($0.id, .pass) }
        let failed = Scorecard(findings: [finding("S-BLOCK-001", .fail)] + passes, rules: heavy)
        #expect(failed.verdict == .doNotDeploy && failed.measuredScore == 86.7 && failed.score == 60)
        #expect(failed.cap == "S-BLOCK-001 failed (blocker)")
        #expect(failed.headline == "6/10 (capped: S-BLOCK-001 failed (blocker); measured 8.7)")
        let unverified = Scorecard(findings: [finding("S-BLOCK-001", .inconclusive)] + passes, rules: heavy)
        #expect(unverified.verdict == .notReady && unverified.measuredScore == 86.7 && unverified.score == 86.7, "below the cap already")
        let unverifiedHigh = Scorecard(findings: [finding("S-BLOCK-001", .notChecked)] + passes, rules: heavy)
        #expect(unverifiedHigh.verdict == .notReady && unverifiedHigh.measuredScore == 100 && unverifiedHigh.score == 89)
        #expect(unverifiedHigh.headline.hasPrefix("8.9/10 (capped: not certified: S-BLOCK-001 not checked"))
        #expect(Gate(accept: .notReady, minScore: 90).failures([finding("S-BLOCK-001", .notChecked)] + passes, scorecard: unverifiedHigh, rules: heavy).isEmpty,
                "accept: not-ready still passes a NOT READY at measured 100: the cap does not gate twice")
        let clean = Scorecard(findings: heavy.map { finding($0.id, .pass) }, rules: heavy)
        #expect(clean.cap == nil && clean.headline == "10/10")
    }

    @Test("failed important, inconclusive blocker, or a low score cap at NOT READY")
    func caps() {
        let important = Scorecard(findings: [finding("S-BLOCK-001", .pass), finding("S-IMP-001", .fail), finding("S-ADV-001", .pass)], rules: rules)
        #expect(important.verdict == .notReady)
        #expect(important.verdictReasons.contains("S-IMP-001 failed (important)"))
        let unknown = Scorecard(findings: [finding("S-BLOCK-001", .inconclusive), finding("S-IMP-001", .pass)], rules: rules)
        #expect(unknown.verdict == .notReady)
        #expect(unknown.verdictReasons.first == "S-BLOCK-001 was inconclusive (blocker)")
        let advisory = Scorecard(findings: [finding("S-BLOCK-001", .pass), finding("S-IMP-001", .pass), finding("S-ADV-001", .fail)], rules: rules)
        #expect(advisory.score == 86.7)
        #expect(advisory.verdict == .notReady)
    }

    @Test("rules not checked or excluded leave the score and are listed; coverage counts what was decided")
    func notCheckedAndExcluded() {
        let card = Scorecard(findings: [finding("S-BLOCK-001", .pass), finding("S-IMP-001", .excluded), finding("S-ADV-001", .notChecked)], rules: rules)
        #expect(card.score == 100 && card.verdict == .ready)
        #expect(card.notApplicable == ["S-IMP-001", "S-ADV-001"])
        #expect(card.categories.first { $0.category == "Scalability" }?.score == nil)
        #expect(card.coverage.line == "checked 1/3 rules, 1/1 blockers")
    }

    @Test("a blocker not checked caps the verdict at NOT READY (and the score below READY), even at 100; excluded on purpose, it does not")
    func unverifiedBlocker() {
        var missing = finding("S-BLOCK-001", .notChecked)
        missing.summary = "no socket.url configured"
        let card = Scorecard(findings: [missing, finding("S-IMP-001", .pass), finding("S-ADV-001", .pass)], rules: rules)
        #expect(card.measuredScore == 100 && card.score == 89)
        #expect(card.verdict == .notReady)
        #expect(card.verdictReasons == ["not certified: S-BLOCK-001 not checked — no socket.url configured"])
        #expect(card.coverage.line == "checked 2/3 rules, 0/1 blockers")
        let excluded = Scorecard(findings: [finding("S-BLOCK-001", .excluded), finding("S-IMP-001", .pass)], rules: rules)
        #expect(excluded.verdict == .ready)
    }

    @Test("an audit that could not run is INCOMPLETE, whatever its findings")
    func incomplete() {
        let card = Scorecard(findings: rules.map { finding($0.id, .notChecked) }, rules: rules, incomplete: "connection refused")
        #expect(card.verdict == .incomplete && card.verdictReasons == ["connection refused"])
    }

    @Test func gate() {
        let findings = [finding("S-BLOCK-001", .pass), finding("S-IMP-001", .fail), finding("S-ADV-001", .pass)]
        let card = Scorecard(findings: findings, rules: rules)
        #expect(card.score == 80)
        #expect(Gate(minScore: 90).failures(findings, scorecard: card, rules: rules)
                == ["S-IMP-001 failed (important)", "score 80 is below 90", "score 80 is below the gate's minimum 90"])
        #expect(Gate(accept: .notReady, minScore: 50, failOn: .blocker).failures(findings, scorecard: card, rules: rules).isEmpty)
        #expect(Gate(accept: .notReady, minScore: 50, failOn: .important).failures(findings, scorecard: card, rules: rules) == ["S-IMP-001 failed (important)"])
        #expect(Gate(accept: .notReady, minScore: 0, failOn: .none).failures(findings, scorecard: card, rules: rules).isEmpty)
    }

    func report(_ findings: [Finding], gate: Gate = Gate(), incomplete: String? = nil) -> AuditReport {
        AuditReport(target: "t", generatedAt: "2026-11-22T00:00:00Z", auditorVersion: "0", catalogue: Sample.catalogue, durationSeconds: 1,
                    findings: findings, gate: gate, warnings: [], incomplete: incomplete)
    }

    @Test("exit code = verdict: 0 only for READY; 1 when something failed; 2 when something could not be verified")
    func exitCodes() {
        #expect(report(rules.map { finding($0.id, .pass) }).exitCode == 0)
        #expect(report([finding("S-BLOCK-001", .fail), finding("S-IMP-001", .pass), finding("S-ADV-001", .pass)]).exitCode == 1)
        // One inconclusive blocker: 92 ≥ 90 was exit 0 before; it is NOT READY, so never 0.
        let unverified = report([finding("S-BLOCK-001", .inconclusive), finding("S-IMP-001", .pass), finding("S-ADV-001", .pass)])
        #expect(unverified.scorecard.verdict == .notReady && unverified.exitCode == 2)
        #expect(report([finding("S-BLOCK-001", .notChecked), finding("S-IMP-001", .pass)]).exitCode == 2)
        #expect(report(rules.map { finding($0.id, .notChecked) }, incomplete: "connection refused").exitCode == 2)
        // Loosened on purpose: NOT READY passes, DO NOT DEPLOY still does not.
        #expect(report([finding("S-BLOCK-001", .inconclusive), finding("S-IMP-001", .pass)], gate: Gate(accept: .notReady, minScore: 0)).exitCode == 0)
        #expect(report([finding("S-BLOCK-001", .fail)], gate: Gate(accept: .notReady, minScore: 0, failOn: .none)).exitCode == 1)
    }
}
