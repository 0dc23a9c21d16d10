import Checks
import Foundation
import Testing

/// sample-reports/ must stay what the tool produces. The fault × rule matrix audits every fault
/// and compares each committed report with its audit (verdict, score, every rule's status); here,
/// only that the set is complete.
@Suite("sample-reports/ are complete")
struct SampleReportTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-reports")

    static let samples: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    @Test("every fault a rule names has a sample (but those only a long rule names), and so does the clean reference")
    func complete() throws {
        let named = Set(try RuleCatalogue.bundled().rules.filter { !FaultMatrixTests.longRules.contains($0.id) }.flatMap(\.faults))
        #expect(Set(Self.samples) == named.union(["clean"]), "run scripts/sample-reports")
    }

    /// One screen to the verdict, and prose a terminal or a diff shows whole.
    @Test("every sample: the executive summary fits in 40 lines; no line outside code and tables over 200 characters")
    func readable() throws {
        for name in Self.samples {
            let markdown = try String(contentsOf: Self.directory.appendingPathComponent("\(name).md"), encoding: .utf8)
            let summary = markdown.components(separatedBy: "## 📋 Executive Summary")[1].components(separatedBy: "\n---\n")[0]
            #expect(summary.split(separator: "\n", omittingEmptySubsequences: false).count <= 40, "\(name): the summary is longer than a screen")
            var inCode = false
            for line in markdown.split(separator: "\n") {
                if line.hasPrefix("```") { inCode.toggle(); continue }
                if inCode || line.hasPrefix("|") { continue }
                #expect(line.count <= 200, "\(name): \(line.prefix(80))… has \(line.count) characters")
            }
        }
    }

    /// The score never contradicts the verdict: a DO NOT DEPLOY never clears the gate's minimum.
    @Test func doNotDeployScoresBelowTheGate() throws {
        for name in Self.samples {
            let report = try JSONReportRenderer.parse(try String(contentsOf: Self.directory.appendingPathComponent("\(name).json"), encoding: .utf8))
            if report.scorecard.verdict == .doNotDeploy {
                #expect(report.scorecard.score < report.gate.minScore, "\(name): \(report.scorecard.score)")
            }
        }
    }
}
