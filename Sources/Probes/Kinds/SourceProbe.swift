import Checks
import Foundation

/// JRN-WS-002: the forbidden WebSocket shapes of docs/contract/journey.md in the backend and mobile source.
struct SourceProbe: Probe {
    let kind = "source-scan"

    func plan(_ spec: ProbeSpec) -> [String] { ["no requests: reads the files under source.paths (TS/JS/TSX/JSX)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 0 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard !run.system.sourcePaths.isEmpty else {
            run.notChecked("no source.paths configured")
            return
        }
        let scan: SourceScanner.Result
        do {
            scan = try SourceScanner().scanCounting(run.system.sourcePaths)
        } catch {
            throw ProbeError("cannot read source: \(error)")
        }
        let roots = run.system.sourcePaths
        for finding in scan.findings {
            run.log(.note, "source", "\(Self.relative(finding.file, to: roots)):\(finding.line)", result: "\(finding.shape) — \(finding.text)")
        }
        let names = roots.map { ($0 as NSString).lastPathComponent }
        run.note("source", "scanned \(scan.filesRead) files under \(names.joined(separator: ", ")): \(scan.findings.count) forbidden shapes")
        // Zero files read proves nothing: a wrong path must not pass as clean source.
        guard scan.filesRead > 0 else {
            run.record("forbiddenShapes", .unobserved("no TS/JS/TSX/JSX file under \(run.system.sourcePaths.joined(separator: ", "))"))
            return
        }
        // Compared as distinct shapes (what); where is in the evidence (the reference's tree has other paths).
        run.record("forbiddenShapes", .strings(Array(Set(scan.findings.map(\.shape))).sorted()))
    }

    /// A finding's path below the scanned root it came from ("backend/src/socket/socketServer.ts"),
    /// prefixed with that root's name when several were scanned: a reader's checkout is elsewhere.
    static func relative(_ file: String, to roots: [String]) -> String {
        for root in roots {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            guard file.hasPrefix(prefix) else { continue }
            let below = String(file.dropFirst(prefix.count))
            return roots.count > 1 ? "\((root as NSString).lastPathComponent)/\(below)" : below
        }
        return (file as NSString).lastPathComponent
    }
}
