import ArgumentParser
import Checks
import Engine
import Foundation
import Probes

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Audit a live deployment and write its certification; the exit code is the CI gate.",
        discussion: """
        Exit codes: 0 gate passed · 1 gate failed · 2 the audit could not complete (target \
        unreachable, fixtures failed) · 64 usage or config error.
        """
    )

    @Option(help: "The audit configuration (audit.yml, or JSON).")
    var config: String

    @Option(name: .customLong("rule"), help: "Only this rule (repeatable).")
    var only: [String] = []

    @Option(name: .customLong("skip"), help: "Leave this rule out (repeatable).")
    var skip: [String] = []

    @Option(help: "Gate: fail below this score (overrides gate.minScore).")
    var minScore: Double?

    @Option(help: "Gate: fail on a failed rule of this severity or worse: blocker, important, advisory, none (overrides gate.failOn).")
    var failOn: Gate.FailOn?

    @Flag(help: "List the rules and the requests each would send; send nothing.")
    var dryRun = false

    @OptionGroup var rules: RuleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var certification: CertificationOptions

    func validate() throws {
        if let minScore, !(0...100).contains(minScore) { throw ValidationError("--min-score must be within 0–100") }
    }

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        let request = try makeRequest()
        if dryRun {
            print(try DryRun.describe(request))
            return
        }
        // Read before anything is sent (a bad --baseline is a usage error) and before --out is overwritten.
        let previous = try certification.previous(output)
        var report: AuditReport
        do {
            report = try await AuditRunner.run(request, progress: progressLine)
        } catch {
            throw auditExit(error)
        }
        try certification.certify(&report, previous: previous, configWaivers: request.config.waiversFile, rules: request.catalogue.rules)
        try ReportOutput.finish(report, output)
    }

    func makeRequest() throws -> AuditRequest {
        var loaded: AuditConfig
        do { loaded = try ConfigLoader().load(file: config) } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
        for warning in loaded.warnings { progressLine("warning: \(warning)") }
        if let minScore { loaded.gate.minScore = minScore }
        if let failOn { loaded.gate.failOn = failOn }
        loaded.gate.failOnNew = certification.failOnNew
        loaded.long = loaded.long || rules.long
        var request = AuditRequest(config: loaded, catalogue: try rules.catalogue(config: loaded.pack))
        request.only = only
        request.skip = skip
        request.auditorVersion = AuditorVersion.current
        do { _ = try request.selectedRules() } catch let error as AuditError { throw ValidationError(error.description) }
        return request
    }
}

/// `--dry-run`: what would be sent, rule by rule, and how many fixtures it takes.
enum DryRun {
    static func describe(_ request: AuditRequest) throws -> String {
        var lines = ["Dry run: nothing is sent. Target \(request.config.baseURL.absoluteString)", ""]
        var fixtures = 0
        for rule in try request.selectedRules() {
            guard let probe = ProbeCatalog.probe(rule.probe.kind) else { throw AuditError.unknownProbe(rule: rule.id, kind: rule.probe.kind) }
            fixtures += probe.fixturesNeeded(rule.probe)
            lines.append("\(rule.id) [\(rule.severity.rawValue)] \(rule.title)\(probe.exclusive ? " (runs alone)" : "")")
            for step in probe.plan(rule.probe) { lines.append("    \(step)") }
        }
        lines.append("")
        lines.append("Fresh fixtures needed: \(fixtures). Every journey started is stopped; Redis is only read.")
        return lines.joined(separator: "\n")
    }
}
