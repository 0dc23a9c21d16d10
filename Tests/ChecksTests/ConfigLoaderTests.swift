import Foundation
import Testing
@testable import Checks

@Suite("audit.yml")
struct ConfigLoaderTests {
    let env = ["REDIS_PASSWORD": "s3cret", "ADMIN": "admin-key"]

    func load(_ text: String) throws -> AuditConfig {
        try ConfigLoader(environment: env).parse(text, file: "audit.yml")
    }

    func loadError(_ text: String) -> ConfigError? {
        do { _ = try load(text); return nil } catch let error as ConfigError { return error } catch { return nil }
    }

    @Test func everyKey() throws {
        let config = try load("""
        target:
          baseURL: https://staging.example.com
          instances: [https://a.internal, https://b.internal]
          paths: {startJourney: "/v2/sessions/{sessionId}/start"}
        redis:
          url: redis://auditor:${REDIS_PASSWORD}@10.0.0.5:6379/0
        eventbridge:
          listen: 127.0.0.1:4010
        socket:
          url: wss://staging.example.com/socket.io/
        source:
          paths: [../backend, ../mobile]
        fixtures:
          http: {url: https://staging.example.com/__test/fixtures, method: POST, headers: {X-Admin: "${ADMIN}"}}
        gate: {minScore: 85, failOn: important}
        """)
        #expect(config.baseURL.absoluteString == "https://staging.example.com")
        #expect(config.instances.count == 2)
        #expect(config.paths["startJourney"] == "/v2/sessions/{sessionId}/start")
        #expect(config.redisURL == "redis://auditor:s3cret@10.0.0.5:6379/0")
        #expect(config.eventBridgeListen == HostPort(host: "127.0.0.1", port: 4010))
        #expect(config.socketURL?.scheme == "wss")
        #expect(config.sourcePaths == ["../backend", "../mobile"])
        #expect(config.fixtures == .http(url: URL(string: "https://staging.example.com/__test/fixtures")!, method: "POST", headers: ["X-Admin": "admin-key"]))
        #expect(config.gate == Gate(minScore: 85, failOn: .important))
        #expect(config.warnings.isEmpty)
    }

