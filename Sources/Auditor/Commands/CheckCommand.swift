import ArgumentParser
import Checks
import Engine
import Foundation

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Re-check one rule against a deployment and print its full evidence.",
        discussion: "Exit 0 when the rule passes, 1 when it fails, 2 when it could not be verified: inconclusive, not checked (the config lacks what it needs), excluded, or the audit could not run (INCOMPLETE). Never 0 for a rule that was not observed to pass."
    )

    @Argument(help: "The rule id, e.g. JRN-RACE-001 (see `auditor rules`).")
    var ruleID: String

    @Option(help: "The audit configuration (audit.yml, or JSON).")
    var config: String

    @OptionGroup var rules: RuleOptions

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        var loaded: AuditConfig
        do { loaded = try ConfigLoader().load(file: config) } catch let error as ConfigError { throw ValidationError(error.description) }
        for warning in loaded.warnings { progressLine("warning: \(warning)") }
        loaded.gate = Gate(minScore: 0, failOn: .advisory)
        loaded.long = loaded.long || rules.long
        var request = AuditRequest(config: loaded, catalogue: try rules.catalogue(config: loaded.pack))
        request.only = [ruleID]
        request.auditorVersion = AuditorVersion.current
        do { _ = try request.selectedRules() } catch let error as AuditError { throw ValidationError(error.description) }
        let report: AuditReport
        do { report = try await AuditRunner.run(request, progress: progressLine) } catch { throw auditExit(error) }
        if let reason = report.incomplete { print("\(ruleID): NOT CHECKED — the audit could not run: \(reason)") }
        guard let finding = report.findings.first(where: { $0.ruleID == ruleID }) else { throw ExitCodes.couldNotComplete }
        if report.incomplete == nil { print(FindingDetail.render(finding, report)) }
        switch finding.status {
        case .pass: return
        case .fail: throw ExitCodes.gateFailed
        case .inconclusive, .notChecked, .excluded, .notApplicable: throw ExitCodes.couldNotComplete
        }
    }
}
