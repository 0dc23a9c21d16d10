import Testing
@testable import Checks

@Suite("Judge: target vs oracle, fact by fact")
struct JudgeTests {
    func compare(_ mode: FactComparison.Mode, _ target: FactValue, _ oracle: FactValue, tolerance: Double? = nil, limit: Double? = nil) -> Bool? {
        Judge.compare(FactComparison(fact: "f", mode: mode, tolerance: tolerance, limit: limit, description: "f"), target: target, oracle: oracle).holds
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

    @Test func probeFailuresAndNotApplicable() {
        let rule = Sample.rule("S-IMP-001")
        let ok = Sample.observation(["ttl": .int(3600)])
        #expect(Judge.judge(rule, target: Observation(failure: "connection refused"), oracle: ok).status == .inconclusive)
        #expect(Judge.judge(rule, target: ok, oracle: Observation(failure: "oracle broke")).status == .inconclusive)
        #expect(Judge.judge(rule, target: Observation(notApplicable: "no socket.url"), oracle: ok).status == .notApplicable)
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
        #expect(card.score == 33.3) // 5 of 15
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

    @Test("not-applicable rules leave the score and are listed")
    func notApplicable() {
        let card = Scorecard(findings: [finding("S-BLOCK-001", .pass), finding("S-ADV-001", .notApplicable)], rules: rules)
        #expect(card.score == 100 && card.verdict == .ready)
        #expect(card.notApplicable == ["S-ADV-001"])
        #expect(card.categories.first { $0.category == "Scalability" }?.score == nil)
    }

    @Test func gate() {
        let findings = [finding("S-BLOCK-001", .pass), finding("S-IMP-001", .fail), finding("S-ADV-001", .pass)]
        let card = Scorecard(findings: findings, rules: rules)
        #expect(card.score == 80)
        #expect(Gate(minScore: 90).failures(findings, scorecard: card, rules: rules) == ["score 80 is below the gate's minimum 90"])
        #expect(Gate(minScore: 50, failOn: .blocker).failures(findings, scorecard: card, rules: rules).isEmpty)
        #expect(Gate(minScore: 50, failOn: .important).failures(findings, scorecard: card, rules: rules) == ["S-IMP-001 failed (important)"])
        #expect(Gate(minScore: 0, failOn: .none).failures(findings, scorecard: card, rules: rules).isEmpty)
    }
}
