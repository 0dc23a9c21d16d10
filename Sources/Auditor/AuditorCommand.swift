import ArgumentParser
import Logging

@main
struct AuditorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auditor",
        abstract: "Certify whether a deployment of the journey tracking service is ready for production.",
        version: AuditorVersion.current,
        subcommands: [DemoCommand.self, RunCommand.self, CheckCommand.self, DiffCommand.self, ScanCommand.self, LoadCommand.self, MergeCommand.self, RulesCommand.self, ReferenceCommand.self, ReproduceCommand.self]
    )

    /// Logs go to stderr: stdout carries results only (the ready line, reports).
    static func bootstrapLogging() {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }
}

enum AuditorVersion {
    static let current = "0.1.0"
}

/// The exit codes of DESIGN.md's CLI conventions.
enum ExitCodes {
    static let gateFailed = ExitCode(1)
    static let couldNotComplete = ExitCode(2)
    static let usage = ExitCode(64)
}
