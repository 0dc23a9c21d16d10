import Checks
import Foundation
import Probes
import Testing
import TestSupport
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// The production-shaped deployment users get from `scripts/staging-like` (nginx terminating TLS
/// and balancing two reference instances, redis-server over TLS with the read-only ACL user),
/// audited as the README says: `. DIR/env && auditor run --config DIR/audit.yml`. Over
/// https/wss/rediss the clean deployment is READY with zero findings, and each fault gives the
/// findings it gives over plain HTTP.
@Suite("Staging-like deployment (nginx, TLS, Redis ACL)", .timeLimit(.minutes(10)))
struct StagingLikeTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/staging-like").path

    /// One running deployment script (`scripts/staging-like`, `scripts/node-peer`): it prints a
    /// ready line, writes DIR/audit.yml and DIR/env, and stops everything on SIGTERM.
    struct Deployment {
        let process: Process
        let directory: String
        var config: String { "\(directory)/audit.yml" }

        /// `export NAME=value` lines of DIR/env (the read-only Redis user's password).
        var environment: [String: String] {
            let text = (try? String(contentsOfFile: "\(directory)/env", encoding: .utf8)) ?? ""
            return text.split(separator: "\n").reduce(into: [:]) { env, line in
                guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else { return }
                let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
                env[name] = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            }
        }

        static func start(faults: [String] = [], variants: [String] = []) async throws -> Deployment {
            try await start(script: StagingLikeTests.script, faults.flatMap { ["--fault", $0] } + variants.flatMap { ["--variant", $0] },
                            ready: "staging-like ready:")
        }

        static func start(script: String, _ switches: [String], ready: String) async throws -> Deployment {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployment-\(UUID().uuidString)").path
            let child: ChildProcess
            do {
                child = try await TestPython.start(script, ["--auditor", AuditorBinary.path, "--dir", directory] + switches,
                                                   readyWhen: [ready], timeout: 90)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            return Deployment(process: child.process, directory: directory)
        }

        /// SIGTERM: the script stops nginx, both instances and redis-server, bounded, then exits.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// `auditor run --config DIR/audit.yml`, as the script prints it.
        func audit() async throws -> (status: Int32, report: [String: Any], output: String) {
            let out = "\(directory)/report-\(UUID().uuidString)"
            let result = try await ProcessRunner.run(AuditorBinary.path, ["run", "--config", config, "--out", out], environment: environment, timeout: 180)
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(out)/certification.json"))) ?? Data()
            let report = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            return (result.status, report, result.stdout + result.stderr)
        }
    }

    static func failing(_ report: [String: Any]) -> [String: String] {
        let findings = report["findings"] as? [[String: Any]] ?? []
        return findings.reduce(into: [:]) { map, finding in
            // The long rules run only with --long: not checked here, by design.
            if let status = finding["status"] as? String, status != "pass", let id = finding["ruleID"] as? String,
               !FaultMatrixTests.longRules.contains(id) { map[id] = status }
        }
    }

    static func verdict(_ report: [String: Any]) -> String {
        (report["scorecard"] as? [String: Any])?["verdict"] as? String ?? "?"
    }

    @Test("clean over https, wss and rediss: READY, zero findings, exit 0; the Redis password is never printed")
    func clean() async throws {
        let deployment = try await Deployment.start()
        try await withCleanup({ deployment.stop() }) {
            let audit = try await deployment.audit()
            #expect(audit.status == 0, "\(audit.output)")
            #expect(Self.verdict(audit.report) == "READY")
            #expect(Self.failing(audit.report).isEmpty, "\(Self.failing(audit.report))")
            let identity = audit.report["identity"] as? [String: Any]
            #expect(identity?["version"] as? String == "contract-2026.11 (clean)", "read from target.versionURL: \(identity ?? [:])")
            #expect(identity?["name"] as? String == "journey reference")
            let transport = audit.report["transport"] as? [String: Any]
            #expect(transport?["verified"] as? Bool == true)
            #expect((transport?["detail"] as? String)?.hasPrefix("https, wss, rediss; certificates verified against the CA in \(deployment.directory)/ca.crt") == true,
                    "\(transport ?? [:])")
            let password = deployment.environment["REDIS_AUDITOR_PASSWORD"] ?? "?"
            #expect(password.count > 8)
            #expect(!audit.output.contains(password))
            let files = try FileManager.default.subpathsOfDirectory(atPath: deployment.directory).filter { $0.hasPrefix("report-") && !$0.hasSuffix("/") }
            for file in files where file.hasSuffix(".md") || file.hasSuffix(".json") || file.hasSuffix(".xml") {
                #expect(!((try? String(contentsOfFile: "\(deployment.directory)/\(file)", encoding: .utf8)) ?? "").contains(password), "\(file)")
            }
        }
    }

    /// The same findings as over plain HTTP (FaultMatrixTests): faults that touch every layer
    /// the production shape adds — the race through nginx, the store cut and restored under TLS
    /// through the auditor's proxy, the socket upgrade through nginx to either instance.
    /// (`in-memory-state` is left out: behind a round-robin balancer it breaks every scenario of
    /// two calls or more, as it would in production, so more rules fail than over one instance.)
    @Test("faults through nginx and TLS fail exactly the rules that name them",
          arguments: ["check-then-set", "fail-open-409", "no-store-reconnect", "ws-location-handlers"])
    func fault(_ fault: String) async throws {
        let expected = Set(try RuleCatalogue.bundled().rules.filter { $0.faults.contains(fault) }.map(\.id))
        let deployment = try await Deployment.start(faults: [fault])
        try await withCleanup({ deployment.stop() }) {
            let audit = try await deployment.audit()
            let failing = Self.failing(audit.report)
            #expect(Set(failing.keys) == expected && failing.values.allSatisfy { $0 == "fail" }, "\(fault): expected \(expected.sorted()), got \(failing)")
            #expect(audit.status == 1)
        }
    }

    /// python-engineio's default origin check behind a TLS-terminating proxy: it accepts the origin
    /// the proxy forwards (`X-Forwarded-Proto`/`-Host`), so the right implementation stays READY.
    @Test func ownOriginVariantBehindTheProxy() async throws {
        let deployment = try await Deployment.start(variants: ["socket-own-origin"])
        try await withCleanup({ deployment.stop() }) {
            let audit = try await deployment.audit()
            #expect(Self.failing(audit.report).isEmpty, "\(Self.failing(audit.report))")
            #expect(audit.status == 0)
        }
    }

    /// check-then-set caught through nginx and TLS by JRN-RACE-001's probe (3 rounds of 20
    /// starts), 10 times out of 10, with each sender: nginx chooses h2 by ALPN, so `auto` sends
    /// the single packet (to the edge, which forwards each stream over HTTP/1.1); `never` keeps
    /// last-byte sync over HTTP/1.1. The evidence names the sender.
    @Test(arguments: [(HTTP2Mode.auto, "sender: single packet over HTTP/2 (ALPN h2)"), (.never, "sender: last-byte sync over HTTP/1.1")])
    func raceThroughNginxCaughtEveryTime(_ mode: HTTP2Mode, _ sender: String) async throws {
        let deployment = try await Deployment.start(faults: ["check-then-set"])
        try await withCleanup({ deployment.stop() }) {
            let environment = ProcessInfo.processInfo.environment.merging(deployment.environment) { _, new in new }
            let config = try ConfigLoader(environment: environment).load(file: deployment.config)
            let client = HTTPClient(timeout: .seconds(10), tls: try TLSClient(caFile: config.tls?.caFile))
            let api = JourneyAPI(baseURL: config.baseURL, client: client)
            guard case .http(let url, _, _) = config.fixtures, let route = config.redisProxy else { Issue.record("fixtures.http and redis.proxy expected"); return }
            // The instances reach Redis through the auditor's proxy, which an audit opens; so do we.
            let proxy = try await FaultProxy.start(listenHost: route.listen.host, listenPort: route.listen.port,
                                                   upstreamHost: route.upstream.host, upstreamPort: route.upstream.port)
            try await withCleanup({ await proxy.stop() }) {
                let fixtures = HTTPFixtureSource(url: url, client: client)
                var system = ProbeSystem(name: "staging-like", api: api, redis: nil, events: nil, fixtures: fixtures)
                system.http2 = mode
                let rule = try #require(try RuleCatalogue.bundled().rule("JRN-RACE-001"))
                var caught = 0
                for _ in 0..<10 {
                    let observation = await Prober.observe(ProbeCatalog.probe("race")!, rule.probe, on: system)
                    #expect(observation.transcript.contains { $0.kind == .note && $0.result == sender }, "\(observation.transcript.filter { $0.kind == .note }.map(\.result))")
                    if RaceCatch.caught(observation) { caught += 1 }
                }
                #expect(caught == 10, "caught \(caught)/10")
            }
        }
    }
}