    @Test("JSON is accepted too, with defaults for what it leaves out")
    func json() throws {
        let config = try load(#"{"target": {"baseURL": "http://127.0.0.1:8080"}, "fixtures": {"command": ["./make-fixture.sh", "staging"]}}"#)
        #expect(config.fixtures == .command(["./make-fixture.sh", "staging"]))
        #expect(config.gate == Gate(minScore: 90, failOn: .blocker))
        #expect(config.redisURL == nil)
    }

    @Test func staticFixtures() throws {
        let config = try load("""
        target: {baseURL: "http://h"}
        fixtures:
          static:
            - {sessionId: s1, trainer: {id: t1, token: "${ADMIN}"}, studentHome: {latitude: 12.9716, longitude: 77.5946}}
        """)
        guard case .fixed(let list) = config.fixtures else { Issue.record("not static"); return }
        #expect(list.count == 1)
        #expect(list[0].contains(#""token":"admin-key""#))
        #expect(list[0].contains(#""latitude":12.9716"#))
    }

    @Test("each error names the file, the key and what was expected", arguments: [
        ("fixtures: {static: [{}]}", "target", "this required key"),
        ("target: {}\nfixtures: {static: [{}]}", "target.baseURL", "this required key"),
        ("target: {baseURL: ftp://x}\nfixtures: {static: [{}]}", "target.baseURL", "a URL"),
        ("target: {baseURL: http://x}", "fixtures", "this required key"),
        ("target: {baseURL: http://x}\nfixtures: {command: [a], static: [{}]}", "fixtures", "exactly one of http, command, static"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\ngate: {failOn: sometimes}", "gate.failOn", "one of blocker"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\ngate: {minScore: 120}", "gate.minScore", "within 0–100"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {url: http://x}", "redis.url", "a redis:// or rediss:// URL"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\ntls: {clientCert: c.pem}", "tls.clientKey", "clientCert and clientKey together"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\ntls: {insecureSkipVerify: yes}", "tls.insecureSkipVerify", "true or false"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {tls: {caFile: \"\"}}", "redis.tls.caFile", "a file path"),
        ("target: {baseURL: http://x, headers: {\"X Bad\": 1}}\nfixtures: {static: [{}]}", "target.headers.X Bad", "a header name"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\neventbridge: {listen: nowhere}", "eventbridge.listen", "host:port"),
        ("target: {baseURL: http://x, paths: {teleport: /x}}\nfixtures: {static: [{}]}", "target.paths.teleport", "one of startJourney"),
        ("target: {baseURL: \"${NOPE}\"}\nfixtures: {static: [{}]}", "target.baseURL", "environment variable NOPE"),
        ("target: [1, 2]\nfixtures: {static: [{}]}", "target", "a mapping"),
        ("target: {baseURL: http://x, http2: maybe}\nfixtures: {static: [{}]}", "target.http2", "one of auto, always, never"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {timeoutMs: 0}", "redis.timeoutMs", "milliseconds within 1–60000"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {timeoutMs: soon}", "redis.timeoutMs", "a finite number"),
        ("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nlong: sometimes", "long", "true or false"),
        ("target: {baseURL: http://x, http2: never, http2URL: http://x:81}\nfixtures: {static: [{}]}", "target.http2URL", "no http2URL with http2: never"),
        ("target: {baseURL: http://x, http2URL: ftp://x}\nfixtures: {static: [{}]}", "target.http2URL", "a URL"),
    ])
    func errors(_ text: String, _ key: String, _ expected: String) throws {
        let error = try #require(loadError(text), "no error for: \(text)")
        #expect(error.file == "audit.yml")
        #expect(error.key == key)
        #expect(error.expected.contains(expected), "\(error)")
        #expect(error.description.hasPrefix("audit.yml: \(key): expected"))
    }

    /// The deployment's store timeout (JRN-SLOWSTORE-001's bound) and the long probes (JRN-EXPIRY-001): off unless stated.
    @Test func storeTimeoutAndLong() throws {
        let plain = try load("target: {baseURL: http://x}\nfixtures: {static: [{}]}")
        #expect(plain.redisTimeoutMs == nil && plain.long == false)
        let config = try load("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {timeoutMs: 750}\nlong: true")
        #expect(config.redisTimeoutMs == 750 && config.long)
    }

    /// The race's sender: auto unless told; h2c only where `http2URL` says.
    @Test func http2() throws {
        let plain = try load("target: {baseURL: http://x}\nfixtures: {static: [{}]}")
        #expect(plain.http2 == .auto && plain.http2URL == nil)
        let config = try load("target: {baseURL: http://x, http2: always, http2URL: \"http://10.0.0.7:8081\"}\nfixtures: {static: [{}]}")
        #expect(config.http2 == .always)
        #expect(config.http2URL?.absoluteString == "http://10.0.0.7:8081")
    }

    /// `tls:` files are relative to the config file's directory; skipping verification is said out loud.
    @Test func tlsAndHeaders() throws {
        let config = try ConfigLoader(environment: env).parse("""
        target: {baseURL: https://staging.example.com, headers: {X-Waf-Bypass: "${ADMIN}", Host: app.example.com},
                 name: journey-api, version: 1.4.2, environment: staging, versionURL: https://staging.example.com/version}
        tls: {caFile: ca.crt, clientCert: /etc/auditor/client.crt, clientKey: client.key, serverName: api.internal}
        redis:
          url: rediss://auditor:${REDIS_PASSWORD}@cache.example.com:6380
          tls: {insecureSkipVerify: true}
        fixtures: {static: [{}]}
        """, file: "/work/ci/audit.yml")
        #expect(config.targetHeaders == ["X-Waf-Bypass": "admin-key", "Host": "app.example.com"])
        #expect(config.identity == TargetIdentity(name: "journey-api", version: "1.4.2", environment: "staging"))
        #expect(config.identity.line == "journey-api 1.4.2 on staging")
        #expect(config.versionURL?.absoluteString == "https://staging.example.com/version")
        #expect(config.tls == TLSSpec(caFile: "/work/ci/ca.crt", clientCert: "/etc/auditor/client.crt", clientKey: "/work/ci/client.key", serverName: "api.internal"))
        #expect(config.redisURL == "rediss://auditor:s3cret@cache.example.com:6380")
        #expect(config.redisTLS == TLSSpec(insecureSkipVerify: true))
        #expect(!config.verifiesTLS)
        #expect(config.warnings == ["redis.tls.insecureSkipVerify: the Redis certificate is not verified; the certification says \"TLS not verified\"."])
    }

    @Test("pack: trip takes the trip calls as paths and its trip: settings; trip: needs pack: trip")
    func tripPack() throws {
        let config = try load("""
        pack: trip
        target:
          baseURL: https://rides.example.com
          paths: {tripAction: "/v2/driver/ride/trip-action", tripDetails: "/v2/driver/ride/details/{tripId}"}
        trip: {replayHeader: Idempotent-Replayed, cacheSeconds: 120, restartCommand: [kubectl, rollout, restart, deploy/rides]}
        fixtures: {http: {url: https://rides.example.com/__test/fixtures}}
        """)
        #expect(config.pack == .trip)
        #expect(config.paths["tripAction"] == "/v2/driver/ride/trip-action")
        #expect(config.trip.replayHeader == "Idempotent-Replayed" && config.trip.cacheSeconds == 120)
        #expect(config.trip.restartCommand == ["kubectl", "rollout", "restart", "deploy/rides"])
        #expect(try load("target: {baseURL: http://x}\nfixtures: {http: {url: http://x/f}}").pack == .journey)

        let journeyPath = loadError("pack: trip\ntarget: {baseURL: http://x, paths: {startJourney: /a}}\nfixtures: {http: {url: http://x/f}}")
        #expect(journeyPath?.key == "target.paths.startJourney" && journeyPath?.expected.contains("createTrip") == true)
        #expect(loadError("pack: rides\ntarget: {baseURL: http://x}\nfixtures: {http: {url: http://x/f}}")?.key == "pack")
        #expect(loadError("target: {baseURL: http://x}\ntrip: {replayHeader: X}\nfixtures: {http: {url: http://x/f}}")?.key == "trip")
        #expect(loadError("pack: trip\ntarget: {baseURL: http://x}\ntrip: {cacheSeconds: 0}\nfixtures: {http: {url: http://x/f}}")?.key == "trip.cacheSeconds")
        #expect(loadError("pack: trip\ntarget: {baseURL: http://x}\ntrip: {replayHeader: 'a b'}\nfixtures: {http: {url: http://x/f}}")?.key == "trip.replayHeader")
    }

    @Test func unknownKeysWarn() throws {
        let config = try load("target: {baseURL: http://x, colour: blue}\nfixtures: {static: [{}]}\nextras: 1")
        #expect(config.warnings.count == 2)
        #expect(config.warnings.contains { $0.contains("'target.colour'") })
        #expect(config.warnings.contains { $0.contains("'extras'") })
    }

    @Test func badYAML() {
        #expect(loadError("target: [unclosed") != nil)
    }

    @Test func missingFile() {
        #expect(throws: ConfigError.self) { try ConfigLoader().load(file: "/no/such/audit.yml") }
    }
}

@Suite("Rule catalogue")
struct CatalogueTests {
    @Test func bundledCatalogueLoads() throws {
        let catalogue = try RuleCatalogue.bundled()
        #expect(catalogue.name == "journey")
        #expect(catalogue.rules.count >= 14)
        #expect(catalogue.rule("JRN-RACE-001")?.severity == .blocker)
        #expect(catalogue.rule("JRN-RACE-001")?.weight == 10)
        #expect(catalogue.rule("JRN-CACHE-001")?.weight == 1)
    }

    @Test func bundledTripPackLoads() throws {
        let catalogue = try RuleCatalogue.bundled(.trip)
        #expect(catalogue.name == "trip")
        #expect(catalogue.rules.map(\.id) == ["TRP-RACE-001", "TRP-CONFLICT-001", "TRP-IDEM-001", "TRP-IDEM-002", "TRP-IDEM-003", "TRP-IDEM-004",
                                              "TRP-AVAIL-001", "TRP-RATE-001", "TRP-RATE-002"])
        #expect(catalogue.rules.filter { $0.severity == .blocker }.map(\.id) == ["TRP-RACE-001", "TRP-IDEM-001", "TRP-AVAIL-001"])
        // Every fact is pinned by a line of the trip contract, not the journey one.
        for rule in catalogue.rules { for fact in rule.compare { #expect(fact.pins.contains("docs/contract/trip.md"), "\(rule.id).\(fact.fact)") } }
    }

    @Test("a rules directory laid out as rules/: the pack's file, else every file")
    func rulesDirectoryByPack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Sample.catalogueYAML.write(to: dir.appendingPathComponent("journey.yml"), atomically: true, encoding: .utf8)
        try Sample.catalogueYAML.replacingOccurrences(of: "id: S-", with: "id: T-").write(to: dir.appendingPathComponent("trip.yml"), atomically: true, encoding: .utf8)
        #expect(try RuleCatalogue.load(directory: dir, pack: .journey).rules.allSatisfy { $0.id.hasPrefix("S-") })
        #expect(try RuleCatalogue.load(directory: dir, pack: .trip).rules.allSatisfy { $0.id.hasPrefix("T-") })
    }

    @Test("every rule of every pack names a fault that must kill it, a remediation and references", arguments: Pack.allCases)
    func everyRuleIsKillable(_ pack: Pack) throws {
        for rule in try RuleCatalogue.bundled(pack).rules {
            #expect(!rule.faults.isEmpty, "\(rule.id) lists no fault: nothing proves it can fail")
            #expect(rule.remediation.contains("```"), "\(rule.id) has no code-shaped hint")
            #expect(!rule.references.isEmpty, "\(rule.id) has no reference")
            #expect(!rule.rationale.isEmpty)
        }
    }

    /// What the action plan and a self-contained finding need, on every bundled rule and fact.
    @Test(arguments: Pack.allCases)
    func everyRuleCarriesItsPlan(_ pack: Pack) throws {
        let prefix = pack == .trip ? "TRP-" : "JRN-"
        for rule in try RuleCatalogue.bundled(pack).rules {
            #expect(rule.component != nil && rule.effort != nil, "\(rule.id): component and effort")
            #expect((1...60).contains((rule.cause ?? "").count), "\(rule.id): a short root cause")
            #expect(rule.keep?.contains(prefix) == true, "\(rule.id): what must not regress names the rules that guard it")
            for fact in rule.compare {
                // An event envelope is too long to quote in a sentence; every other fact says its value.
                #expect((fact.impact ?? "").isEmpty == false, "\(rule.id).\(fact.fact): what a failing value means")
                #expect(fact.impact?.contains("{observed}") == true || rule.id == "JRN-EVB-002", "\(rule.id).\(fact.fact): written from the observed value")
            }
        }
    }

    @Test func errorsNameTheKey() {
        let bad = Sample.catalogueYAML.replacingOccurrences(of: "severity: important", with: "severity: critical")
        let error = #expect(throws: ConfigError.self) { try RuleCatalogue.parse(bad, file: "bad.yml") }
        #expect(error?.key == "rules[1].severity")
        let noCompare = """
        catalogue: x
        version: "1"
        rules:
          - {id: A, title: t, severity: blocker, category: c, rationale: r, remediation: m, probe: {kind: race}}
        """
        #expect(throws: ConfigError.self) { try RuleCatalogue.parse(noCompare, file: "x.yml") }
        let within = Sample.catalogueYAML.replacingOccurrences(of: "mode: within, tolerance: 2,", with: "mode: within,")
        #expect(throws: ConfigError.self) { try RuleCatalogue.parse(within, file: "x.yml") }
    }

    @Test func duplicateIDs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Sample.catalogueYAML.write(to: dir.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try Sample.catalogueYAML.write(to: dir.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try RuleCatalogue.load(directory: dir) }
        #expect(error?.expected == "a unique rule id")
    }
}
