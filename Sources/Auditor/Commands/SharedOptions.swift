import ArgumentParser
import Checks
import Foundation

/// Options every auditing command shares: which rules, and where reports go.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Load the rules from this directory instead of the bundled ones: its <pack>.yml, else every *.yml in it.")
    var rulesDirectory: String?

    @Option(help: "The rule pack: \(Pack.names) (journey: docs/contract/journey.md; trip: docs/contract/trip.md). Default: the config's pack:, else journey.")
    var pack: Pack?

    @Flag(help: "Also run the long probes: JRN-EXPIRY-001 waits out the location key's 300 s TTL (about 5 min more). Same as long: true in audit.yml.")
    var long = false

    /// The pack the command works on: `--pack`, else the config's, else journey; both given must agree.
    func chosenPack(config: Pack? = nil) throws -> Pack {
        if let pack, let config, pack != config {
            throw ValidationError("--pack \(pack.rawValue) contradicts pack: \(config.rawValue) in the config")
        }
        return pack ?? config ?? .journey
    }

    func catalogue(config: Pack? = nil) throws -> RuleCatalogue {
        let pack = try chosenPack(config: config)
        do {
            if let rulesDirectory { return try RuleCatalogue.load(directory: URL(fileURLWithPath: rulesDirectory), pack: pack) }
            return try RuleCatalogue.bundled(pack)
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

    @Option(help: "How much evidence certification.md carries: full (transcripts, hand reproductions, scenarios) or summary. certification.json keeps everything.")
    var detail: Detail = .full

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
extension Pack: ExpressibleByArgument {}
extension Detail: ExpressibleByArgument {}

/// Progress goes to stderr, so stdout stays the result.
@Sendable func progressLine(_ text: String) {
    FileHandle.standardError.write(Data("auditor: \(text)\n".utf8))
}

/// Comparing with the previous certification and accepting known risks.
struct CertificationOptions: ParsableArguments {
    @Option(help: "The previous certification (certification.json): classify every finding as new, still failing, fixed or unchanged. Default: the certification.json already in --out, if any.")
    var baseline: String?

    @Flag(help: "Do not compare with the certification.json already in --out.")
    var noBaseline = false

    @Flag(help: "Gate on new failures only (needs --baseline); a still-failing blocker fails unless waived.")
    var failOnNew = false

    @Option(help: "A waivers file (overrides `waivers:` in the config).")
    var waivers: String?

    func validate() throws {
        if baseline != nil, noBaseline { throw ValidationError("--baseline and --no-baseline contradict each other") }
        // Never the --out default: a run that failed its gate rewrites it, and the same failure
        // would then pass the next run as "still failing".
        if failOnNew, baseline == nil { throw ValidationError("--fail-on-new needs --baseline PREVIOUS.json (a certification whose gate you accepted)") }
    }

    /// The previous report: `--baseline` (a usage error when unreadable), else the certification
    /// a run wrote into the same `--out` before (skipped with a warning when unreadable), so
    /// re-running into one directory always says what changed. Only when this run rewrites that
    /// JSON: otherwise it would stay the baseline of every later run, however stale.
    func previous(_ output: OutputOptions) throws -> AuditReport? {
        if let baseline { return try loadReport(baseline) }
        guard !noBaseline, output.selectedFormats.contains(.json) else { return nil }
        let earlier = URL(fileURLWithPath: output.out).appendingPathComponent(ReportFormat.json.fileName).path
        guard FileManager.default.fileExists(atPath: earlier) else { return nil }
        do {
            let report = try loadReport(earlier)
            progressLine("comparing with the previous certification in \(earlier) (--no-baseline to skip)")
            return report
        } catch {
            progressLine("warning: \(error) — not compared")
            return nil
        }
    }

    /// Applies waivers and the baseline to a fresh report (in that order; the gate is re-evaluated).
    func certify(_ report: inout AuditReport, previous: AuditReport?, configWaivers: String?, rules: [Rule]) throws {
        if let file = waivers ?? configWaivers {
            do { report.apply(waivers: try WaiverLoader.load(file: file, rules: rules)) } catch let error as ConfigError {
                throw ValidationError(error.description)
            }
        }
        if let previous { report.compare(to: previous) }
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
