import ArgumentParser
import Checks
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules of the catalogue, or show one in full.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "One line per rule (or, --format json, every rule in full for tools).")
        @OptionGroup var rules: RuleOptions

        @Option(help: "text (one line per rule) or json (the pack, its version and every rule as the rule file has it).")
        var format: ListFormat = .text

        enum ListFormat: String, ExpressibleByArgument { case text, json }

        func run() throws {
            let catalogue = try rules.catalogue()
            if format == .json {
                struct Listing: Encodable { var pack: String; var version: String; var rules: [Rule] }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(Listing(pack: catalogue.name, version: catalogue.version, rules: catalogue.rules)), as: UTF8.self))
                return
            }
            print("\(catalogue.name) \(catalogue.version): \(catalogue.rules.count) rules")
            // The id column fits the longest id and one space (JRN-FAILCLOSED-001 touched its severity).
            let idWidth = (catalogue.rules.map(\.id.count).max() ?? 0) + 1
            for rule in catalogue.rules {
                let id = rule.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                let severity = rule.severity.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                print("\(id)\(severity)w\(Judge.format(rule.weight).padding(toLength: 4, withPad: " ", startingAt: 0))\(rule.category.padding(toLength: 15, withPad: " ", startingAt: 0))\(rule.title)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything about one rule.")
        @Argument(help: "The rule id.") var id: String
        @OptionGroup var rules: RuleOptions

        func run() throws {
            let catalogue = try rules.catalogue()
            guard let rule = catalogue.rule(id) else {
                throw ValidationError("unknown rule '\(id)'; known: \(catalogue.rules.map(\.id).joined(separator: ", "))")
            }
            print(RuleDetail.render(rule))
        }
    }
}
