import Checks
import Foundation
import Testing
import TestSupport

/// The auditor against a second implementation we did not write, in the seeds' own stack:
/// Tests/EngineTests/Peers/node (Express 4 and node-redis 4 from Debian's packages, chat on
/// python-socketio behind the same nginx, routed by path as an ALB would), started by
/// `scripts/node-peer` and audited as a user would (`auditor run --config DIR/audit.yml`). Clean
/// and every variant (open choices taken its own way: SETNX then EXPIRE, a hash, an HTTP-date…):
/// READY with zero findings. Each bug switch, in a seed's shape: exactly its rules fail.
@Suite("Independent peer (Node, Express + node-redis)", .serialized, .timeLimit(.minutes(20)))
struct NodePeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/node-peer").path

    /// Which rules each bug must fail, and nothing else.
    static let bugs: [(bug: String, rules: Set<String>)] = [
        ("check-then-set", ["JRN-RACE-001"]),
        ("evb-throws", ["JRN-EVB-001"]),
        ("no-410", ["JRN-GONE-001", "JRN-CLEAN-001"]),   // no journey:ended written at all: its TTL cell fails too
        ("fail-open-409", ["JRN-FAILCLOSED-001", "JRN-SLOWSTORE-001"]),
        ("no-rate-limit", ["JRN-RATE-001", "JRN-TTL-003", "JRN-RETRY-001"]),
        ("no-speed-check", ["JRN-SPOOF-001"]),
        ("speed-limit-150", ["JRN-SPOOF-001"]),
        ("arrival-radius-200", ["JRN-ARRIVE-001"]),
        ("retry-after-60", ["JRN-RATE-001"]),
        ("student-can-stop", ["JRN-OWN-001"]),
        ("ended-no-ttl", ["JRN-CLEAN-001"]),
        ("leaky-live", ["JRN-OWN-001"]),
        ("no-session-cache", ["JRN-CACHE-001"]),
        ("journey-no-ttl", ["JRN-TTL-001"]),
        ("ws-subscribe-push", ["JRN-WS-001"]),
    ]

    static let variants = ["setnx-expire", "location-hash", "retry-after-date", "rate-before-speed", "expired-404"]

    /// Rules that did not pass, with their status (the long rules, not run here, aside).
    static func moved(_ report: [String: Any]) -> [String: String] {
        let findings = report["findings"] as? [[String: Any]] ?? []
        return findings.reduce(into: [:]) { moved, finding in
            guard let id = finding["ruleID"] as? String, let status = finding["status"] as? String,
                  !["pass", "excluded"].contains(status), !FaultMatrixTests.longRules.contains(id) else { return }
            moved[id] = status
        }
    }

    static func audit(_ switches: [String]) async throws -> (status: Int32, moved: [String: String], output: String) {
        let deployment = try await StagingLikeTests.Deployment.start(script: script, switches, ready: "node-peer ready:")
        return try await withCleanup({ deployment.stop() }) {
            let audit = try await deployment.audit()
            return (audit.status, moved(audit.report), audit.output)
        }
    }

    @Test("clean, and every variant at once: READY, zero findings, exit 0")
    func cleanAndVariants() async throws {
        for switches in [[], Self.variants.flatMap { ["--variant", $0] }] {
            let audit = try await Self.audit(switches)
            #expect(audit.moved.isEmpty, "\(switches): \(audit.moved)\n\(audit.output)")
            #expect(audit.status == 0, "\(switches): \(audit.output)")
        }
    }

    /// Three deployments at a time: each audit is mostly waiting (rate windows, the load).
    @Test("each bug switch fails exactly its rules")
    func eachBug() async throws {
        let outcomes = try await withThrowingTaskGroup(of: (String, (status: Int32, moved: [String: String], output: String)).self) { group in
            var pending = Self.bugs.map(\.bug).makeIterator()
            func launch() {
                guard let bug = pending.next() else { return }
                group.addTask { (bug, try await Self.audit(["--bug", bug])) }
            }
            for _ in 0..<3 { launch() }
            var outcomes: [String: (status: Int32, moved: [String: String], output: String)] = [:]
            while let (bug, outcome) = try await group.next() {
                outcomes[bug] = outcome
                launch()
            }
            return outcomes
        }
        for (bug, expected) in Self.bugs {
            let audit = try #require(outcomes[bug])
            print("node peer \(bug): exit \(audit.status), not passing: \(audit.moved.isEmpty ? "none" : audit.moved.map { "\($0) \($1)" }.sorted().joined(separator: ", "))")
            #expect(Set(audit.moved.keys) == expected && audit.moved.values.allSatisfy { $0 == "fail" }, "\(bug): expected \(expected.sorted()), got \(audit.moved)")
            // Only an advisory rule failed (JRN-CACHE-001): READY, and the gate passes by default.
            let advisoryOnly = expected.isSubset(of: Self.advisory)
            #expect(audit.status == (advisoryOnly ? 0 : 1), "\(bug): \(audit.output.suffix(2000))")
        }
    }

    static let advisory = Set((try? RuleCatalogue.bundled().rules.filter { $0.severity == .advisory }.map(\.id)) ?? [])
}
