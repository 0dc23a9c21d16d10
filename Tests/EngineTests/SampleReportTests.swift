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

    static let samples: [String] = names(in: directory)

    /// The trip pack's samples, as paths relative to sample-reports/ (`trip/clean`).
    static let tripSamples: [String] = names(in: directory.appendingPathComponent("trip")).map { "trip/\($0)" }

    static func names(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("every fault a rule names has a sample (but those only a long rule names), and so does the clean reference")
    func complete() throws {
        let named = Set(try RuleCatalogue.bundled().rules.filter { !FaultMatrixTests.longRules.contains($0.id) }.flatMap(\.faults))
        #expect(Set(Self.samples) == named.union(["clean"]), "run scripts/sample-reports")
    }

    /// One screen to the verdict, and prose a terminal or a diff shows whole.
    @Test("every trip fault a rule names has a sample in sample-reports/trip, and so does the clean trip reference")
    func tripComplete() throws {
        let named = Set(try RuleCatalogue.bundled(.trip).rules.flatMap(\.faults))
        #expect(Set(Self.tripSamples) == Set(named.union(["clean"]).map { "trip/\($0)" }), "run scripts/sample-reports")
    }

    @Test("every sample of both packs: the executive summary fits in 40 lines; no line outside code and tables over 200 characters")
    func readable() throws {
        for name in Self.samples + Self.tripSamples {
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
        for name in Self.samples + Self.tripSamples {
            let report = try JSONReportRenderer.parse(try String(contentsOf: Self.directory.appendingPathComponent("\(name).json"), encoding: .utf8))
            if report.scorecard.verdict == .doNotDeploy {
                #expect(report.scorecard.score < report.gate.minScore, "\(name): \(report.scorecard.score)")
            }
        }
    }
}
