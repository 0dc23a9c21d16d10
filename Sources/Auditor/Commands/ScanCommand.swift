import ArgumentParser
import Checks
import Foundation
import Probes

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan backend and mobile source for forbidden WebSocket journey shapes (JRN-WS-002 only).",
        discussion: "Exit 0 when nothing is found, 1 when something is, 64 for a path that does not exist."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, sarif }

    @Argument(help: "Files or directories (TS/JS/TSX/JSX; node_modules and build output are skipped).")
    var paths: [String]

    @Option(help: "text (file:line, shape, line) or sarif (SARIF 2.1.0 for code-scanning UIs).")
    var format: Format = .text

    @Option(help: "Write the output to this file instead of stdout.")
    var out: String?

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one path to scan") }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no such file or directory: \(path)")
        }
    }

    func run() throws {
        let scan = try SourceScanner().scanCounting(paths)
        let findings = scan.findings
        // Reading nothing proves nothing: a wrong path must not look like clean code.
        guard scan.filesRead > 0 else {
            progressLine("no TS/JS/TSX/JSX file under \(paths.joined(separator: ", ")): nothing was scanned")
            throw ExitCodes.couldNotComplete
        }
        let text: String
        switch format {
        case .text:
            text = findings.map { "\($0.file):\($0.line):\($0.column): \($0.shape)\n    \($0.text)" }.joined(separator: "\n")
                + (findings.isEmpty ? "no forbidden WebSocket journey shapes found in \(scan.filesRead) files\n"
                                  : "\n\(findings.count) forbidden WebSocket journey shapes in \(scan.filesRead) files (JRN-WS-002)\n")
        case .sarif:
            let rule = try? rules.catalogue().rule("JRN-WS-002")
            text = try SARIFRenderer.render(findings, rule: rule, toolVersion: AuditorVersion.current,
                                            relativeTo: FileManager.default.currentDirectoryPath + "/")
        }
        if let out {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
        } else {
            print(text, terminator: "")
        }
        if !findings.isEmpty { throw ExitCodes.gateFailed }
    }
}
