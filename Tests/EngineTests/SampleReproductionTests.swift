import Checks
import Engine
import Foundation
import Probes
import Reference
import Testing
import TestSupport
import Wire

/// Every reproduction in sample-reports/ is run as a reader would run it, against the reference
/// with that report's fault: the shell blocks through `auditor reproduce` (from the directory of
/// audit.yml, with curl, jq and redis-cli), the other findings with their `auditor check` line.
/// A block must show its bug: where the reference and the faulted target answered alike, the
/// block gets that answer too (so it really ran: fixture, start, …), and at least one step where
/// they differed answers other than the reference did.
@Suite("Sample reproductions show their bug", .serialized)
struct SampleReproductionTests {
    static let faults: [String] = SampleReportTests.samples.filter { $0 != "clean" }

    @Test(arguments: faults)
    func reproductionsShowTheBug(_ name: String) async throws {
        let markdown = try String(contentsOf: SampleReportTests.directory.appendingPathComponent("\(name).md"), encoding: .utf8)
        let sections = FailedSection.all(in: markdown)
        try #require(!sections.isEmpty, "\(name).md has no failed rule")
        let fault = try #require(Fault(rawValue: name))
        let target = try await ReproducibleTarget.start(faults: [fault])
        try await withCleanup({ await target.stop() }) {
            for section in sections {
                #expect(section.check == "auditor check \(section.rule) --config audit.yml", "\(name): the check line comes first")
                if let script = section.script {
                    try await run(script, section, name, in: target)
                } else {
                    // As written in the report, from the directory of audit.yml.
                    let result = try await ProcessRunner.run("/bin/bash", ["-c", "cd \"$0\" && exec \"$1\" check \"$2\" --config audit.yml",
                                                                           target.directory, AuditorBinary.path, section.rule], timeout: 120)
                    #expect(result.status == 1, "\(name) \(section.rule): `auditor check` exits 1 on the bug\n\(result.stdout)\n\(result.stderr)")
                }
            }
        }
    }

    func run(_ script: String, _ section: FailedSection, _ name: String, in target: ReproducibleTarget) async throws {
        let file = target.directory + "/repro-\(section.rule).sh"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let path = (AuditorBinary.path as NSString).deletingLastPathComponent + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try await ProcessRunner.run("/bin/bash", ["-c", "cd \"$0\" && exec bash \"$1\"", target.directory, file],
                                                 environment: ["PATH": path], timeout: 120)
        let context = "\(name) \(section.rule):\n\(script)\n--- stdout\n\(result.stdout)\n--- stderr\n\(result.stderr)"
        #expect(result.status == 0, "\(context)")
        let steps = section.annotatedSteps
        let outputs = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        try #require(outputs.count == steps.count, "one output line per annotated step: \(context)")
        var shown = false
        for (step, output) in zip(steps, outputs) where step.expected != "?" {
            if Self.agrees(step.expected, step.observed, exactly: step.status) {
                #expect(Self.agrees(output, step.expected, exactly: step.status), "a step the reference and the target agree on answers the same here (\(output) vs \(step.expected)): \(context)")
            } else if !Self.agrees(output, step.expected, exactly: step.status), step.burst || Self.agrees(output, step.observed, exactly: step.status) {
                // A burst's tally varies with timing; any other step answers as the audit saw it.
                shown = true
            }
        }
        #expect(shown, "no step answered as the audit observed, otherwise than the reference: the block does not show the bug. \(context)")
        // Every journey the block started is stopped (where stopping works at all on this fault).
        if !target.keepsJourneys {
            let left = try await ProcessRunner.run(ProcessRunner.which("redis-cli") ?? "/usr/bin/redis-cli",
                                                   ["-p", "\(target.redis.url.port)", "--scan", "--pattern", "journey:active:*"], timeout: 10)
            #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "journeys left active by the block: \(left.stdout) \(context)")
        }
    }

    /// Equal answers, a TTL within 2 s, "no answer" as curl's 000, an absent Retry-After (curl
    /// prints its `%header{}` empty) as none.
    /// "429 (Retry-After: 4972)" → (429, 4972); nil for anything else (an HTTP-date included).
    static func retryAfter(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let status = Int(parts[0]), parts[1] == "(Retry-After:", parts[2].hasSuffix(")"),
              let wait = Int(parts[2].dropLast()) else { return nil }
        return (status, wait)
    }

    static func agrees(_ a: String, _ b: String, exactly: Bool = false) -> Bool {
        func normal(_ s: String) -> String {
            s.hasPrefix("no answer") ? "000" : s.replacingOccurrences(of: " (Retry-After: )", with: "").trimmingCharacters(in: .whitespaces)
        }
        let (x, y) = (normal(a), normal(b))
        if x == y { return true }
        // A Retry-After is compared as JRN-RATE-001 compares it: a wait within the 5 s window or not
        // (its exact value moves with the time left in the window when the step runs).
        if let (status, wait) = retryAfter(x), let (other, otherWait) = retryAfter(y) {
            return status == other && (1...5).contains(wait) == (1...5).contains(otherWait)
        }
        if !exactly, let i = Int(x), let j = Int(y), i > 10, j > 10 { return abs(i - j) <= 2 }
        return false
    }
}

