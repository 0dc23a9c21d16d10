import ArgumentParser
import Checks
import Engine
import Foundation

/// Writes the chosen formats, prints the summary, and turns the gate into the exit code.
enum ReportOutput {
    static func write(_ report: AuditReport, _ output: OutputOptions) throws -> [String] {
        let directory = URL(fileURLWithPath: output.out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--out \(output.out): cannot create the directory (\(error.localizedDescription))")
        }
        var written: [String] = []
        for format in output.selectedFormats {
            let text: String
            switch format {
            case .markdown: text = MarkdownRenderer.render(report, detail: output.detail)
            case .json: text = try JSONReportRenderer.render(report)
            case .junit: text = JUnitRenderer.render(report)
            }
            let file = directory.appendingPathComponent(format.fileName)
            try text.write(to: file, atomically: true, encoding: .utf8)
            written.append(file.path)
        }
        if let summary = output.summary {
            // Appended, not replaced: CI job summaries ($GITHUB_STEP_SUMMARY) collect several steps.
            let text = SummaryRenderer.render(report)
            if let handle = FileHandle(forWritingAtPath: summary) {
                handle.seekToEndOfFile()
                handle.write(Data(text.utf8))
                try handle.close()
            } else {
                try text.write(toFile: summary, atomically: true, encoding: .utf8)
            }
            written.append(summary)
        }
        return written
    }

    /// The few lines a terminal or a CI log needs.
    static func summary(_ report: AuditReport, files: [String]) -> String {
        let card = report.scorecard
        var lines = ["\(card.verdict.emoji) \(card.verdict.rawValue) — \(card.headline) — \(card.coverage.line)"]
        if let certified = report.identity?.line { lines.append("   certified: \(certified)") }
        if !card.verdictReasons.isEmpty { lines.append("   because: \(card.verdictReasons.joined(separator: "; "))") }
        for finding in report.findings where finding.status != .pass && report.incomplete == nil {
            let severity = report.rule(finding.ruleID)?.severity.rawValue ?? ""
            lines.append("   \(finding.status.rawValue.uppercased()) \(finding.ruleID) (\(severity)): \(finding.summary)")
        }
        if let baseline = report.baseline {
            lines.append("since the last certification: score \(Judge.format(baseline.scoreBefore)) → \(Judge.format(baseline.scoreAfter)); "
                         + BaselineComparison.Change.allCases.map { "\(baseline.entries($0).count) \($0.rawValue)" }.joined(separator: ", "))
        }
        for finding in report.findings where finding.waiver != nil {
            lines.append("   WAIVED \(finding.ruleID) until \(finding.waiver!.expires) (\(finding.waiver!.owner))")
        }
        for waiver in report.expiredWaivers { lines.append("   EXPIRED waiver for \(waiver.rule) (\(waiver.expires)): ignored") }
        if let left = report.leftBehind { lines.append(left.line(naming: 5)) }
        lines.append(report.gatePassed ? "gate: passed" : "gate: FAILED — \(report.gateFailures.joined(separator: "; "))")
        lines.append("\(report.findings.count) rules, \(report.requestsSent) requests to the target, \(String(format: "%.1f", report.durationSeconds)) s")
        for file in files { lines.append("wrote \(file)") }
        return lines.joined(separator: "\n")
    }

    static func finish(_ report: AuditReport, _ output: OutputOptions) throws {
        let files = try write(report, output)
        print(summary(report, files: files))
        // Exit code = verdict: 0 only when the gate passes (by default only READY).
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

/// Maps the engine's errors to the CLI's exit codes.
func auditExit(_ error: Error) -> Error {
    if let error = error as? AuditError {
        progressLine(error.description)
        return error.isUsageError ? ExitCodes.usage : ExitCodes.couldNotComplete
    }
    if let error = error as? ConfigError {
        progressLine(error.description)
        return ExitCodes.usage
    }
    return error
}
