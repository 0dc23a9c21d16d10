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

    @Test func markdown() throws {
        let text = MarkdownRenderer.render(Sample.report)
        try matchesGolden(text, "certification.md")
        #expect(text.contains("**Final Verdict:** 🔴 **DO NOT DEPLOY** — S-BLOCK-001 failed (blocker)"))
        #expect(text.contains("seq 2 | xargs -P 2 -I{} curl"))
        #expect(!text.contains("cleanup: stop: POST") || !text.contains("stop-journey\"\n"))
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

    @Test func reproductionUsesVariablesNotTokens() {
        let exchange = Exchange(kind: .http, label: "x", request: "GET /live?sessionId=s1", credential: "otherStudent", result: "403")
        #expect(TranscriptFormatter.command(for: exchange) == #"curl -s -i -H "Authorization: Bearer $OTHER_STUDENT_TOKEN" "$BASE/live?sessionId=s1""#)
        let none = Exchange(kind: .http, label: "x", request: "POST /a", credential: "none", result: "401")
        #expect(TranscriptFormatter.command(for: none) == #"curl -s -i -X POST "$BASE/a""#)
    }

    @Test func xmlEscaping() {
        #expect(JUnitRenderer.escape("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;")
    }
}