/// A "### ❌" section of a certification: its rule, its `auditor check` line, its shell block.
struct FailedSection {
    var rule: String
    var check: String?
    var script: String?

    struct Step {
        var expected: String
        var observed: String
        /// A concurrent burst (`seq N | xargs -P N …`), whose tally varies with timing.
        var burst: Bool
        /// A curl step printing its status code: compared exactly (403 is not 404), never with
        /// the slack a TTL read gets.
        var status = false
    }

    /// "# expected 201 · observed 500" on the printing lines, in order.
    var annotatedSteps: [Step] {
        (script ?? "").split(separator: "\n").compactMap { line -> Step? in
            guard let range = line.range(of: "# expected "), let dot = line.range(of: " · observed ", range: range.upperBound..<line.endIndex) else { return nil }
            return Step(expected: String(line[range.upperBound..<dot.lowerBound]), observed: String(line[dot.upperBound...]),
                        burst: line.contains("| xargs -P "), status: line.contains("%{http_code}"))
        }
    }

    static func all(in markdown: String) -> [FailedSection] {
        markdown.components(separatedBy: "\n### ❌ ").dropFirst().map { text in
            let body = text.components(separatedBy: "\n## ")[0]
            let rule = String(body.prefix { $0 != " " })
            var section = FailedSection(rule: rule)
            if let start = body.range(of: "**Reproduce:** `"), let end = body.range(of: "`", range: start.upperBound..<body.endIndex) {
                section.check = String(body[start.upperBound..<end.lowerBound])
            }
            if let start = body.range(of: "```sh\n"), let end = body.range(of: "\n```", range: start.upperBound..<body.endIndex) {
                section.script = String(body[start.upperBound..<end.lowerBound]) + "\n"
            }
            return section
        }
    }
}

/// The faulted reference as a deployment outside an audit: two instances reaching a real
/// redis-server through the proxy address of audit.yml and publishing to its EventBridge address,
/// where nothing listens until `auditor reproduce` (or `auditor check`) brings them up.
struct ReproducibleTarget {
    /// The faults whose stop keeps the journey: JRN-CLEAN-001's (read once).
    static let keeping = Set((try? RuleCatalogue.bundled().rule("JRN-CLEAN-001")?.faults) ?? [])

    let redis: RedisServer
    let instances: [RunningReference]
    let directory: String
    /// A fault whose stop does not remove the journey (JRN-CLEAN-001's): nothing a block can clean up.
    let keepsJourneys: Bool

    static func start(faults: Set<Fault>) async throws -> ReproducibleTarget {
        let redis = try await RedisServer.start()
        let proxyPort = try await RedisServer.freePort()
        let eventsPort = try await RedisServer.freePort()
        var configuration = ReferenceConfiguration(redisURL: RedisURL(host: "127.0.0.1", port: proxyPort),
                                                   eventBridgeEndpoint: URL(string: "http://127.0.0.1:\(eventsPort)")!, faults: faults)
        configuration.lazyRedis = true
        configuration.logLevel = .critical
        let instances = [try await ReferenceServer.start(configuration), try await ReferenceServer.start(configuration)]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("repro-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let first = instances[0]
        let yaml = """
        target:
          baseURL: \(first.baseURL.absoluteString)
          instances: [\(instances.map { "\"\($0.baseURL.absoluteString)\"" }.joined(separator: ", "))]
        redis:
          url: redis://127.0.0.1:\(redis.url.port)
          proxy: {listen: "127.0.0.1:\(proxyPort)", upstream: "127.0.0.1:\(redis.url.port)"}
        eventbridge:
          listen: 127.0.0.1:\(eventsPort)
        socket: {url: "\(first.addresses.socketURL)"}
        source: {paths: [\(SourceView.paths(for: faults).map { "\"\($0)\"" }.joined(separator: ", "))]}
        scale: {journeys: \(DemoTarget.scale.journeys), duration: \(Int(DemoTarget.scale.durationSeconds)), p99: {locationUpdate: 400, liveLocation: 400}}
        fixtures:
          http: {url: "\(first.baseURL.absoluteString)/__reference/fixtures", method: POST}
        """
        try yaml.write(toFile: directory + "/audit.yml", atomically: true, encoding: .utf8)
        return ReproducibleTarget(redis: redis, instances: instances, directory: directory,
                                  keepsJourneys: faults.contains { Self.keeping.contains($0.rawValue) })
    }

    func stop() async {
        for instance in instances { await instance.stop() }
        redis.kill()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
