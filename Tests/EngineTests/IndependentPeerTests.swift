import Checks
import Engine
import Foundation
import Probes
import Testing
import TestSupport
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// The auditor against an implementation we did not write from the reference: Peers/journey_peer.py
/// (aiohttp, redis-py asyncio, python-socketio with its Redis manager, botocore), written from
/// CONTRACT.md and the seeds. Two instances on a real redis-server behind the auditor's fault proxy,
/// publishing to the auditor's EventBridge endpoint. Clean: READY with zero findings. Each bug
/// switch (named after a seed's scenario): exactly its rules fail. Seed 002's state: DO NOT DEPLOY
/// naming the race, EventBridge and 410 rules.
@Suite("Independent peer (Python)", .serialized, .timeLimit(.minutes(10)))
struct IndependentPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/journey_peer.py").path

    /// Which rules each bug switch must fail, and nothing else.
    static let bugs: [(bugs: [String], rules: Set<String>)] = [
        ([], []),
        (["check-then-set"], ["JRN-RACE-001"]),
        (["evb-throws"], ["JRN-EVB-001"]),
        (["no-410"], ["JRN-GONE-001", "JRN-CLEAN-001"]),   // no journey:ended written at all: its TTL cell fails too
        (["fail-open-409"], ["JRN-FAILCLOSED-001", "JRN-SLOWSTORE-001"]),
        (["ws-location-handlers"], ["JRN-WS-001"]),
        (["no-session-cache"], ["JRN-CACHE-001"]),
        (["leaky-live"], ["JRN-OWN-001"]),
        (["no-rate-limit"], ["JRN-RATE-001", "JRN-TTL-003", "JRN-RETRY-001"]),
        (["no-speed-check"], ["JRN-SPOOF-001"]),
        // seeds/002: the race, the EventBridge error handling and the missing 410, together.
        (["check-then-set", "evb-throws", "no-410"], ["JRN-RACE-001", "JRN-EVB-001", "JRN-GONE-001", "JRN-CLEAN-001"]),
    ]

    /// The peer deployment: a real Redis, the auditor's proxy in front of it, two peer instances.
    struct PeerDeployment {
        let redis: RedisServer
        let proxy: FaultProxy
        let events: EventBridgeEndpoint
        let peers: [(process: ChildProcess, ready: [String: Any])]

        static func start(bugs: [String]) async throws -> PeerDeployment {
            let redis = try await RedisServer.start()
            let proxy = try await FaultProxy.start(upstreamHost: "127.0.0.1", upstreamPort: redis.url.port)
            let events = try await EventBridgeEndpoint.start()
            var peers: [(ChildProcess, [String: Any])] = []
            for _ in 0..<2 {
                let peer: ChildProcess
                do {
                    peer = try await TestPython.start(IndependentPeerTests.script, ["--port", "0", "--redis", "redis://127.0.0.1:\(proxy.port)",
                                                          "--eventbridge-endpoint", events.url.absoluteString] + bugs.flatMap { ["--bug", $0] },
                                                      readyWhen: ["}\n"], timeout: 30)
                } catch {
                    for (started, _) in peers { started.kill() }
                    await proxy.stop()
                    await events.stop()
                    redis.kill()
                    throw error
                }
                peers.append((peer, (try JSONSerialization.jsonObject(with: Data(peer.readiness.utf8)) as? [String: Any]) ?? [:]))
            }
            return PeerDeployment(redis: redis, proxy: proxy, events: events, peers: peers)
        }

        func audit() async throws -> AuditReport {
            let base = { (i: Int) in URL(string: peers[i].ready["baseURL"] as? String ?? "")! }
            var config = AuditConfig(baseURL: base(0), fixtures: .http(url: URL(string: peers[0].ready["fixturesURL"] as? String ?? "")!, method: "POST", headers: [:]))
            config.instances = [base(0), base(1)]
            config.redisURL = "redis://127.0.0.1:\(redis.url.port)"
            config.redisProxy = (HostPort(host: "127.0.0.1", port: proxy.port), HostPort(host: "127.0.0.1", port: redis.url.port))
            config.redisTimeoutMs = 1000   // the peer's socket timeout per Redis command (STORE_TIMEOUT_S)
            config.eventBridgeListen = HostPort(host: "127.0.0.1", port: events.port)
            config.socketURL = URL(string: peers[0].ready["socketURL"] as? String ?? "")
            config.scale = DemoTarget.scale
            // The peer is Python: the source rule reads TS/JS, so it is excluded on purpose, visibly.
            config.exclusions = [Exclusion(rule: "JRN-WS-002", justification: "the peer's backend is Python; its WebSocket code is checked live by JRN-WS-001",
                                           owner: "auditor tests", expires: "2099-12-31")]
            var request = AuditRequest(config: config, catalogue: try RuleCatalogue.bundled())
            request.targetEvents = events
            request.targetProxy = proxy
            return try await AuditRunner.run(request)
        }

        func stop() async {
            for (process, _) in peers { process.kill() }
            await proxy.stop()
            await events.stop()
            redis.kill()
        }
    }

    /// The peer's start-up alone (scripts/check-dirty-python runs it from a shell whose global Python
    /// has old packages): both instances ready, their fixture endpoint answering.
    @Test("both peer instances start on the pinned environment and hand out a fixture")
    func peerStarts() async throws {
        let deployment = try await PeerDeployment.start(bugs: [])
        let answer: HTTPResponseData
        do {
            let url = try #require(URL(string: deployment.peers[1].ready["fixturesURL"] as? String ?? ""))
            answer = try await HTTPClient().send(HTTPRequestSpec(method: "POST", url: url))
        } catch {
            await deployment.stop()
            throw error
        }
        await deployment.stop()
        #expect((200..<300).contains(answer.status), "fixture: \(answer.status) \(answer.bodyText)")
    }

    @Test("clean: READY, zero findings; each seed bug: exactly its rules fail", arguments: bugs.indices)
    func audit(_ index: Int) async throws {
        let (bugs, expected) = Self.bugs[index]
        let deployment = try await PeerDeployment.start(bugs: bugs)
        let report: AuditReport
        do { report = try await deployment.audit() } catch {
            await deployment.stop()
            throw error
        }
        await deployment.stop()
        let name = bugs.isEmpty ? "clean" : bugs.joined(separator: " + ")
        // The long rules run only with --long: not checked here, by design.
        let moved = report.findings.filter { $0.status != .pass && $0.status != .excluded && !FaultMatrixTests.longRules.contains($0.ruleID) }
        print("peer \(name): \(report.scorecard.verdict.rawValue) \(Judge.format(report.scorecard.score)), \(report.scorecard.coverage.line), failing: "
              + (moved.isEmpty ? "none" : moved.map { "\($0.ruleID) \($0.status.rawValue)" }.joined(separator: ", ")))
        #expect(Set(moved.map(\.ruleID)) == expected, "\(name): \(moved.map { "\($0.ruleID) \($0.status.rawValue): \($0.summary)" })")
        #expect(moved.allSatisfy { $0.status == .fail }, "\(name): its rules fail, none turns inconclusive")
        #expect(report.findings.first { $0.ruleID == "JRN-WS-002" }?.status == .excluded)
        #expect(report.leftBehind?.active.isEmpty == true, "\(name): \(report.leftBehind?.line() ?? "")")
        if bugs.isEmpty {
            #expect(report.scorecard.verdict == .ready && report.exitCode == 0)
        }
        if bugs.count == 3 {
            #expect(report.scorecard.verdict == .doNotDeploy)
            #expect(report.scorecard.verdictReasons.contains("JRN-RACE-001 failed (blocker)") && report.scorecard.verdictReasons.contains("JRN-EVB-001 failed (blocker)"))
        }
    }
}
