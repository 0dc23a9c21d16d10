import ArgumentParser
import Checks

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two certifications (certification.json) without probing anything.",
        discussion: "Prints the Since-the-last-certification section: score before → after, per-category deltas, fixed, new and still-failing rules."
    )

    @Argument(help: "The older certification.json.") var old: String
    @Argument(help: "The newer certification.json.") var new: String

    func run() throws {
        let previous = try loadReport(old)
        var current = try loadReport(new)
        current.compare(to: previous)
        print(MarkdownRenderer.sinceLastCertification(current), terminator: "")
        for warning in current.warnings where warning.hasPrefix("The baseline certified") { progressLine("warning: \(warning)") }
    }
}
