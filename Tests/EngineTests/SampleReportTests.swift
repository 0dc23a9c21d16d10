import Checks
import Engine
import Foundation
import Reference
import Testing

/// sample-reports/ must stay what the tool produces: each committed report is regenerated
/// (scripts/sample-reports does the same through the CLI) and must agree in verdict, score and
/// every rule's status.
@Suite("sample-reports/ are current", .serialized, .timeLimit(.minutes(5)))
struct SampleReportTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-reports")

    static let samples: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    @Test("every fault a rule names has a sample, and so does the clean reference")
    func complete() throws {
        let named = Set(try RuleCatalogue.bundled().rules.flatMap(\.faults))
        #expect(Set(Self.samples) == named.union(["clean"]), "run scripts/sample-reports")
    }

    @Test("regenerated report agrees with the committed one", arguments: samples)
    func regenerate(_ name: String) async throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("\(name).json"), encoding: .utf8)
        let committed = try JSONReportRenderer.parse(text)
        let faults: Set<Fault> = name == "clean" ? [] : [try #require(Fault(rawValue: name), "no fault named \(name)")]
        let fresh = try await Demo.run(faults: faults, catalogue: try RuleCatalogue.bundled(), auditorVersion: "test", progress: { _ in })
        #expect(fresh.scorecard.verdict == committed.scorecard.verdict, "\(name): verdict")
        #expect(fresh.scorecard.score == committed.scorecard.score, "\(name): score")
        let statuses = { (report: AuditReport) in Dictionary(uniqueKeysWithValues: report.findings.map { ($0.ruleID, $0.status) }) }
        #expect(statuses(fresh) == statuses(committed), "\(name): rule statuses; run scripts/sample-reports if the change is intended")
    }
}
