import Checks
import Foundation

/// JRN-WS-002: the forbidden WebSocket shapes of CONTRACT.md in the backend and mobile source.
struct SourceProbe: Probe {
    let kind = "source-scan"

    func plan(_ spec: ProbeSpec) -> [String] { ["no requests: reads the files under source.paths (TS/JS/TSX/JSX)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 0 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard !run.system.sourcePaths.isEmpty else {
            run.notApplicable("no source.paths configured")
            return
        }
        let findings: [SourceFinding]
        do {
            findings = try SourceScanner().scan(run.system.sourcePaths)
        } catch {
            throw ProbeError("cannot read source: \(error)")
        }
        for finding in findings {
            run.log(.note, "source", "\(finding.file):\(finding.line)", result: "\(finding.shape) — \(finding.text)")
        }
        run.note("source", "scanned \(run.system.sourcePaths.joined(separator: ", ")): \(findings.count) forbidden shapes")
        // Compared as distinct shapes (what); where is in the evidence (the reference's tree has other paths).
        run.record("forbiddenShapes", .strings(Array(Set(findings.map(\.shape))).sorted()))
        run.record("forbiddenShapeCount", .int(findings.count))
    }
}
