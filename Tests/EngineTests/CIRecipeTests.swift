import Foundation
import Testing
import TestSupport
import Yams

/// docs/ci/*.yml must stay working recipes: they parse, every `auditor` command they use exists
/// with the options they pass, and their shell steps run end to end against the built binary.
@Suite("CI recipes in docs/ci", .serialized, .timeLimit(.minutes(3)))
struct CIRecipeTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/ci")

    /// The reference's own (clean) source, which the recipes scan from the repository root.
    static var cleanSourceView: String {
        docs.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Reference/Resources/source-views/clean").path
    }

    /// The shell steps of a recipe, in order: GitHub's `run:` steps, or GitLab's `script:` lines.
    static func steps(_ file: String) throws -> [String] {
        let text = try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8)
        let yaml = try #require(try Yams.load(yaml: text) as? [String: Any], "\(file) does not parse as a mapping")
        if let jobs = yaml["jobs"] as? [String: Any] {
            return jobs.values.compactMap { $0 as? [String: Any] }.flatMap { job in
                (job["steps"] as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }
            }
        }
        return yaml.values.compactMap { ($0 as? [String: Any])?["script"] as? [String] }.flatMap { $0 }
    }

    @Test("parses, and every auditor subcommand and option it uses exists", arguments: ["github-actions.yml", "gitlab-ci.yml"])
    func commandsExist(_ file: String) async throws {
        let steps = try Self.steps(file)
        #expect(!steps.isEmpty)
        let invocations = steps.joined(separator: "\n").matches(of: #/auditor ((?:[a-z]+ )?[a-z]+)([^\n&>|]*)/#)
        #expect(!invocations.isEmpty, "\(file) runs no auditor command")
        for invocation in invocations {
            let words = invocation.1.split(separator: " ").map(String.init)
            let help = try await ProcessRunner.run(AuditorBinary.path, words + ["--help"], timeout: 30)
            #expect(help.status == 0, "`auditor \(invocation.1)` is not a command")
            for option in invocation.2.matches(of: #/--[a-z-]+/#) {
                #expect(help.stdout.contains(String(option.0)), "`auditor \(invocation.1)` has no option \(option.0)")
            }
        }
    }

    @Test("its steps run: the reference is certified and the gate passes", arguments: ["github-actions.yml", "gitlab-ci.yml"])
    func stepsRun(_ file: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try await RedisServer.freePort(), events = try await RedisServer.freePort()
        // The recipe as written, with the binary this test built and free ports instead of 8080/4010.
        let body = try Self.steps(file).joined(separator: "\n")
            .replacingOccurrences(of: "swift build -c release --product auditor", with: "true")
            .replacingOccurrences(of: ".build/release/auditor", with: AuditorBinary.path)
            .replacingOccurrences(of: "8080", with: String(port))
            .replacingOccurrences(of: "4010", with: String(events))
            .replacingOccurrences(of: "Sources/Reference/Resources/source-views/clean", with: Self.cleanSourceView)
        let script = "set -e\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\ncd \(directory.path)\nexport GITHUB_STEP_SUMMARY=\(directory.path)/step-summary.md\n\(body)\n"
        let scriptFile = directory.appendingPathComponent("recipe.sh")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run("/bin/bash", [scriptFile.path], timeout: 150)
        #expect(result.status == 0, "\(file) failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("🟢 READY"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("auditor-report/junit.xml").path))
    }
}
