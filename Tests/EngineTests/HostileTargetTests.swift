import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `auditor run` against targets that misbehave in every way we could think of (Peers/hostile.py:
/// HTTP, fixtures and Redis misbehaviours), as a user runs it. For each: it ends within 60 s, exits
/// 1 or 2 (never 0), writes all three reports, passes no rule it did not observe, never fails a
/// correct service for the auditor's own Redis trouble, and prints no token or password.
@Suite("Hostile targets", .timeLimit(.minutes(10)))
struct HostileTargetTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/hostile.py").path
    static let password = "hostile-secret-pass"

    /// hostile.py's modes. Without the test Python, one stand-in mode whose start fails with the reason.
    static let modes: [String] = {
        guard let python = try? TestPython.path() else { return ["(no test python)"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--list"]
        let out = Pipe()
        process.standardOutput = out
        try? process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }()

    /// What one run left behind, for the checks every mode shares.
    struct Outcome: Sendable {
        var status: Int32
        var seconds: Double
        var stdout: String
        var stderr: String
        var files: [String: String]

        var report: [String: Any] {
            files["certification.json"].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        }

        var findings: [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }
        var verdict: String { (report["scorecard"] as? [String: Any])?["verdict"] as? String ?? "?" }
        func statuses(_ status: String) -> [String] { findings.filter { $0["status"] as? String == status }.compactMap { $0["ruleID"] as? String } }
        var everything: String { ([stdout, stderr] + Array(files.values)).joined(separator: "\n") }
    }

    /// Starts hostile.py in one mode; returns its ready line and the process (stopped by the caller).
    static func startHostile(_ mode: String) async throws -> (ready: [String: String], process: ChildProcess) {
        let child = try await TestPython.start(script, ["--mode", mode], readyWhen: ["}\n"], timeout: 20)
        let ready = (try JSONSerialization.jsonObject(with: Data(child.readiness.utf8)) as? [String: String]) ?? [:]
        return (ready, child)
    }

    /// Runs `auditor run` with this config body; reads back every report.
    static func audit(_ yaml: String) async throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("audit.yml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("report").path
        let started = Date()
        let result = try await ProcessRunner.run(AuditorBinary.path, ["run", "--config", config.path, "--out", out], timeout: 90)
        let seconds = Date().timeIntervalSince(started)
        var files: [String: String] = [:]
        for name in ["certification.md", "certification.json", "junit.xml"] {
            files[name] = try? String(contentsOfFile: "\(out)/\(name)", encoding: .utf8)
        }
        return Outcome(status: result.status, seconds: seconds, stdout: result.stdout, stderr: result.stderr, files: files)
    }

    /// The checks every hostile run must pass.
    static func expectSafe(_ outcome: Outcome, _ mode: String) throws {
        #expect(outcome.seconds < 60, "\(mode): took \(Int(outcome.seconds)) s")
        #expect(outcome.status == 1 || outcome.status == 2, "\(mode): exit \(outcome.status)\n\(outcome.stderr)")
        for name in ["certification.md", "certification.json", "junit.xml"] {
            #expect(outcome.files[name] != nil, "\(mode): \(name) not written")
        }
        // No rule passes on something it did not observe.
        for finding in outcome.findings where finding["status"] as? String == "pass" {
            let comparisons = finding["comparisons"] as? [[String: Any]] ?? []
            #expect(!comparisons.isEmpty && comparisons.allSatisfy { $0["holds"] as? Bool == true }, "\(mode): \(finding["ruleID"] ?? "?") passed without observing")
        }
        #expect(outcome.everything.firstMatch(of: try Regex("[0-9a-f]{64}")) == nil, "\(mode): a token reached the output")
        #expect(!outcome.everything.contains(password), "\(mode): the Redis password reached the output")
        // Reasons in words, not in type dumps.
        for dump in ["SingleConnectionFailure", "invalid constant string", "NIOConnectionError", "IOError(", "HTTPParserError"] {
            #expect(!outcome.everything.contains(dump), "\(mode): '\(dump)' in the output")
        }
        print(String(format: "hostile %-22@ exit %d  %5.1f s  %@  %@", mode as NSString, outcome.status, outcome.seconds, outcome.verdict,
                     (outcome.report["incomplete"] as? String) ?? "fail: \(outcome.statuses("fail")) inconclusive: \(outcome.statuses("inconclusive").count)"))
    }

    /// hostile.py's start-up alone, on the pinned environment (scripts/check-dirty-python runs it
    /// from a dirty shell): its modes are listed, and one starts and names its URLs.
    @Test("hostile.py lists its modes and starts one on the pinned environment")
    func modesListed() async throws {
        #expect(Self.modes.count > 20, "\(Self.modes)")
        let (ready, process) = try await Self.startHostile("refused")
        process.kill()
        #expect(ready["baseURL"]?.hasPrefix("http://127.0.0.1:") == true, "\(ready)")
    }

    /// One mode, as a user meets it; HTTP and fixture modes against the hostile server itself,
    /// Redis modes as the `redis.url` of a correct service (the reference, served by the CLI).
    static func run(_ mode: String) async throws -> Outcome {
        let (ready, process) = try await startHostile(mode)
        return try await withCleanup({ process.kill() }) {
            guard mode.hasPrefix("redis-") else {
                return try await audit("""
                target: {baseURL: "\(ready["baseURL"] ?? "")"}
                fixtures: {http: {url: "\(ready["fixturesURL"] ?? "")"}}
                """)
            }
            let served = try await CLITests.ServedReference.start()
            defer { served.stop() }
            return try await audit("""
            target: {baseURL: "\(served.baseURL)"}
            redis: {url: "\(ready["redisURL"] ?? "")"}
            eventbridge: {listen: "127.0.0.1:\(served.eventsPort)"}
            fixtures: {http: {url: "\(served.baseURL)/__reference/fixtures"}}
            """)
        }
    }

    /// Every mode, three at a time (most of each run is waiting on a hostile peer), then the checks.
    @Test("every misbehaviour: a report, exit 1 or 2, within 60 s, nothing passed unobserved, a correct service never failed for Redis trouble")
    func everyMode() async throws {
        #expect(Self.modes.count >= 25, "hostile.py --list: \(Self.modes)")
        let outcomes = try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
            var pending = Self.modes.makeIterator()
            func launch() {
                guard let mode = pending.next() else { return }
                group.addTask { (mode, try await Self.run(mode)) }
            }
            for _ in 0..<3 { launch() }
            var outcomes: [(String, Outcome)] = []
            while let done = try await group.next() {
                outcomes.append(done)
                launch()
            }
            return outcomes.sorted { $0.0 < $1.0 }
        }
        for (mode, outcome) in outcomes {
            try Self.expectSafe(outcome, mode)
            if outcome.verdict == "INCOMPLETE" {
                #expect(!((outcome.report["incomplete"] as? String) ?? "").isEmpty, "\(mode): INCOMPLETE says why")
            }
            if mode == "redirect-loop" {
                #expect(((outcome.report["incomplete"] as? String) ?? "").contains("redirects live polling (302"),
                        "a redirect is reported, not followed: \(outcome.report["incomplete"] ?? "complete")")
            }
            if mode == "tls-bytes" {
                #expect(((outcome.report["incomplete"] as? String) ?? "").contains("not an HTTP answer"), "\(outcome.report["incomplete"] ?? "complete")")
            }
            if mode.hasPrefix("redis-") {
                #expect(outcome.statuses("fail").isEmpty, "\(mode): a correct service failed \(outcome.statuses("fail")) for the auditor's Redis trouble")
                #expect(outcome.status == 2)
                #expect(outcome.statuses("inconclusive").contains("JRN-TTL-001"))
            }
        }
    }

    @Test("the EventBridge port is taken: its rules are inconclusive, the rest runs, nothing fails")
    func eventBridgePortTaken() async throws {
        let served = try await CLITests.ServedReference.start()
        defer { served.stop() }
        // Something else holds the port the config names.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) } }
        _ = listen(holder, 1)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try await Self.audit("""
        target: {baseURL: "\(served.baseURL)"}
        redis: {url: "redis://127.0.0.1:\(served.redis.url.port)"}
        eventbridge: {listen: "127.0.0.1:\(port)"}
        fixtures: {http: {url: "\(served.baseURL)/__reference/fixtures"}}
        """)
        try Self.expectSafe(outcome, "eventbridge-port-taken")
        #expect(outcome.statuses("fail").isEmpty)
        #expect(outcome.statuses("inconclusive").contains("JRN-EVB-001"))
        #expect(outcome.statuses("pass").contains("JRN-TTL-001"), "the rest of the audit ran")
        #expect(outcome.stderr.contains("address already in use"))
    }
}
