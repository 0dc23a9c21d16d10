import Foundation
import Testing
@testable import Checks
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Golden files: the exact text each renderer writes for a fixed report.
/// After an intended change, regenerate with `UPDATE_GOLDEN=1 swift test --filter RendererTests`.
@Suite("Renderers")
struct RendererTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func matchesGolden(_ text: String, _ name: String) throws {
        let file = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its golden file; if intended, run with UPDATE_GOLDEN=1")
    }

    /// The text as a reader sees it: Markdown joins the wrapped lines of a paragraph.
    func flat(_ markdown: String) -> String {
        markdown.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    @Test func markdown() throws {
        let text = MarkdownRenderer.render(Sample.report)
        try matchesGolden(text, "certification.md")
        #expect(text.contains("**Final Verdict:** 🔴 **DO NOT DEPLOY** — S-BLOCK-001 failed (blocker)"))
        #expect(text.contains("seq 2 | xargs -P 2 -I{} curl"))
        #expect(text.contains("`auditor check S-BLOCK-001 --config audit.yml` runs this probe again"))
        #expect(!text.contains("cleanup: stop: POST") || !text.contains("stop-journey\"\n"))
    }

    /// `--detail summary`: the findings and the check line, without transcripts, hand reproductions or the scenario table.
    @Test func summaryDetail() {
        let full = MarkdownRenderer.render(Sample.report)
        let summary = MarkdownRenderer.render(Sample.report, detail: .summary)
        for part in ["**Evidence (target):**", "```sh", "## 🧪 Failure Scenarios Exercised"] {
            #expect(full.contains(part) && !summary.contains(part), "\(part)")
        }
        #expect(summary.contains("`auditor check S-BLOCK-001 --config audit.yml`") && summary.contains("| starts answered 201 | 1 | 2 | ❌ |"))
        #expect(summary.split(separator: "\n").count < full.split(separator: "\n").count)
    }

    @Test func json() throws {
        let text = try JSONReportRenderer.render(Sample.report)
        try matchesGolden(text, "certification.json")
        let decoded = try JSONReportRenderer.parse(text)
        #expect(decoded == Sample.report)
        #expect(decoded.schemaVersion == AuditReport.currentSchemaVersion)
    }

    @Test func junit() throws {
        let text = JUnitRenderer.render(Sample.report)
        try matchesGolden(text, "junit.xml")
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse(), "JUnit XML is not well-formed: \(String(describing: parser.parserError))")
        #expect(text.contains(#"<failure type="blocker""#))
        #expect(text.contains(#"<error type="inconclusive""#))
    }

    @Test("coverage, not checked, excluded and INCOMPLETE appear in every format")
    func coverageInEveryFormat() throws {
        let exclusion = Exclusion(rule: "S-ADV-001", justification: "no cache in this service", owner: "ana@example.com", expires: "2099-01-01")
        let findings = [Finding.notRun("S-BLOCK-001", excludedBy: nil, otherwise: "no socket.url configured"),
                        Judge.judge(Sample.rule("S-IMP-001"), target: Sample.observation(["ttl": .int(3600)]), oracle: Sample.observation(["ttl": .int(3600)])),
                        Finding.notRun("S-ADV-001", excludedBy: exclusion, otherwise: "")]
        let report = AuditReport(target: "t", generatedAt: "2026-11-22T00:00:00Z", auditorVersion: "0", catalogue: Sample.catalogue,
                                 durationSeconds: 1, findings: findings, gate: Gate(), warnings: [])
        #expect(report.scorecard.verdict == .notReady && report.exitCode == 2)
        let markdown = MarkdownRenderer.render(report)
        #expect(flat(markdown).contains("**Coverage:** checked 1/3 rules, 0/1 blockers · 1 passed · 0 failed · 0 inconclusive · 1 not checked · 1 excluded"))
        #expect(flat(markdown).contains("not certified: S-BLOCK-001 not checked — no socket.url configured"))
        #expect(flat(markdown).contains("excluded until 2099-01-01 by ana@example.com: no cache in this service"))
        let junit = JUnitRenderer.render(report)
        #expect(junit.contains(#"<error type="not-checked" message="no socket.url configured">"#), "a blocker not checked is an error, not a skip")
        #expect(junit.contains(#"<skipped message="excluded until 2099-01-01 by ana@example.com: no cache in this service"/>"#))
        let json = try JSONReportRenderer.render(report)
        #expect(json.contains(#""rulesChecked" : 1"#) && json.contains(#""status" : "excluded""#))

        let incomplete = AuditReport(target: "t", generatedAt: "2026-11-22T00:00:00Z", auditorVersion: "0", catalogue: Sample.catalogue,
                                     durationSeconds: 1, findings: Sample.catalogue.rules.map { Finding.notRun($0.id, excludedBy: nil, otherwise: "the audit could not run") },
                                     gate: Gate(), warnings: [], incomplete: "the target did not answer its base URL: connection refused")
        #expect(MarkdownRenderer.render(incomplete).contains("**Final Verdict:** ⚪ **INCOMPLETE** — the target did not answer its base URL: connection refused"))
        #expect(JUnitRenderer.render(incomplete).contains(#"<error type="incomplete" message="the target did not answer its base URL: connection refused"/>"#))
        #expect(try JSONReportRenderer.parse(try JSONReportRenderer.render(incomplete)) == incomplete)
    }

    /// The transport line at the top, the CA the reproductions need, and the loud form for
    /// unverified TLS; the JSON keeps it. A plain-HTTP report has no transport line at all.
    @Test func transport() throws {
        var report = Sample.report
        #expect(!MarkdownRenderer.render(report).contains("**Transport:**"))
        var config = AuditConfig(baseURL: URL(string: "https://staging.example.com")!, fixtures: .fixed(["{}"]))
        config.redisURL = "rediss://auditor:pw@cache:6380"
        config.tls = TLSSpec(caFile: "/ci/ca.crt")
        report.transport = Transport.of(config)
        let markdown = MarkdownRenderer.render(report)
        #expect(markdown.contains("**Transport:** https, rediss; certificates verified against the CA in /ci/ca.crt"))
        #expect(flat(markdown).contains("`CURL_CA_BUNDLE`, which `auditor reproduce` sets from `tls.caFile`; for `rediss://` add `--cacert /ci/ca.crt` to redis-cli"))
        #expect(try JSONReportRenderer.parse(try JSONReportRenderer.render(report)) == report)
        config.redisTLS = TLSSpec(insecureSkipVerify: true)
        report.transport = Transport.of(config)
        #expect(MarkdownRenderer.render(report).contains("**Transport:** ⚠️ https, rediss; TLS NOT VERIFIED (insecureSkipVerify)"))
        #expect(Transport.of(AuditConfig(baseURL: URL(string: "http://h")!, fixtures: .fixed(["{}"]))).tls == false)
    }

    /// A version endpoint's answer, in the words a header needs.
    @Test func identity() {
        #expect(TargetIdentity.version(fromBody: "", json: ["version": "1.4.2", "commit": "3f2c9e1"]) == "1.4.2 (3f2c9e1)")
        #expect(TargetIdentity.version(fromBody: "", json: ["gitCommit": "3f2c9e1"]) == "3f2c9e1")
        #expect(TargetIdentity.version(fromBody: "v2.0.1\nbuilt by ci", json: nil) == "v2.0.1")
        #expect(TargetIdentity.version(fromBody: "  \n", json: nil) == nil)
        var report = Sample.report
        report.identity = TargetIdentity(name: "journey-api", version: "1.4.2 (3f2c9e1)", environment: "staging")
        #expect(MarkdownRenderer.render(report).contains("**Certified:** journey-api 1.4.2 (3f2c9e1) on staging  \n**Target:**"))
        #expect(SummaryRenderer.render(report).contains("**journey-api 1.4.2 (3f2c9e1) on staging** · Target"))
        #expect(JUnitRenderer.render(report).contains(#"<property name="certified" value="journey-api 1.4.2 (3f2c9e1) on staging"/>"#))
    }

    /// A passing rule is one line a reader can scan: at most 120 characters, cut with "…".
    @Test func passingRulesFitOneLine() {
        let short = MarkdownRenderer.passLine("- ✅ **S-1** Short", "ttl: 300")
        #expect(short == "- ✅ **S-1** Short — ttl: 300")
        let long = MarkdownRenderer.passLine("- ✅ **JRN-EVB-002** Journey events reach EventBridge with the contract's shape", String(repeating: "DetailType=TrainerJourneyStarted ", count: 20))
        #expect(long.count == MarkdownRenderer.passLineLimit && long.hasSuffix("…"))
        let title = MarkdownRenderer.passLine("- ✅ **X** " + String(repeating: "t", count: 200), "observed")
        #expect(title.count == MarkdownRenderer.passLineLimit)
        for line in MarkdownRenderer.render(Sample.report).split(separator: "\n") where line.hasPrefix("- ✅") {
            #expect(line.count <= MarkdownRenderer.passLineLimit, "\(line)")
        }
    }

    @Test func xmlEscaping() {
        #expect(JUnitRenderer.escape("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;")
    }
}
