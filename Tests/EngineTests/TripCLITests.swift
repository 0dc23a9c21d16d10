import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The trip pack as a user runs it: `auditor reference serve --pack trip` in its own process, a
/// config that says `pack: trip`, `auditor run` and `check` against it, and the rules listing.
@Suite("auditor --pack trip", .timeLimit(.minutes(3)))
struct TripCLITests {
    /// `auditor reference serve --pack trip`; stopped with SIGTERM.
    struct ServedTripReference {
        let process: Process
        let ready: [String: Any]

        static func start(_ arguments: [String] = []) async throws -> ServedTripReference {
            let child = try await ChildProcess.start(AuditorBinary.path, ["reference", "serve", "--pack", "trip", "--port", "0"] + arguments,
                                                     readyWhen: ["}\n"], timeout: 20, name: "auditor reference serve --pack trip")
            return ServedTripReference(process: child.process, ready: try JSONSerialization.jsonObject(with: Data(child.readiness.utf8)) as? [String: Any] ?? [:])
        }

        var baseURL: String { ready["baseURL"] as? String ?? "" }

        /// A config as a user writes it; the key's wait shortened (the clean reference keeps keys a day).
        func writeConfig(extra: String = "") throws -> String {
            let yaml = """
            pack: trip
            target: {baseURL: \(baseURL)}
            trip: {cacheSeconds: 2}
            fixtures:
              http: {url: \(baseURL)/__reference/fixtures}
            \(extra)
            """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("trip-audit-\(UUID().uuidString).yml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }

        func stop() {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    func auditor(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ProcessRunner.run(AuditorBinary.path, arguments, timeout: 120)
    }

    @Test("run against `reference serve --pack trip`: READY 100 with every rule checked, exit 0; check of one rule: exit 0")
    func runClean() async throws {
        let served = try await ServedTripReference.start()
        defer { served.stop() }
        #expect(served.ready["pack"] as? String == "trip")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("trip-out-\(UUID().uuidString)").path
        let result = try await auditor(["run", "--config", try served.writeConfig(), "--out", out])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("🟢 READY — 10/10 — checked 9/9 rules, 3/3 blockers"), "\(result.stdout)")
        let markdown = try String(contentsOfFile: "\(out)/certification.md", encoding: .utf8)
        #expect(markdown.contains("# Production Readiness Certification: Trip Assignment"))
        #expect(markdown.contains("**Rule pack:** trip 1.0.0"))

        let check = try await auditor(["check", "TRP-CONFLICT-001", "--config", try served.writeConfig()])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        let contradiction = try await auditor(["check", "TRP-CONFLICT-001", "--config", try served.writeConfig(), "--pack", "journey"])
        #expect(contradiction.status == 64 && contradiction.stderr.contains("--pack journey contradicts pack: trip"), "\(contradiction.stderr)")
    }

    @Test("run against a faulted trip reference: the rule that names the fault fails, exit 1")
    func runFaulted() async throws {
        let served = try await ServedTripReference.start(["--fault", "accept-403"])
        defer { served.stop() }
        let result = try await auditor(["run", "--config", try served.writeConfig(), "--rule", "TRP-CONFLICT-001", "--rule", "TRP-RACE-001",
                                        "--format", "json", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("trip-\(UUID().uuidString)").path])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("TRP-CONFLICT-001"))
        #expect(result.stderr.contains("TRP-RACE-001 pass"), "a 403 for 409 is not a race: \(result.stderr)")
    }

    /// The trip reference on a real PostgreSQL, started by a script the config names as the
    /// target's restart command: it stops the running server and starts a new one on the same port
    /// and database, as a deploy does.
    struct RestartableTripReference {
        let directory: URL
        let port: Int
        let script: String

        static func start(postgres: PostgresServer, faults: [String] = []) async throws -> RestartableTripReference {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trip-restart-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = try await RedisServer.freePort()
            let script = directory.appendingPathComponent("restart.sh").path
            let faultArguments = faults.map { "--fault \($0)" }.joined(separator: " ")
            try """
            #!/usr/bin/env bash
            # Stops the running trip reference (if any), starts a new one on the same port and database,
            # returns once its ready line is out.
            set -euo pipefail
            cd "\(directory.path)"
            if [ -f pid ]; then kill -TERM "$(cat pid)" 2>/dev/null || true; while kill -0 "$(cat pid)" 2>/dev/null; do sleep 0.05; done; fi
            rm -f ready
            # The server must not keep the descriptors this script was given: a parent that waits for
            # them to close (Foundation's Process does) would wait for the server's end.
            for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null || true; fi; done
            "\(AuditorBinary.path)" reference serve --pack trip --port \(port) --postgres "\(postgres.url)" \(faultArguments) > ready 2>/dev/null < /dev/null &
            echo $! > pid
            until grep -q baseURL ready 2>/dev/null; do sleep 0.05; done
            """.write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            let started = try await ProcessRunner.run(script, [], timeout: 30)
            guard started.status == 0 else { throw ProbeFailure("the restart script failed: \(started.stderr)") }
            return RestartableTripReference(directory: directory, port: port, script: script)
        }

        func writeConfig() throws -> String {
            let base = "http://127.0.0.1:\(port)"
            let file = directory.appendingPathComponent("audit.yml")
            try """
            pack: trip
            target: {baseURL: "\(base)", name: trip reference on PostgreSQL}
            trip: {cacheSeconds: 2, restartCommand: ["\(script)"]}
            fixtures:
              http: {url: "\(base)/__reference/fixtures"}
            """.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }

        func stop() {
            if let pid = try? String(contentsOf: directory.appendingPathComponent("pid"), encoding: .utf8), let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(number, SIGTERM)
                while kill(number, 0) == 0 { usleep(50_000) }
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    struct ProbeFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    @Test("run against `reference serve --pack trip --postgres URL` with a restart command: READY; keys kept in memory fail TRP-IDEM-004 after the restart")
    func postgresWithRestart() async throws {
        let postgres = try await PostgresServer.start()
        let clean = try await RestartableTripReference.start(postgres: postgres)
        let result = try await auditor(["run", "--config", try clean.writeConfig(), "--format", "json",
                                        "--out", clean.directory.appendingPathComponent("out").path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let findings = (try? String(contentsOfFile: clean.directory.appendingPathComponent("out/certification.json").path, encoding: .utf8)) ?? ""
        #expect(result.stdout.contains("🟢 READY — 10/10 — checked 9/9 rules, 3/3 blockers"), "\(result.stdout)\n\(result.stderr)\n\(findings.prefix(4000))")

        clean.stop()

        // The fault forgets keys after 10 s, so the 2 s wait alone passes: only the restart shows it.
        let cached = try await RestartableTripReference.start(postgres: postgres, faults: ["idempotency-in-cache"])
        let check = try await auditor(["check", "TRP-IDEM-004", "--config", try cached.writeConfig()])
        cached.stop()
        await postgres.stop()
        #expect(check.status == 1, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("a create replayed after a restart of the target (trip.restartCommand): expected same status and body"), "\(check.stdout)")
        #expect(check.stdout.contains("observed another trip (a second effect)"), "\(check.stdout)")
    }

    @Test("rules --pack trip lists the pack; --format json gives it to tools")
    func rules() async throws {
        let text = try await auditor(["rules", "--pack", "trip"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("trip 1.0.0: 9 rules"), "\(text.stdout)")
        #expect(text.stdout.contains("TRP-IDEM-004"))
        let json = try await auditor(["rules", "list", "--pack", "trip", "--format", "json"])
        let listing = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(listing?["pack"] as? String == "trip")
        let rules = listing?["rules"] as? [[String: Any]] ?? []
        #expect(rules.count == 9 && rules.first?["id"] as? String == "TRP-RACE-001")
        #expect(((rules.first?["faults"] as? [String]) ?? []) == ["read-then-write-accept"])
        let journey = try await auditor(["rules"])
        #expect(journey.stdout.hasPrefix("journey "), "journey stays the default pack")
    }

    @Test("usage errors name the pack's valid choices, exit 64")
    func usageErrors() async throws {
        let fault = try await auditor(["demo", "--pack", "trip", "--fault", "check-then-set"])
        #expect(fault.status == 64 && fault.stderr.contains("unknown trip fault 'check-then-set'"), "\(fault.stderr)")
        let serve = try await auditor(["reference", "serve", "--pack", "trip", "--redis", "redis://127.0.0.1:1"])
        #expect(serve.status == 64 && serve.stderr.contains("--redis is for the journey reference"), "\(serve.stderr)")
        let pack = try await auditor(["rules", "--pack", "rides"])
        #expect(pack.status == 64)
    }
}
