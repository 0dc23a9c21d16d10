import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `auditor` as a user runs it: the built binary, a config written by hand, a reference started
/// separately on a real redis-server, and the exit codes CI gates on.
@Suite("auditor run / check / rules", .timeLimit(.minutes(3)))
struct CLITests {
    static var auditor: String { AuditorBinary.path }

    /// `auditor reference serve --redis …` in its own process; stopped with SIGTERM.
    struct ServedReference {
        let process: Process
        let baseURL: String
        let socketURL: String
        let eventsPort: Int
        let redis: RedisServer

        static func start(faults: [String] = []) async throws -> ServedReference {
            let redis = try await RedisServer.start()
            let eventsPort = try await RedisServer.freePort()
            let child = try await ChildProcess.start(CLITests.auditor, ["reference", "serve", "--port", "0", "--redis", "redis://127.0.0.1:\(redis.url.port)",
                                                                        "--eventbridge-endpoint", "http://127.0.0.1:\(eventsPort)"] + faults.flatMap { ["--fault", $0] },
                                                     readyWhen: ["}\n"], timeout: 20, name: "auditor reference serve")
            let ready = try JSONSerialization.jsonObject(with: Data(child.readiness.utf8)) as? [String: Any]
            return ServedReference(process: child.process, baseURL: ready?["baseURL"] as? String ?? "", socketURL: ready?["socketURL"] as? String ?? "",
                                   eventsPort: eventsPort, redis: redis)
        }

        /// A config that checks every blocker it can reach here and excludes, on purpose, the two
        /// it cannot (one instance; no fault proxy in front of this Redis).
        func writeFullConfig(extra: String = "") throws -> String {
            try writeConfig(extra: """
            socket: {url: "\(socketURL)"}
            source: {paths: ["\(CIRecipeTests.cleanSourceView)"]}
            exclude:
              - {rule: JRN-STATELESS-001, justification: "one instance in this test", owner: tests, expires: 2099-12-31}
              - {rule: JRN-FAILCLOSED-001, justification: "no fault proxy in front of Redis here", owner: tests, expires: 2099-12-31}
              - {rule: JRN-SLOWSTORE-001, justification: "no fault proxy in front of Redis here", owner: tests, expires: 2099-12-31}
            \(extra)
            """)
        }

        /// A config as a user writes it.
        func writeConfig(extra: String = "") throws -> String {
            let yaml = """
            target:
              baseURL: \(baseURL)
            redis:
              url: redis://127.0.0.1:\(redis.url.port)/0
            eventbridge:
              listen: 127.0.0.1:\(eventsPort)
            fixtures:
              http: {url: \(baseURL)/__reference/fixtures, method: POST}
            \(extra)
            """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).yml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }

