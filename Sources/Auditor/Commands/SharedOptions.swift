import ArgumentParser
import Checks
import Foundation

/// Options every auditing command shares: which rules, and where reports go.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Load rule packs from this directory instead of the bundled ones.")
    var rulesDirectory: String?

    func catalogue() throws -> RuleCatalogue {
        do {
            if let rulesDirectory { return try RuleCatalogue.load(directory: URL(fileURLWithPath: rulesDirectory)) }
            return try RuleCatalogue.bundled()
        } catch let error as ConfigError {
            throw ValidationError("\(error)")
        }
    }
}

struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: "Report formats to write (repeatable): markdown, json, junit. Default: all three.")
    var formats: [ReportFormat] = []

    @Option(help: "Directory for the reports (created if missing).")
    var out = "auditor-report"

    @Option(help: "Also write a short Markdown summary (verdict, score, blockers, new findings) here, e.g. $GITHUB_STEP_SUMMARY.")
    var summary: String?

    var selectedFormats: [ReportFormat] { formats.isEmpty ? ReportFormat.allCases : formats }
}

enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case markdown, json, junit

    var fileName: String {
        switch self {
        case .markdown: return "certification.md"
        case .json: return "certification.json"
        case .junit: return "junit.xml"
        }
    }
}

extension Gate.FailOn: ExpressibleByArgument {}

/// Progress goes to stderr, so stdout stays the result.
@Sendable func progressLine(_ text: String) {
    FileHandle.standardError.write(Data("auditor: \(text)\n".utf8))
}

/// Comparing with the previous certification and accepting known risks.
struct CertificationOptions: ParsableArguments {
    @Option(help: "The previous certification (certification.json): classify every finding as new, still failing, fixed or unchanged.")
    var baseline: String?

    @Flag(help: "Gate on new failures only (needs --baseline); a still-failing blocker fails unless waived.")
    var failOnNew = false

    @Option(help: "A waivers file (overrides `waivers:` in the config).")
    var waivers: String?

    func validate() throws {
        if failOnNew, baseline == nil { throw ValidationError("--fail-on-new needs --baseline PREVIOUS.json") }
    }

    /// The previous report, or a usage error naming the file.
    func previous() throws -> AuditReport? {
        guard let baseline else { return nil }
        return try loadReport(baseline)
    }

    /// Applies waivers and the baseline to a fresh report (in that order; the gate is re-evaluated).
    func certify(_ report: inout AuditReport, configWaivers: String?, rules: [Rule]) throws {
        if let file = waivers ?? configWaivers {
            do { report.apply(waivers: try WaiverLoader.load(file: file, rules: rules)) } catch let error as ConfigError {
                throw ValidationError(error.description)
            }
        }
        if let previous = try previous() { report.compare(to: previous) }
    }
}

func loadReport(_ file: String) throws -> AuditReport {
    let text: String
    do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw ValidationError("\(file): cannot read it (\(error.localizedDescription))")
    }
    do { return try JSONReportRenderer.parse(text) } catch {
        throw ValidationError("\(file): not an auditor certification.json (\(error))")
    }
}
