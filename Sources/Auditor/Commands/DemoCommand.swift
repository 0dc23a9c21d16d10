import ArgumentParser
import Checks
import Engine
import Reference

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Audit the built-in reference (optionally faulted) and write its certification.",
        discussion: "Starts the pack's reference (journey: on the embedded store with its EventBridge wired to the auditor; trip: with an h2c listener for the accept race), audits it with every rule, writes the reports and prints the summary. With --fault, shows what the auditor reports for that wrong implementation."
    )

    @Option(name: .customLong("fault"), help: "Make the demo target wrong in this way (repeatable). journey: \(Fault.validNames). trip: \(TripFault.validNames).")
    var faults: [String] = []

    @Option(name: .customLong("variant"), help: "Make the demo target take the other side of an open choice (repeatable; every rule must still pass; journey pack): \(Variant.validNames).")
    var variants: [Variant] = []

    @Option(name: .customLong("rule"), help: "Only this rule (repeatable).")
    var only: [String] = []

    @OptionGroup var rules: RuleOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let pack = try rules.chosenPack()
        if pack == .trip, !variants.isEmpty { throw ValidationError("--variant is for the journey pack; the trip reference has none") }
        _ = try faultSwitches(pack)
    }

    /// The `--fault` names as the pack's switches; an unknown name is a usage error listing the valid ones.
    func faultSwitches(_ pack: Pack) throws -> (journey: Set<Fault>, trip: Set<TripFault>) {
        var journey = Set<Fault>(), trip = Set<TripFault>()
        for name in faults {
            switch pack {
            case .journey:
                guard let fault = Fault(rawValue: name) else { throw ValidationError("unknown journey fault '\(name)'; valid: \(Fault.validNames)") }
                journey.insert(fault)
            case .trip:
                guard let fault = TripFault(rawValue: name) else { throw ValidationError("unknown trip fault '\(name)'; valid: \(TripFault.validNames)") }
                trip.insert(fault)
            }
        }
        return (journey, trip)
    }

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        let pack = try rules.chosenPack()
        let catalogue = try rules.catalogue()
        let switches = try faultSwitches(pack)
        let report: AuditReport
        do {
            switch pack {
            case .journey:
                report = try await Demo.run(faults: switches.journey, variants: Set(variants), catalogue: catalogue, only: only, long: rules.long,
                                            auditorVersion: AuditorVersion.current, progress: progressLine)
            case .trip:
                report = try await TripDemo.run(faults: switches.trip, catalogue: catalogue, only: only, long: rules.long,
                                                auditorVersion: AuditorVersion.current, progress: progressLine)
            }
        } catch {
            throw auditExit(error)
        }
        try ReportOutput.finish(report, output)
    }
}
