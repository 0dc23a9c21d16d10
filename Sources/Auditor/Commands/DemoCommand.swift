import ArgumentParser
import Checks
import Engine
import Reference

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Audit the built-in reference (optionally faulted) and write its certification.",
        discussion: "Starts the reference on the embedded store with its EventBridge wired to the auditor, audits it with every rule, writes the reports and prints the summary. With --fault, shows what the auditor reports for that wrong implementation."
    )

    @Option(name: .customLong("fault"), help: "Make the demo target wrong in this way (repeatable): \(Fault.validNames).")
    var faults: [Fault] = []

    @Option(name: .customLong("variant"), help: "Make the demo target take the other side of an open choice (repeatable; every rule must still pass): \(Variant.validNames).")
    var variants: [Variant] = []

    @Option(name: .customLong("rule"), help: "Only this rule (repeatable).")
    var only: [String] = []

    @OptionGroup var rules: RuleOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        let catalogue = try rules.catalogue()
        let report: AuditReport
        do {
            report = try await Demo.run(faults: Set(faults), variants: Set(variants), catalogue: catalogue, only: only, long: rules.long,
                                        auditorVersion: AuditorVersion.current, progress: progressLine)
        } catch {
            throw auditExit(error)
        }
        try ReportOutput.finish(report, output)
    }
}
