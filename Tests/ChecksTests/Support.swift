import Foundation
@testable import Checks

/// A small catalogue and observations built by hand, so these tests need no network.
enum Sample {
    static let catalogueYAML = """
    catalogue: sample
    version: 0.1.0
    rules:
      - id: S-BLOCK-001
        title: A blocker
        severity: blocker
        category: Concurrency
        rationale: Because it blocks.
        remediation: |
          Do the atomic thing:
          ```typescript
          await redis.set(key, value, 'EX', 3600, 'NX');
          ```
        references: ["seeds/002 §Race"]
        probe: {kind: race, concurrency: 20}
        compare:
          - {fact: created, description: "starts answered 201", pins: "CONTRACT §State: exactly one 201"}
          - {fact: events, mode: atMost, description: "events", pins: "CONTRACT §Events"}
        faults: [check-then-set]
      - id: S-IMP-001
        title: An important one
        severity: important
        category: State & TTL
        rationale: It matters.
        remediation: Set the TTL.
        probe: {kind: ttl-journey}
        compare:
          - {fact: ttl, mode: within, tolerance: 2, description: "TTL (s)", pins: "CONTRACT §State: TTL 3600"}
        faults: [journey-no-ttl]
      - id: S-ADV-001
        title: An advisory one
        severity: advisory
        weight: 2
        category: Scalability
        rationale: Nice to have.
        remediation: Cache it.
        probe: {kind: cache}
        compare:
          - {fact: cached, description: "cached", pins: "CONTRACT §State: session:meta"}
          - {fact: latency, mode: below, limit: 3000, description: "slowest (ms)", pins: "CONTRACT §Events: 2 s"}
        faults: [no-session-cache]
    """

    static var catalogue: RuleCatalogue { try! RuleCatalogue.parse(catalogueYAML, file: "sample.yml") }
    static func rule(_ id: String) -> Rule { catalogue.rule(id)! }

    static func observation(_ facts: [String: FactValue], transcript: [Exchange] = []) -> Observation {
        Observation(facts: facts, transcript: transcript)
    }

    static let raceTranscript: [Exchange] =
        Array(repeating: Exchange(kind: .http, label: "synchronized start", request: "POST /api/v1/admin/sessions/s1/start-journey", credential: "trainer", result: "201"), count: 2)
        + [Exchange(kind: .redis, label: "read", request: "EXISTS journey:active:s1", result: "1"),
           Exchange(kind: .http, label: "cleanup: stop", request: "POST /api/v1/admin/sessions/s1/stop-journey", credential: "trainer", result: "200")]

    /// One failed blocker, one passed important rule, one inconclusive advisory rule.
    static var report: AuditReport {
        let findings = [
            Judge.judge(rule("S-BLOCK-001"), target: observation(["created": .int(2), "events": .int(2)], transcript: raceTranscript),
                        oracle: observation(["created": .int(1), "events": .int(1)])),
            Judge.judge(rule("S-IMP-001"), target: observation(["ttl": .int(3599)]), oracle: observation(["ttl": .int(3600)])),
            Judge.judge(rule("S-ADV-001"), target: observation(["cached": .unobserved("no redis.url configured"), "latency": .int(12)]),
                        oracle: observation(["cached": .bool(true), "latency": .int(3)])),
        ]
        return AuditReport(target: "https://staging.example.com", generatedAt: "2026-11-22T00:00:00Z", auditorVersion: "0.1.0",
                           catalogue: catalogue, durationSeconds: 4.25, findings: findings, gate: Gate(), warnings: ["No redis.url configured: rules that read Redis are inconclusive."])
    }
}
