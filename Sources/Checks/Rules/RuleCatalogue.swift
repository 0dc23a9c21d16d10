import Foundation
import RuleFiles
import Yams

/// The rule packs: every rule the auditor knows, loaded from YAML (bundled, or `--rules DIR`).
public struct RuleCatalogue: Sendable, Equatable {
    public var name: String
    public var version: String
    public var rules: [Rule]

    public init(name: String, version: String, rules: [Rule]) {
        self.name = name
        self.version = version
        self.rules = rules
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The catalogue of a pack shipped inside the binary (`rules/<pack>.yml`).
    public static func bundled(_ pack: Pack = .journey) throws -> RuleCatalogue {
        guard let url = RuleFiles.url(pack: pack.rawValue) else {
            throw ConfigError(file: "rules/\(pack.rawValue).yml", key: "", expected: "the bundled rule file", found: "nothing: the resource is missing from the build")
        }
        return try load(files: [url])
    }

    /// A pack's rules from a directory laid out as `rules/` is: `<pack>.yml` when the directory
    /// has it, else every rule file in it (one pack split across files).
    public static func load(directory: URL, pack: Pack) throws -> RuleCatalogue {
        let file = directory.appendingPathComponent("\(pack.rawValue).yml")
        return FileManager.default.fileExists(atPath: file.path) ? try load(files: [file]) : try load(directory: directory)
    }

    /// Every `*.yml`/`*.yaml` file of a directory, merged; ids must be unique across files.
    public static func load(directory: URL) throws -> RuleCatalogue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let files = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
        guard !files.isEmpty else {
            throw ConfigError(file: directory.path, key: "", expected: "a directory with rule files (*.yml)", found: "none")
        }
        return try load(files: files)
    }

    static func load(files: [URL]) throws -> RuleCatalogue {
        var merged: RuleCatalogue?
        for file in files {
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw ConfigError(file: file.path, key: "", expected: "a readable UTF-8 file", found: "\(error)")
            }
            let catalogue = try parse(text, file: file.lastPathComponent)
            if var existing = merged {
                existing.rules += catalogue.rules
                existing.name += "+" + catalogue.name
                merged = existing
            } else {
                merged = catalogue
            }
        }
        guard let merged else { throw ConfigError(file: "rules", key: "", expected: "at least one rule file", found: "none") }
        try merged.validate(file: files.map(\.lastPathComponent).joined(separator: ", "))
        return merged
    }

    /// Parses one rule file; errors name the file, the key path and what was expected.
    public static func parse(_ text: String, file: String) throws -> RuleCatalogue {
        let document: RuleFile
        do {
            document = try YAMLDecoder().decode(RuleFile.self, from: text)
        } catch let error as DecodingError {
            throw ConfigError(decoding: error, file: file)
        } catch {
            throw ConfigError(file: file, key: "", expected: "valid YAML", found: "\(error)")
        }
        let rules = document.rules.map { entry in
            Rule(id: entry.id, title: entry.title, severity: entry.severity, weight: entry.weight ?? entry.severity.defaultWeight,
                 category: entry.category, rationale: entry.rationale.trimmed, remediation: entry.remediation.trimmed,
                 references: entry.references ?? [], probe: entry.probe, compare: entry.compare, faults: entry.faults ?? [],
                 component: entry.component, effort: entry.effort, cause: entry.cause?.trimmed, keep: entry.keep?.trimmed)
        }
        return RuleCatalogue(name: document.catalogue, version: document.version, rules: rules)
    }

    func validate(file: String) throws {
        var seen = Set<String>()
        for (index, rule) in rules.enumerated() {
            guard seen.insert(rule.id).inserted else {
                throw ConfigError(file: file, key: "rules[\(index)].id", expected: "a unique rule id", found: "'\(rule.id)' twice")
            }
            guard !rule.compare.isEmpty else {
                throw ConfigError(file: file, key: "rules[\(index)].compare", expected: "at least one fact to compare", found: "none")
            }
            for (factIndex, fact) in rule.compare.enumerated() where fact.pins.trimmed.isEmpty {
                throw ConfigError(file: file, key: "rules[\(index)].compare[\(factIndex)].pins",
                                  expected: "the contract line that pins '\(fact.fact)' (an unpinned fact is an open choice and is not compared)", found: "nothing")
            }
            guard rule.weight > 0 else {
                throw ConfigError(file: file, key: "rules[\(index)].weight", expected: "a positive weight", found: "\(rule.weight)")
            }
        }
    }
}

/// The YAML shape of a rule file; `weight` defaults by severity.
struct RuleFile: Decodable {
    struct Entry: Decodable {
        var id: String
        var title: String
        var severity: Severity
        var weight: Double?
        var category: String
        var rationale: String
        var remediation: String
        var references: [String]?
        var probe: ProbeSpec
        var compare: [FactComparison]
        var faults: [String]?
        var component: Rule.Component?
        var effort: Rule.Effort?
        var cause: String?
        var keep: String?
    }

    var catalogue: String
    var version: String
    var rules: [Entry]
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
