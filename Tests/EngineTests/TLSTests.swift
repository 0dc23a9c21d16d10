import Checks
@testable import Engine
import Foundation
import Probes
import Reference
import Testing
import TestSupport
import Wire

/// The auditor's clients over real TLS: nginx (Debian's) terminating TLS in front of the
/// reference, a redis-server serving TLS only, certificates made by openssl. Certificate failures
/// end the audit INCOMPLETE with the reason in words; the read-only ACL user is all the auditor needs.
@Suite("TLS", .timeLimit(.minutes(5)))
struct TLSTests {
    /// Every client of an audit — API, race sender, kept-alive load client, Socket.IO — over https/wss through nginx.
    @Test func everyClientSpeaksTLS() async throws {
        let certificates = try await TestCertificates.make()
        var quiet = ReferenceConfiguration()
        quiet.logLevel = .critical
        let reference = try await ReferenceServer.start(quiet)
        let nginx = try await NginxServer.start(certificate: certificates.cert("server"), key: certificates.key("server"),
                                                upstream: reference.baseURL.absoluteString)
        try await withCleanup({ nginx.stop(); await reference.stop(); certificates.remove() }) {
            let tls = try TLSClient(caFile: certificates.ca)
            let base = URL(string: "https://localhost:\(nginx.port)")!
            let client = HTTPClient(timeout: .seconds(10), tls: tls)
            let fixture = try await HTTPFixtureSource(url: base.appendingPathComponent("__reference/fixtures"), client: client).next()
            let api = JourneyAPI(baseURL: base, client: client)

            let starts = try await RaceSender(for: client).send(Array(repeating: api.request(.startJourney, sessionId: fixture.sessionId, token: fixture.trainer.token), count: 5))
            #expect(starts.map(\.status).sorted() == [201, 409, 409, 409, 409], "one start wins over TLS as over plain HTTP")

            let pooled = try KeepAliveHTTPClient(baseURL: base, tls: tls)
            for _ in 0..<3 { #expect(try await pooled.send(api.request(.liveLocation, sessionId: fixture.sessionId, token: fixture.student.token)).status == 200) }
            await pooled.close()

            let socket = try await SocketIOSession.connect(URL(string: "wss://localhost:\(nginx.port)/socket.io/")!, token: fixture.student.token, tls: tls)
            socket.close()
            #expect(try await api.send(.stopJourney, sessionId: fixture.sessionId, token: fixture.trainer.token).status == 200)

            // Over 127.0.0.1 the certificate's IP address is what is verified (no SNI for an IP).
            let byIP = URL(string: "https://127.0.0.1:\(nginx.port)/")!
            #expect(try await client.send(HTTPRequestSpec(method: "GET", url: byIP)).status == 404)
            // And without the CA, the system's trust store refuses the private CA.
            await #expect(throws: Error.self) { try await HTTPClient().send(HTTPRequestSpec(method: "GET", url: byIP)) }
        }
    }

    /// The race's sender where the edge does not speak HTTP/2 (this nginx offers only http/1.1 by
    /// ALPN): `auto` falls back to last-byte sync before any start is sent and says why; `always`
    /// makes the probe inconclusive with the reason. Where h2c is configured (`http2URL`), `auto`
    /// sends the single packet there.
    @Test func raceSenderFollowsTargetHTTP2() async throws {
        let certificates = try await TestCertificates.make()
        var configuration = ReferenceConfiguration()
        configuration.http2Port = 0
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        let nginx = try await NginxServer.start(certificate: certificates.cert("server"), key: certificates.key("server"),
                                                upstream: reference.baseURL.absoluteString)
        try await withCleanup({ nginx.stop(); await reference.stop(); certificates.remove() }) {
            let client = HTTPClient(timeout: .seconds(10), tls: try TLSClient(caFile: certificates.ca))
            let base = URL(string: "https://localhost:\(nginx.port)")!
            func observe(_ mode: HTTP2Mode, h2c: Bool = false) async -> Observation {
                var system = ProbeSystem(name: "nginx", api: JourneyAPI(baseURL: base, client: client), redis: nil, events: nil,
                                         fixtures: HTTPFixtureSource(url: base.appendingPathComponent("__reference/fixtures"), client: client))
                system.http2 = mode
                if h2c { system.http2API = reference.addresses.http2BaseURL.flatMap(URL.init(string:)).map { JourneyAPI(baseURL: $0) } }
                return await Prober.observe(ProbeCatalog.probe("race")!, ProbeSpec(kind: "race", parameters: ["rounds": 1, "concurrency": 5]), on: system)
            }
            func notes(_ observation: Observation) -> [String] { observation.transcript.filter { $0.kind == .note }.map(\.result) }
            /// Every start of the burst answered (the catch itself is FaultMatrix's and StagingLike's business).
            func answered(_ observation: Observation) -> Int {
                guard case .strings(let rounds) = observation["answersPerRound"] else { return 0 }
                return rounds.flatMap { $0.split(separator: " ") }.compactMap { Int($0.split(separator: "×").first ?? "") }.reduce(0, +)
            }

            let auto = await observe(.auto)
            #expect(auto.failure == nil)
            #expect(notes(auto).contains("sender: last-byte sync over HTTP/1.1 (the server did not choose HTTP/2 by ALPN (it chose http/1.1))"), "\(notes(auto))")
            #expect(answered(auto) == 5, "the fallback still races")

            let always = await observe(.always)
            #expect(always.failure?.contains("did not choose HTTP/2") == true, "\(always.failure ?? "no failure")")

            let h2c = await observe(.auto, h2c: true)
            #expect(notes(h2c).contains { $0.hasPrefix("sender: single packet over HTTP/2 (h2c at http://") }, "\(notes(h2c))")
            #expect(answered(h2c) == 5)
        }
    }

    /// Expired, for another host, from an unknown CA: the audit is INCOMPLETE and says which.
    @Test(arguments: [
        ("expired", "expired on"),
        ("wronghost", "is for wrong.example, not localhost"),
        ("untrusted", "is not signed by the CA in"),
    ])
    func certificateFailuresEndTheAuditIncomplete(certificate: String, reason: String) async throws {
        let certificates = try await TestCertificates.make()
        let nginx = try await NginxServer.start(certificate: certificates.cert(certificate), key: certificates.key(certificate))
        try await withCleanup({ nginx.stop(); certificates.remove() }) {
            var config = AuditConfig(baseURL: URL(string: "https://localhost:\(nginx.port)")!, fixtures: .fixed(["{}"]))
            config.tls = TLSSpec(caFile: certificates.ca)
            let report = try await AuditRunner.run(AuditRequest(config: config, catalogue: try RuleCatalogue.bundled()))
            #expect(report.incomplete?.contains(reason) == true, "\(certificate): \(report.incomplete ?? "complete")")
            #expect(report.exitCode == 2)

            // insecureSkipVerify gets past the certificate (and then fails on what follows: the fixture).
            config.tls?.insecureSkipVerify = true
            let skipped = try await AuditRunner.run(AuditRequest(config: config, catalogue: try RuleCatalogue.bundled()))
            #expect(skipped.incomplete?.contains("certificate") == false, "\(skipped.incomplete ?? "complete")")
            #expect(skipped.transport?.verified == false)
            #expect(MarkdownRenderer.render(skipped).contains("**Transport:** ⚠️ https; TLS NOT VERIFIED (insecureSkipVerify)"))
        }
    }

    /// mTLS: nginx demands a client certificate; the auditor presents `clientCert`/`clientKey`.
    @Test func clientCertificate() async throws {
        let certificates = try await TestCertificates.make()
        let nginx = try await NginxServer.start(certificate: certificates.cert("server"), key: certificates.key("server"), clientCA: certificates.ca)
        try await withCleanup({ nginx.stop(); certificates.remove() }) {
            let url = URL(string: "https://localhost:\(nginx.port)/")!
            let without = try await HTTPClient(tls: try TLSClient(caFile: certificates.ca)).send(HTTPRequestSpec(method: "GET", url: url))
            #expect(without.status == 400, "nginx answers 400 \"No required SSL certificate was sent\"")
            let mtls = try TLSClient(caFile: certificates.ca, clientCert: certificates.cert("client"), clientKey: certificates.key("client"))
            #expect(try await HTTPClient(tls: mtls).send(HTTPRequestSpec(method: "GET", url: url)).status == 200)
            #expect(throws: TLSSetupError.self) { try TLSClient(caFile: certificates.ca, clientCert: certificates.cert("client")) }
            #expect(throws: TLSSetupError.self) { try TLSClient(caFile: "/nonexistent/ca.crt") }
            // A bad file is a usage error naming the section it came from.
            #expect { try TargetSystem.client(TLSSpec(caFile: "/nonexistent/ca.crt"), key: "redis.tls") } throws: { error in
                (error as? AuditError).map { $0.isUsageError && $0.description == "redis.tls.caFile '/nonexistent/ca.crt' cannot be read" } ?? false
            }
        }
    }

