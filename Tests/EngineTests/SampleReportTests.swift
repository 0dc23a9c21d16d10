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

    @Test("every fault a rule names has a sample, and so does the clean reference")
    func complete() throws {
        let named = Set(try RuleCatalogue.bundled().rules.flatMap(\.faults))
        #expect(Set(Self.samples) == named.union(["clean"]), "run scripts/sample-reports")
    }
}