        func stop() {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            redis.kill()
        }
    }

    func auditor(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ProcessRunner.run(Self.auditor, arguments, timeout: 120)
    }

    func outDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)").path
    }

    @Test("run against a clean reference on Redis, every blocker checked or excluded: READY 100, three reports, exit 0")
    func runClean() async throws {
        let served = try await ServedReference.start()
        defer { served.stop() }
        let out = outDirectory()
        let result = try await auditor(["run", "--config", try served.writeFullConfig(), "--out", out])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("🟢 READY — 10/10 — checked 20/25 rules, 8/11 blockers"), "\(result.stdout)")
        #expect(result.stdout.contains("journeys left active: 0"))
        #expect(result.stderr.contains("[22/22]"), "progress goes to stderr")
        for file in ["certification.md", "certification.json", "junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) written")
        }
        let markdown = try String(contentsOfFile: "\(out)/certification.md", encoding: .utf8)
        #expect(markdown.contains("excluded until 2099-12-31 by tests: one instance in this test"))
    }

    @Test("blockers the config cannot check are not checked: NOT READY, exit 2, never READY by omission")
    func runWithoutAdversarialConfig() async throws {
        let served = try await ServedReference.start()
        defer { served.stop() }
        let out = outDirectory()
        let result = try await auditor(["run", "--config", try served.writeConfig(), "--out", out])
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("🟠 NOT READY — 8.9/10 (capped: not certified: JRN-"), "never above READY's floor while a blocker is unverified: \(result.stdout)")
        #expect(result.stdout.contains("; measured 10) — checked 18/25 rules, 6/11 blockers"), "\(result.stdout)")
        for rule in ["JRN-WS-001", "JRN-WS-002", "JRN-FAILCLOSED-001", "JRN-SLOWSTORE-001", "JRN-STATELESS-001"] {
            #expect(result.stdout.contains("not certified: \(rule) not checked"), "\(rule)")
        }
        let check = try await auditor(["check", "JRN-WS-002", "--config", try served.writeConfig()])
        #expect(check.status == 2, "check agrees: a rule not checked is not a pass")
        #expect(check.stdout.contains("NOT-CHECKED"))
    }

    @Test("run against check-then-set: DO NOT DEPLOY naming JRN-RACE-001, exit 1")
    func runFaulted() async throws {
        let served = try await ServedReference.start(faults: ["check-then-set"])
        defer { served.stop() }
        let result = try await auditor(["run", "--config", try served.writeConfig(), "--rule", "JRN-RACE-001", "--format", "markdown", "--out", outDirectory()])
        #expect(result.status == 1)
        #expect(result.stdout.contains("🔴 DO NOT DEPLOY"))
        #expect(result.stdout.contains("JRN-RACE-001"))
    }

    @Test("waivers, baseline, --fail-on-new, --summary and diff, as a CI job uses them")
    func certificationWorkflow() async throws {
        let served = try await ServedReference.start(faults: ["check-then-set"])
        defer { served.stop() }
        let config = try served.writeConfig()
        let first = outDirectory()
        let failing = try await auditor(["run", "--config", config, "--rule", "JRN-RACE-001", "--rule", "JRN-TTL-001", "--out", first])
        #expect(failing.status == 1)
        #expect(!failing.stdout.contains("since the last certification"), "a fresh --out has nothing to compare with")

        // Re-running into the same --out compares with what it held, unless told not to.
        let again = try await auditor(["run", "--config", config, "--rule", "JRN-TTL-001", "--out", first])
        #expect(again.stderr.contains("comparing with the previous certification in \(first)/certification.json"), "\(again.stderr)")
        #expect(again.stdout.contains("since the last certification"))
        let fresh = try await auditor(["run", "--config", config, "--rule", "JRN-TTL-001", "--out", first, "--no-baseline"])
        #expect(!fresh.stdout.contains("since the last certification"), "\(fresh.stdout)")
        try "not json".write(toFile: "\(first)/certification.json", atomically: true, encoding: .utf8)
        let unreadable = try await auditor(["run", "--config", config, "--rule", "JRN-RACE-001", "--rule", "JRN-TTL-001", "--out", first])
        #expect(unreadable.status == 1 && unreadable.stderr.contains("not compared"), "an unreadable earlier report is skipped with a warning")

        let waivers = FileManager.default.temporaryDirectory.appendingPathComponent("waivers-\(UUID().uuidString).yml")
        try "waivers:\n  - {rule: JRN-RACE-001, justification: \"fix ships Friday\", owner: ana, expires: 2099-01-01, acceptBlocker: true}\n"
            .write(to: waivers, atomically: true, encoding: .utf8)
        let summary = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString).md")
        let second = outDirectory()
        let waived = try await auditor(["run", "--config", config, "--rule", "JRN-RACE-001", "--rule", "JRN-TTL-001", "--out", second,
                                        "--waivers", waivers.path, "--baseline", "\(first)/certification.json", "--fail-on-new", "--summary", summary.path])
        #expect(waived.status == 0, "\(waived.stdout)\(waived.stderr)")
        #expect(waived.stdout.contains("WAIVED JRN-RACE-001 until 2099-01-01"))
        #expect(waived.stdout.contains("since the last certification"))
        let summaryText = try String(contentsOf: summary, encoding: .utf8)
        #expect(summaryText.contains("### 🔴 DO NOT DEPLOY"))
        #expect(summaryText.contains("waived until 2099-01-01"))

        let diff = try await auditor(["diff", "\(first)/certification.json", "\(second)/certification.json"])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("## 🔁 Since the Last Certification"))

        let blockerWithoutAccept = FileManager.default.temporaryDirectory.appendingPathComponent("bad-waivers-\(UUID().uuidString).yml")
        try "waivers:\n  - {rule: JRN-RACE-001, justification: x, owner: a, expires: 2099-01-01}\n".write(to: blockerWithoutAccept, atomically: true, encoding: .utf8)
        let refused = try await auditor(["run", "--config", config, "--rule", "JRN-TTL-001", "--waivers", blockerWithoutAccept.path, "--out", outDirectory()])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("waivers[0].acceptBlocker"))
    }

    @Test("check: one rule with its full evidence")
    func checkOneRule() async throws {
        let served = try await ServedReference.start()
        defer { served.stop() }
        let result = try await auditor(["check", "JRN-TTL-001", "--config", try served.writeConfig()])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("JRN-TTL-001: PASS"))
        #expect(result.stdout.contains("TTL journey:active:"))
        #expect(result.stdout.contains("redis-cli"))
    }

    @Test("a bad config is exit 64 naming the key; an unreachable target is exit 2")
    func exitCodes() async throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yml")
        try "target: {baseURL: http://127.0.0.1:1}\nfixtures: {static: [{}]}\ngate: {failOn: sometimes}\n".write(to: bad, atomically: true, encoding: .utf8)
        let usage = try await auditor(["run", "--config", bad.path])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("gate.failOn"))

        let port = try await RedisServer.freePort()
        let unreachable = FileManager.default.temporaryDirectory.appendingPathComponent("down-\(UUID().uuidString).yml")
        try "target: {baseURL: \"http://127.0.0.1:\(port)\"}\nfixtures: {http: {url: \"http://127.0.0.1:\(port)/f\"}}\n".write(to: unreachable, atomically: true, encoding: .utf8)
        let downOut = outDirectory()
        let down = try await auditor(["run", "--config", unreachable.path, "--out", downOut])
        #expect(down.status == 2)
        #expect(down.stderr.contains("connection refused"))
        #expect(down.stdout.contains("⚪ INCOMPLETE"))
        let incomplete = try String(contentsOfFile: "\(downOut)/certification.md", encoding: .utf8)
        #expect(incomplete.contains("**The audit could not run:** the target did not answer its base URL"))
        #expect(FileManager.default.fileExists(atPath: "\(downOut)/junit.xml"))

        let unknownRule = try await auditor(["run", "--config", unreachable.path, "--rule", "JRN-NOPE-999"])
        #expect(unknownRule.status == 64)

        let dry = try await auditor(["run", "--config", unreachable.path, "--dry-run"])
        #expect(dry.status == 0, "a dry run sends nothing, so an unreachable target does not matter")
        #expect(dry.stdout.contains("JRN-RACE-001"))
        #expect(dry.stdout.contains("Fresh fixtures needed"))
    }

    @Test("rules and rules show")
    func rules() async throws {
        let list = try await auditor(["rules"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("JRN-RACE-001"))
        #expect(list.stdout.contains("25 rules"))
        #expect(list.stdout.contains("JRN-FAILCLOSED-001 blocker"), "the id column fits the longest id")
        let show = try await auditor(["rules", "show", "JRN-GONE-001"])
        #expect(show.stdout.contains("gone-as-404"))
        #expect(show.stdout.contains("pinned by docs/contract/journey.md §HTTP API row 2: 410 journey has ended"))
        let unknown = try await auditor(["rules", "show", "NOPE"])
        #expect(unknown.status == 64)
    }
}