    /// `rediss://` with the CA, as the read-only ACL user of the README: the auditor reads what
    /// it needs, and the user can write nothing.
    @Test func redisOverTLSWithTheReadOnlyUser() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServer.start(tls: certificates)
        try await withCleanup({ redis.kill(); certificates.remove() }) {
            let tls = try TLSClient(caFile: certificates.ca)
            let admin = try await RESPConnection.connect(to: redis.url, tls: tls)
            try await admin.checked(["ACL", "SETUSER"] + ReadOnlyRedisUser.rules(password: "s3cret-auditor"))
            try await admin.checked(["SET", "journey:active:s1", "{}", "EX", "3600"])
            admin.close()

            let url = RedisURL(host: "127.0.0.1", port: redis.url.port, user: "auditor", password: "s3cret-auditor", usesTLS: true)
            let inspector = try await RedisInspector.connect(url, tls: tls)
            try await inspector.ping()
            #expect(try await inspector.ttl("journey:active:s1") > 3500)
            #expect(try await inspector.scan(match: "journey:active:*") == ["journey:active:s1"])
            #expect(try await inspector.get("journey:active:s1") == "{}")
            inspector.close()

            let writer = try await RESPConnection.connect(to: url, tls: tls)
            for command in [["SET", "x", "1"], ["DEL", "journey:active:s1"], ["EXPIRE", "journey:active:s1", "1"], ["FLUSHALL"], ["CONFIG", "GET", "*"]] {
                let reply = try await writer.send(command)
                guard case .error(let message) = reply else { Issue.record("\(command[0]) was allowed: \(reply)"); continue }
                #expect(message.hasPrefix("NOPERM"), "\(command[0]): \(message)")
            }
            writer.close()

            // Without the CA: refused, and the reason names it (the password never appears).
            let problem = await RedisReadCheck.problem(url, tls: nil)
            #expect(problem?.contains("is not signed by the system's CAs") == true, "\(problem ?? "no problem")")
            #expect(problem?.contains("s3cret-auditor") == false)
        }
    }
}
