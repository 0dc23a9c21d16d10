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
