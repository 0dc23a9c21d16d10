import Foundation
import Testing
import TestSupport
@testable import Checks

// Bounded, deterministic fuzz tests of the YAML front doors: `ConfigLoader().parse(_:file:)`
// (audit.yml), `RuleCatalogue.parse(_:file:)` (rule packs) and `WaiverLoader.parse` (waivers.yml).
//
// Every input comes from a seeded PRNG; the seed is printed and every recorded issue names the
// iteration, so a failure replays with the same environment:
//   AUDITOR_FUZZ_SEED=<n or 0xhex>   base seed (default 0x5EED_A0D1_7000_0001); each test derives its own
//   AUDITOR_FUZZ_ITERATIONS=<n>      inputs per fuzz test, or `<k>x` for k times each test's default
//   AUDITOR_FUZZ_ONLY=<i>            run only iteration i (with its input printed)
//   AUDITOR_FUZZ_TRACE=1             print every input before it is parsed (to find the input of a trap)
//
// The property of all three: the text parses to a value or throws `ConfigError` naming the file
// (never another error type, never a trap), the same way every time, and what parses satisfies
// the checks the loader promises. The bugs this fuzzing found are reproduced by focused tests
// tests at the end (each bug they reproduce is fixed).

@Suite("Config fuzz", .timeLimit(.minutes(1)))
struct ConfigFuzzTests {
    static let file = "fuzz/audit.yml"
    static let environment = ["REDIS_PASSWORD": "s3cret", "ADMIN": "admin-key", "FUZZ_HOST": "fuzz.example", "EMPTY": ""]

    /// (a) Random text: YAML-token soup, random Unicode, random bytes decoded as UTF-8.
    @Test("audit.yml: random text parses to a config or throws a ConfigError naming the file")
    func auditConfigRandomText() {
        var run = FuzzRun("audit.yml random", defaultIterations: 6_000)
        run.loop { rng, run in
            ConfigFuzz.examineAuditConfig(YAMLFuzz.randomText(&rng), run: &run)
        }
        run.finish()
    }

    /// (b) Valid audit.yml texts (README, ConfigLoaderTests shapes; block, flow and JSON) with
    /// 1–4 text mutations each.
    @Test("audit.yml: mutated valid texts (bytes, tokens, lines, indentation) parse or throw a ConfigError")
    func auditConfigMutatedText() {
        var run = FuzzRun("audit.yml mutated text", defaultIterations: 6_000)
        let corpus = ConfigFuzz.validAuditTexts
        // The corpus itself is valid: a sanity check that the mutations start from good documents.
        for text in corpus {
            do { _ = try ConfigLoader(environment: Self.environment).parse(text, file: Self.file) } catch {
                Issue.record("corpus text does not load: \(error)\n\(text)")
            }
        }
        run.loop { rng, run in
            ConfigFuzz.examineAuditConfig(YAMLFuzz.mutateText(corpus.randomElement(using: &rng)!, rng: &rng), run: &run)
        }
        run.finish()
    }

    /// Structural mutations of valid configs: keys dropped, renamed, duplicated; values replaced
    /// by the wrong type (a list where a mapping is expected, numbers where strings are), huge
    /// numbers, NaN, infinities, Unicode, very long strings, `${UNDEFINED_VAR}`, deep nesting.
    @Test("audit.yml: structurally mutated configs (wrong types, missing keys, NaN, huge, ${UNDEFINED_VAR}) parse or throw a ConfigError")
    func auditConfigStructural() {
        var run = FuzzRun("audit.yml structural", defaultIterations: 2_500)
        run.loop { rng, run in
            var tree = ConfigFuzz.auditTrees.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...3, using: &rng) { tree = YAMLFuzz.mutate(tree, rng: &rng) }
            ConfigFuzz.examineAuditConfig(YAMLFuzz.render(tree, style: YAMLFuzz.Style.allCases.randomElement(using: &rng)!), run: &run)
        }
        run.finish()
    }

    @Test("rule packs: random, mutated and structurally mutated rule files parse or throw a ConfigError naming the file")
    func ruleCatalogueFuzz() {
        var run = FuzzRun("rules", defaultIterations: 3_000)
        let texts = [Sample.catalogueYAML] + (ConfigFuzz.bundledRuleText.map { [$0] } ?? [])
        for text in texts + YAMLFuzz.Style.allCases.map({ YAMLFuzz.render(ConfigFuzz.ruleTree, style: $0) }) {
            do { try RuleCatalogue.parse(text, file: "rules.yml").validate(file: "rules.yml") } catch { Issue.record("corpus rules do not load: \(error)\n\(text)") }
        }
        run.loop { rng, run in
            let text: String
            switch Int.random(in: 0..<20, using: &rng) {
            case 0..<3: text = YAMLFuzz.randomText(&rng)
            case 3: text = YAMLFuzz.mutateText(texts.randomElement(using: &rng)!, rng: &rng)
            case 4..<10: text = YAMLFuzz.mutateText(Sample.catalogueYAML, rng: &rng)
            default:
                var tree = ConfigFuzz.ruleTree
                for _ in 0..<Int.random(in: 1...3, using: &rng) { tree = YAMLFuzz.mutate(tree, rng: &rng) }
                text = YAMLFuzz.render(tree, style: YAMLFuzz.Style.allCases.randomElement(using: &rng)!)
            }
            ConfigFuzz.examineRules(text, run: &run)
        }
        run.finish()
    }

    @Test("waivers.yml: random, mutated and structurally mutated waiver files parse or throw a ConfigError naming the file")
    func waiverFuzz() {
        var run = FuzzRun("waivers", defaultIterations: 7_000)
        let rules = Sample.catalogue.rules
        for style in YAMLFuzz.Style.allCases {
            let text = YAMLFuzz.render(ConfigFuzz.waiverTree, style: style)
            do { _ = try WaiverLoader.parse(text, file: "waivers.yml", rules: rules) } catch { Issue.record("corpus waivers do not load: \(error)\n\(text)") }
        }
        run.loop { rng, run in
            let text: String
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<2: text = YAMLFuzz.randomText(&rng)
            case 2..<5: text = YAMLFuzz.mutateText(YAMLFuzz.render(ConfigFuzz.waiverTree, style: YAMLFuzz.Style.allCases.randomElement(using: &rng)!), rng: &rng)
            default:
                var tree = ConfigFuzz.waiverTree
                for _ in 0..<Int.random(in: 1...3, using: &rng) { tree = YAMLFuzz.mutate(tree, rng: &rng, values: YAMLFuzz.waiverValues) }
                text = YAMLFuzz.render(tree, style: YAMLFuzz.Style.allCases.randomElement(using: &rng)!)
            }
            ConfigFuzz.examineWaivers(text, rules: rules, run: &run)
        }
        run.finish()
    }

    // MARK: - Bugs the fuzzing found (reproducers, now passing)

    @Test
    func maxInFlightBeyondIntTraps() throws {
        // ConfigLoader.scaleSpec: `spec.maxInFlight = Int(inFlight)` after only checking `> 0`.
        // Each of these kills the process with "Fatal error: Double value cannot be converted to
        // Int because it is either infinite or NaN" / "…outside the representable range".
        for value in ["1e19", "inf", "1e300", "0x1p70", "2e17m"] {
            let text = "target: {baseURL: http://x}\nfixtures: {static: [{}]}\nscale: {journeys: 1, maxInFlight: \(value)}"
            #expect(throws: ConfigError.self, "maxInFlight: \(value)") { try ConfigLoader(environment: [:]).parse(text, file: "audit.yml") }
        }
    }

    @Test
    func scaleAcceptsAnEndlessSchedule() throws {
        // `positive()` only checks `> 0`: `duration: inf` (also `1e300`, `1e308m`) and
        // `pollInterval: 1e-300` load, and LoadDriver.schedule then appends events while
        // `at < durationSeconds` (for ever, or ~1e300 times). Expected: a ConfigError for a
        // non-finite or absurd duration and interval.
        for scale in ["{journeys: 1, duration: inf}", "{journeys: 1, duration: 1e300}", "{journeys: 1, pollInterval: 1e-300}", "{journeys: 1, duration: infinity}"] {
            let text = "target: {baseURL: http://x}\nfixtures: {static: [{}]}\nscale: \(scale)"
            #expect(throws: ConfigError.self, "scale: \(scale)") { try ConfigLoader(environment: [:]).parse(text, file: "audit.yml") }
        }
    }

    @Test
    func environmentValuesAreExpandedAgain() throws {
        // Reader.string() loops `while let start = text.range(of: "${")` over the text it is
        // rewriting: a value that contains `${` is expanded again. A=${A} loops for ever (a hang
        // at constant memory), A=x${A} grows without bound. Shown here without the hang:
        let text = "target: {baseURL: http://x}\nfixtures: {static: [{}]}\nredis: {url: \"redis://:${PASSWORD}@h:6379\"}"
        // A password that happens to contain "${…}" is rejected as an unset variable…
        let literal = try? ConfigLoader(environment: ["PASSWORD": "pa${ss}word"]).parse(text, file: "audit.yml")
        #expect(literal?.redisURL == "redis://:pa${ss}word@h:6379")
        // …or silently replaced by another variable's value.
        let chained = try ConfigLoader(environment: ["PASSWORD": "${OTHER}", "OTHER": "leaked"]).parse(text, file: "audit.yml")
        #expect(chained.redisURL == "redis://:${OTHER}@h:6379")
        // The hang, bounded: the parse runs on a thread of its own and must finish within 2 s.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = try? ConfigLoader(environment: ["PASSWORD": "${PASSWORD}"]).parse(text, file: "audit.yml")
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: .now() + 2) == .success, "PASSWORD=${PASSWORD}: still expanding after 2 s (the thread spins on)")
    }

    @Test
    func aliasesExpandWithoutBound() throws {
        // Yams resolves `*alias` to the anchored node, and Reader.plain() walks the tree it is
        // given, so nested aliases multiply (the "billion laughs"): 4 levels of 10 over a list of
        // 10 give 10^5 leaves, 9 levels (~600 bytes) 10^10 — hours and gigabytes. Reader.plain() has a
        // `case .alias: throw error("no aliases")` branch that never runs, as Yams hands out no
        // .alias nodes. Expected: aliases refused, or the expansion bounded. (Five levels: 397
        // bytes, a 4.2 MB fixture, 6 s in a debug build; four, below: 0.6 s.)
        var lines = ["target: {baseURL: http://x}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...4 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("fixtures: {static: [{laughs: *a4}]}")
        let text = lines.joined(separator: "\n")
        do {
            let config = try ConfigLoader(environment: [:]).parse(text, file: "audit.yml")
            guard case .fixed(let fixtures) = config.fixtures else { return }
            #expect(fixtures[0].utf8.count < 100 * text.utf8.count, "\(text.utf8.count) bytes of YAML became a \(fixtures[0].utf8.count)-byte fixture")
        } catch is ConfigError {}
    }
}

// MARK: - Properties

private enum ConfigFuzz {
    static let file = ConfigFuzzTests.file
    static var loader: ConfigLoader { ConfigLoader(environment: ConfigFuzzTests.environment) }

    static func examineAuditConfig(_ text: String, run: inout FuzzRun) {
        run.inputText = text

        let first = outcome { try loader.parse(text, file: file) }
        switch first {
        case .success(let config):
            run.count("configs")
            checkConfig(config, run: &run)
        case .failure(let error):
            run.count("errors")
            checkError(error, run: &run)
        }
        // Deterministic (every 4th input, to save time): the same text, the same outcome.
        guard run.iteration % 4 == 0 else { return }
        switch (first, outcome { try loader.parse(text, file: file) }) {
        case (.success(let config), .success(let again)):
            run.check(canonical(config) == canonical(again), "not deterministic: \(canonical(config)) / \(canonical(again))")
        case (.failure(let error), .failure(let again)):
            run.check("\(error)" == "\(again)", "not deterministic: \(error) / \(again)")
        case (_, let second):
            run.fail("not deterministic: \(first) / \(second)")
        }
    }

    static func examineRules(_ text: String, run: inout FuzzRun) {
        run.inputText = text
        let file = "fuzz/rules.yml"
        switch outcome({ try RuleCatalogue.parse(text, file: file) }) {
        case .success(let catalogue):
            run.count("catalogues")
            run.check((try? RuleCatalogue.parse(text, file: file)).map(canonical) == canonical(catalogue), "not deterministic")
            for rule in catalogue.rules {
                run.check(rule.rationale == rule.rationale.trimmingCharacters(in: .whitespacesAndNewlines), "\(rule.id): rationale not trimmed")
                run.check(rule.remediation == rule.remediation.trimmingCharacters(in: .whitespacesAndNewlines), "\(rule.id): remediation not trimmed")
                for comparison in rule.compare {
                    run.check(comparison.mode != .within || comparison.tolerance != nil, "\(rule.id): within without a tolerance")
                    run.check(comparison.mode != .below || comparison.limit != nil, "\(rule.id): below without a limit")
                }
            }
            // The catalogue-level checks (ids unique, something to compare, positive weight) also
            // either pass or throw a ConfigError.
            switch outcome({ try catalogue.validate(file: file) }) {
            case .success:
                run.count("valid catalogues")
                for rule in catalogue.rules { run.check(rule.weight > 0 && !rule.compare.isEmpty, "\(rule.id) passed validate() with weight \(rule.weight)") }
            case .failure(let error): checkError(error, file: file, run: &run)
            }
        case .failure(let error):
            run.count("errors")
            checkError(error, file: file, run: &run)
        }
    }

    /// The catalogue as text, probe parameters sorted (a NaN weight makes `==` false).
    static func canonical(_ catalogue: RuleCatalogue) -> String {
        "\(catalogue.name) \(catalogue.version) " + catalogue.rules.map { rule in
            var copy = rule
            copy.probe.parameters = [:]
            return "\(copy) \(rule.probe.parameters.sorted { $0.key < $1.key })"
        }.joined(separator: "\n")
    }

    static func examineWaivers(_ text: String, rules: [Rule], run: inout FuzzRun) {
        run.inputText = text
        let file = "fuzz/waivers.yml"
        switch outcome({ try WaiverLoader.parse(text, file: file, rules: rules) }) {
        case .success(let waivers):
            run.count(waivers.isEmpty ? "empty waiver lists" : "waiver lists")
            run.check((try? WaiverLoader.parse(text, file: file, rules: rules)) == waivers, "not deterministic")
            for waiver in waivers {
                let rule = rules.first { $0.id == waiver.rule }
                run.check(rule != nil, "waiver for unknown rule \(waiver.rule)")
                run.check(WaiverLoader.isDay(waiver.expires), "expires \(waiver.expires.debugDescription) is no day")
                run.check(!waiver.justification.trimmingCharacters(in: .whitespaces).isEmpty, "blank justification")
                run.check(!waiver.owner.trimmingCharacters(in: .whitespaces).isEmpty, "blank owner")
                run.check(rule?.severity != .blocker || waiver.acceptBlocker, "blocker \(waiver.rule) waived without acceptBlocker")
            }
        case .failure(let error):
            run.count("errors")
            checkError(error, file: file, run: &run)
        }
    }

    /// Runs `body`; a `ConfigError` is an outcome, any other error is recorded as one too (and
    /// then fails `checkError`).
    static func outcome<T>(_ body: () throws -> T) -> Result<T, Error> {
        Result(catching: body)
    }

    static func checkError(_ error: Error, file: String = file, run: inout FuzzRun) {
        guard let error = error as? ConfigError else {
            run.fail("threw \(type(of: error)), not a ConfigError: \(error)")
            return
        }
        run.check(error.file == file, "ConfigError.file is \(error.file.debugDescription)")
        run.check(error.description.hasPrefix(file), "description does not name the file: \(error.description)")
        run.check(!error.expected.isEmpty, "ConfigError says nothing about what was expected: \(error)")
    }

    /// What the loader promises about a config it returns.
    static func checkConfig(_ config: AuditConfig, run: inout FuzzRun) {
        let web = ["http", "https"]
        run.check(web.contains(config.baseURL.scheme ?? "") && config.baseURL.host != nil, "baseURL \(config.baseURL)")
        for url in config.instances { run.check(web.contains(url.scheme ?? "") && url.host != nil, "instance \(url)") }
        let calls = ["startJourney", "locationUpdate", "liveLocation", "arrived", "stopJourney"]
        for (call, path) in config.paths { run.check(calls.contains(call) && path.hasPrefix("/"), "path \(call): \(path)") }
        if let redis = config.redisURL { run.check(redis.hasPrefix("redis://"), "redis url \(redis)") }
        if let socket = config.socketURL { run.check(["ws", "wss", "http", "https"].contains(socket.scheme ?? "") && socket.host != nil, "socket url \(socket)") }
        for hostPort in [config.eventBridgeListen, config.redisProxy?.listen, config.redisProxy?.upstream].compactMap({ $0 }) {
            run.check((0...65535).contains(hostPort.port) && !hostPort.host.isEmpty, "host:port \(hostPort)")
        }
        run.check((0...100).contains(config.gate.minScore), "minScore \(config.gate.minScore)")
        switch config.fixtures {
        case .http(let url, let method, _):
            run.check(web.contains(url.scheme ?? "") && url.host != nil && method == method.uppercased(), "fixtures.http \(url) \(method)")
        case .command(let words):
            run.check(!words.isEmpty, "empty fixture command")
        case .fixed(let fixtures):
            run.check(!fixtures.isEmpty, "no static fixtures")
            for fixture in fixtures {
                run.check((try? JSONSerialization.jsonObject(with: Data(fixture.utf8), options: [.fragmentsAllowed])) != nil, "static fixture is no JSON: \(fixture.prefix(200))")
            }
        }
        if let scale = config.scale {
            run.check(scale.journeys > 0, "journeys \(scale.journeys)")
            run.check(scale.durationSeconds > 0, "duration \(scale.durationSeconds)")
            run.check(scale.updateIntervalSeconds >= 5, "updateInterval \(scale.updateIntervalSeconds)")
            run.check(scale.pollIntervalSeconds > 0, "pollInterval \(scale.pollIntervalSeconds)")
            run.check((0...1).contains(scale.maxErrorRate), "maxErrorRate \(scale.maxErrorRate)")
            run.check(Set(scale.p99Milliseconds.keys).isSubset(of: LoadResultCalls.names), "p99 calls \(scale.p99Milliseconds.keys)")
            // The load schedule is built from these: it must be finite and bounded.
            run.check(scale.durationSeconds.isFinite && scale.durationSeconds <= 86_400, "duration \(scale.durationSeconds)")
            run.check(scale.updateIntervalSeconds.isFinite && scale.pollIntervalSeconds.isFinite
                      && scale.durationSeconds / scale.pollIntervalSeconds <= 1e6, "an endless load schedule was accepted")
            run.check(scale.p99Milliseconds.values.allSatisfy { $0.isFinite && $0 > 0 }, "a NaN, infinite or non-positive p99 was accepted")
        }
        for warning in config.warnings { run.check(warning.hasPrefix("\(file): unknown key"), "warning \(warning)") }
    }

    /// The config as text, dictionaries sorted (their order differs from one instance to the next).
    static func canonical(_ config: AuditConfig) -> String {
        func sorted<V>(_ dictionary: [String: V]) -> String { "\(dictionary.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })" }
        let fixtures: String
        switch config.fixtures {
        case .http(let url, let method, let headers): fixtures = "http \(url) \(method) \(sorted(headers))"
        case .command(let words): fixtures = "command \(words)"
        case .fixed(let list): fixtures = "static \(list)"
        }
        let scale = config.scale.map {
            "\($0.journeys) \($0.durationSeconds) \($0.updateIntervalSeconds) \($0.pollIntervalSeconds) \(sorted($0.p99Milliseconds)) \($0.maxErrorRate) \($0.maxInFlight)"
        }
        return "\(config.baseURL) \(config.instances) \(sorted(config.paths)) \(String(describing: config.redisURL)) \(String(describing: scale)) "
            + "\(String(describing: config.waiversFile)) \(String(describing: config.redisProxy)) \(String(describing: config.eventBridgeListen)) "
            + "\(String(describing: config.socketURL)) \(config.sourcePaths) \(fixtures) \(config.gate) \(config.warnings)"
    }

    /// Whether the text may reach `Int(maxInFlight)` with a value that traps (1e19 or more, or
    /// infinite): conservatively, any text that mentions maxInFlight and has such a number anywhere.

    // MARK: Corpus

    static let auditTrees: [YAMLFuzz.Node] = [
        .map([
            ("target", .map([("baseURL", .scalar("https://staging.example.com")),
                             ("instances", .list([.scalar("https://a.internal"), .scalar("https://b.internal")])),
                             ("paths", .map([("startJourney", .scalar("/v2/sessions/{sessionId}/start")), ("stopJourney", .scalar("/v2/stop"))]))])),
            ("redis", .map([("url", .scalar("redis://auditor:${REDIS_PASSWORD}@10.0.0.5:6379/0")),
                            ("proxy", .map([("listen", .scalar("0.0.0.0:6380")), ("upstream", .scalar("10.0.0.5:6379"))]))])),
            ("eventbridge", .map([("listen", .scalar("127.0.0.1:4010"))])),
            ("socket", .map([("url", .scalar("wss://staging.example.com/socket.io/"))])),
            ("source", .map([("paths", .list([.scalar("../backend"), .scalar("../mobile")]))])),
            ("fixtures", .map([("http", .map([("url", .scalar("https://staging.example.com/__test/fixtures")), ("method", .scalar("POST")),
                                              ("headers", .map([("X-Admin", .scalar("${ADMIN}"))]))]))])),
            ("gate", .map([("minScore", .raw("85")), ("failOn", .scalar("important"))])),
            ("waivers", .scalar("waivers.yml")),
        ]),
        .map([
            ("target", .map([("baseURL", .scalar("http://127.0.0.1:8080"))])),
            ("fixtures", .map([("command", .list([.scalar("./make-fixture.sh"), .scalar("staging")]))])),
        ]),
        .map([
            ("target", .map([("baseURL", .scalar("http://${FUZZ_HOST}"))])),
            ("fixtures", .map([("static", .list([
                .map([("sessionId", .scalar("s1")), ("trainer", .map([("id", .scalar("t1")), ("token", .scalar("${ADMIN}"))])),
                      ("studentHome", .map([("latitude", .raw("12.9716")), ("longitude", .raw("77.5946"))]))]),
                .map([("sessionId", .scalar("s2")), ("tags", .list([.raw("1"), .raw("true"), .raw("null")]))]),
            ]))])),
            ("gate", .map([("minScore", .raw("90")), ("failOn", .scalar("blocker"))])),
        ]),
        .map([
            ("target", .map([("baseURL", .scalar("https://staging.example.com"))])),
            ("fixtures", .map([("http", .map([("url", .scalar("https://staging.example.com/f"))]))])),
            ("scale", .map([("journeys", .raw("10000")), ("duration", .scalar("5m")), ("updateInterval", .raw("5.1")), ("pollInterval", .raw("4")),
                            ("p99", .map([("locationUpdate", .raw("250")), ("liveLocation", .raw("250"))])),
                            ("maxErrorRate", .raw("0.01")), ("maxInFlight", .raw("64"))])),
        ]),
    ]

    static let handwrittenAuditTexts = [
        """
        # audit.yml, with comments, anchors and block scalars
        target:
          baseURL: https://staging.example.com        # required
          paths: {}
        redis:
          url: redis://auditor:${REDIS_PASSWORD}@10.0.0.5:6379/0
        fixtures:
          static:
            - &fixture {sessionId: s1, trainer: {id: t1, token: "${ADMIN}"}}
            - *fixture
            - note: |
                two lines
                of text
        gate: {minScore: 90, failOn: blocker}
        """,
        "---\ntarget: {baseURL: 'http://h'}\nfixtures: {static: [{}]}\n...\n",
        #"{"target": {"baseURL": "http://127.0.0.1:8080"}, "fixtures": {"command": ["./make-fixture.sh", "staging"]}}"#,
    ]

    static let validAuditTexts = handwrittenAuditTexts + auditTrees.flatMap { tree in YAMLFuzz.Style.allCases.map { YAMLFuzz.render(tree, style: $0) } }

    static let ruleTree: YAMLFuzz.Node = .map([
        ("catalogue", .scalar("sample")),
        ("version", .scalar("0.1.0")),
        ("rules", .list([
            .map([("id", .scalar("S-BLOCK-001")), ("title", .scalar("A blocker")), ("severity", .scalar("blocker")), ("category", .scalar("Concurrency")),
                  ("rationale", .scalar("Because it blocks.\n")), ("remediation", .scalar("Do the atomic thing:\n```ts\nawait redis.set(k, v, 'NX');\n```\n")),
                  ("references", .list([.scalar("seeds/002 §Race")])), ("probe", .map([("kind", .scalar("race")), ("concurrency", .raw("20"))])),
                  ("compare", .list([.map([("fact", .scalar("created")), ("description", .scalar("starts answered 201")), ("pins", .scalar("CONTRACT §State"))]),
                                     .map([("fact", .scalar("events")), ("mode", .scalar("atMost")), ("description", .scalar("events")), ("pins", .scalar("CONTRACT §Events"))])])),
                  ("faults", .list([.scalar("check-then-set")]))]),
            .map([("id", .scalar("S-IMP-001")), ("title", .scalar("An important one")), ("severity", .scalar("important")), ("category", .scalar("State & TTL")),
                  ("rationale", .scalar("It matters.")), ("remediation", .scalar("Set the TTL.")), ("probe", .map([("kind", .scalar("ttl-journey"))])),
                  ("compare", .list([.map([("fact", .scalar("ttl")), ("mode", .scalar("within")), ("tolerance", .raw("2")), ("description", .scalar("TTL (s)")), ("pins", .scalar("CONTRACT §State: TTL"))])])),
                  ("faults", .list([.scalar("journey-no-ttl")]))]),
            .map([("id", .scalar("S-ADV-001")), ("title", .scalar("An advisory one")), ("severity", .scalar("advisory")), ("weight", .raw("2")),
                  ("category", .scalar("Scalability")), ("rationale", .scalar("Nice to have.")), ("remediation", .scalar("Cache it.")),
                  ("probe", .map([("kind", .scalar("cache"))])),
                  ("compare", .list([.map([("fact", .scalar("latency")), ("mode", .scalar("below")), ("limit", .raw("3000")), ("description", .scalar("slowest (ms)")), ("pins", .scalar("CONTRACT §Events: 2 s"))])])),
                  ("faults", .list([.scalar("no-session-cache")]))]),
        ])),
    ])

    static let waiverTree: YAMLFuzz.Node = .map([
        ("waivers", .list([
            .map([("rule", .scalar("S-IMP-001")), ("justification", .scalar("known")), ("owner", .scalar("ana")), ("expires", .raw("2026-12-31"))]),
            .map([("rule", .scalar("S-BLOCK-001")), ("justification", .scalar("vendor")), ("owner", .scalar("bo")), ("expires", .scalar("2027-01-15")),
                  ("acceptBlocker", .raw("true")), ("scope", .scalar("https://staging"))]),
            .map([("rule", .scalar("S-ADV-001")), ("justification", .scalar("later")), ("owner", .scalar("cy")), ("expires", .raw("2030-01-01"))]),
        ])),
    ])

    static let bundledRuleText: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try? String(contentsOf: root.appendingPathComponent("rules/journey.yml"), encoding: .utf8)
    }()
}

// MARK: - YAML generation and mutation

private enum YAMLFuzz {
    indirect enum Node: Sendable {
        case map([(String, Node)])
        case list([Node])
        /// A string, written plain when that is safe, else double-quoted with escapes.
        case scalar(String)
        /// Written as is: numbers, booleans, null, `.nan`, dates.
        case raw(String)
    }

    enum Style: CaseIterable { case block, flow, json }

    static func render(_ node: Node, style: Style) -> String {
        switch style {
        case .block:
            guard case .map = node else { return flow(node, json: false) }
            return block(node, indent: 0).joined(separator: "\n") + "\n"
        case .flow: return flow(node, json: false)
        case .json: return flow(node, json: true)
        }
    }

    static func block(_ node: Node, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        func isNested(_ node: Node) -> Bool {
            switch node {
            case .map(let entries): return !entries.isEmpty
            case .list(let items): return !items.isEmpty
            default: return false
            }
        }
        var lines: [String] = []
        switch node {
        case .map(let entries):
            for (key, value) in entries {
                if isNested(value) {
                    lines.append(pad + quote(key, json: false) + ":")
                    lines += block(value, indent: indent + 2)
                } else {
                    lines.append(pad + quote(key, json: false) + ": " + flow(value, json: false))
                }
            }
        case .list(let items):
            for item in items {
                if isNested(item) {
                    lines.append(pad + "-")
                    lines += block(item, indent: indent + 2)
                } else {
                    lines.append(pad + "- " + flow(item, json: false))
                }
            }
        default:
            lines.append(pad + flow(node, json: false))
        }
        return lines
    }

    static func flow(_ node: Node, json: Bool) -> String {
        switch node {
        case .map(let entries): return "{" + entries.map { quote($0.0, json: json) + ": " + flow($0.1, json: json) }.joined(separator: ", ") + "}"
        case .list(let items): return "[" + items.map { flow($0, json: json) }.joined(separator: ", ") + "]"
        case .scalar(let text): return quote(text, json: json)
        case .raw(let text): return text
        }
    }

    static let plainSafe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./@-".unicodeScalars)

    static func quote(_ text: String, json: Bool) -> String {
        if !json, let first = text.unicodeScalars.first, first != "-", text.unicodeScalars.allSatisfy(plainSafe.contains) { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\u{20}"..."\u{7E}", "\u{A0}"..."\u{D7FF}", "\u{E000}"..."\u{FEFE}", "\u{FF00}"..."\u{FFFD}", "\u{10000}"..."\u{10FFFF}":
                out.unicodeScalars.append(scalar)
            default:
                out += scalar.value <= 0xFFFF ? String(format: "\\u%04X", scalar.value) : String(format: "\\U%08X", scalar.value)
            }
        }
        return out + "\""
    }

    /// Values of the wrong type or shape, for any key.
    static let wrongValues: [Node] = [
        .list([]), .list([.scalar("x")]), .map([]), .map([("x", .raw("1"))]),
        .raw("0"), .raw("-1"), .raw("1e300"), .raw("-1e300"), .raw("1e-300"), .raw("9223372036854775808"), .raw(String(repeating: "9", count: 400)),
        .raw(".nan"), .raw(".NaN"), .raw("nan"), .raw("NaN"), .raw(".inf"), .raw("-.inf"), .raw("inf"), .raw("-infinity"), .raw("0x1p70"),
        .raw("1_000"), .raw("0o17"), .raw("+12"), .raw("12.5e3"), .raw("true"), .raw("no"), .raw("null"), .raw("~"), .raw("''"), .raw("\"\""),
        .raw("2026-12-31"), .raw("!!binary aGVsbG8="), .raw("!!float 1"), .raw("&anchor 5"),
        .scalar("${UNDEFINED_VAR}"), .scalar("${ADMIN}"), .scalar("${EMPTY}"), .scalar("${"), .scalar("${}"), .scalar("$${ADMIN}}"), .scalar("${ADMIN"),
        .scalar("x${EMPTY}y${REDIS_PASSWORD}"), .scalar("/ok/path"), .scalar("redis://h"), .scalar("ftp://x"), .scalar("http://"), .scalar("http://[::1]:8080"),
        .scalar("host:99999"), .scalar(":80"), .scalar("[::1]:6379"), .scalar("5ms"), .scalar("0s"), .scalar("-5m"), .scalar("1e300s"), .scalar("2m"), .scalar(" 7 "),
        .scalar("ünïcödé 😀 \u{301}\u{200D}"), .scalar("\u{0}\u{7}\u{1B}\u{FEFF}\u{2028}"), .scalar("null"), .scalar(""), .scalar("blocker"), .scalar("NONE"),
    ]

    static let waiverValues: [Node] = wrongValues + [
        .raw("2026-02-29T10:00:00Z"), .raw("2026-02-31"), .raw("2026-13-01"), .raw("0000-01-01"), .raw("9999-12-31"), .raw("2026-1-1"), .raw("2026-12-31 10:00:00 +05:00"),
        .scalar("2026-12-31"), .scalar("2026-99-99"), .scalar("12026-01-01"), .scalar("S-BLOCK-001"), .scalar("S-ADV-001"), .scalar("NOPE-001"), .scalar("  "),
    ]

    static let keys = ["target", "baseURL", "fixtures", "static", "http", "command", "scale", "journeys", "maxInFlight", "gate", "minScore",
                       "waivers", "rules", "rule", "expires", "acceptBlocker", "id", "severity", "compare", "probe", "kind", "unknownKey", ""]

    /// One structural mutation somewhere in the tree.
    static func mutate(_ node: Node, rng: inout SplitMix64, values: [Node] = wrongValues) -> Node {
        // Walk down a random path, mutating at a random depth.
        if Int.random(in: 0..<3, using: &rng) != 0 {
            switch node {
            case .map(var entries) where !entries.isEmpty:
                let i = Int.random(in: 0..<entries.count, using: &rng)
                entries[i].1 = mutate(entries[i].1, rng: &rng, values: values)
                return .map(entries)
            case .list(var items) where !items.isEmpty:
                let i = Int.random(in: 0..<items.count, using: &rng)
                items[i] = mutate(items[i], rng: &rng, values: values)
                return .list(items)
            default: break
            }
        }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1, 2: return values.randomElement(using: &rng)!
        case 3: // drop a key or an item
            if case .map(var entries) = node, !entries.isEmpty { entries.remove(at: Int.random(in: 0..<entries.count, using: &rng)); return .map(entries) }
            if case .list(var items) = node, !items.isEmpty { items.remove(at: Int.random(in: 0..<items.count, using: &rng)); return .list(items) }
            return .raw("null")
        case 4: // rename a key (near miss or another known key), or add an unknown one
            if case .map(var entries) = node, !entries.isEmpty {
                let i = Int.random(in: 0..<entries.count, using: &rng)
                entries[i].0 = Bool.random(using: &rng) ? keys.randomElement(using: &rng)! : entries[i].0.uppercased()
                return .map(entries)
            }
            return .map([(keys.randomElement(using: &rng)!, node)])
        case 5: // duplicate a key
            if case .map(var entries) = node, let entry = entries.randomElement(using: &rng) { entries.append(entry); return .map(entries) }
            return .list([node, node])
        case 6: // wrap in a list, or unwrap a list
            if case .list(let items) = node, let first = items.first { return first }
            return .list([node])
        case 7: // very long or deeply nested
            if Bool.random(using: &rng) {
                return .scalar(String(repeating: "ab😀", count: [1_000, 10_000, 40_000].randomElement(using: &rng)!))
            }
            let depth = [10, 500, 999, 1_001, 5_000].randomElement(using: &rng)!
            return .raw(String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth))
        case 8: // a random scalar
            return Bool.random(using: &rng) ? .scalar(FuzzText.random(&rng)) : .raw(String(Int.random(in: Int.min...Int.max, using: &rng)))
        default: // a map where a scalar or list was, and the other way round
            switch node {
            case .map(let entries): return .list(entries.map { .map([$0]) })
            case .list(let items): return .map(items.enumerated().map { ("k\($0.offset)", $0.element) })
            default: return .map([("value", node)])
            }
        }
    }

    static let tokens = [": ", "- ", "-", ":", "{", "}", "[", "]", ",", "\"", "'", "#", "&a ", "*a", "!!str ", "!!int ", "!!binary ", "!foo ",
                         "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "\n  ", "${UNDEFINED_VAR}", "${ADMIN}", "<<: *a", ".nan", "1e300",
                         "~", "null", "\u{FEFF}", "\u{0}", "\\", "\\x", "\\u12", "😀"]

    /// 1–4 text mutations: bytes, tokens, lines, indentation.
    static func mutateText(_ original: String, rng: inout SplitMix64) -> String {
        var text = original
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            var scalars = Array(text.unicodeScalars)
            let at = Int.random(in: 0...scalars.count, using: &rng)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0: // flip a bit in the UTF-8 (and decode with repair, as a file read would)
                var bytes = Array(text.utf8)
                guard !bytes.isEmpty else { continue }
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0...7, using: &rng)
                text = String(decoding: bytes, as: UTF8.self)
                continue
            case 1: scalars.insert(contentsOf: tokens.randomElement(using: &rng)!.unicodeScalars, at: at)
            case 2 where !scalars.isEmpty:
                let start = Int.random(in: 0..<scalars.count, using: &rng)
                scalars.removeSubrange(start..<min(scalars.count, start + Int.random(in: 1...12, using: &rng)))
            case 3 where !scalars.isEmpty: scalars[min(at, scalars.count - 1)] = FuzzText.scalar(&rng)
            case 4: scalars = Array(scalars[..<at])
            default: // line operations
                var lines = text.components(separatedBy: "\n")
                let i = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: lines.remove(at: i)
                case 1: lines.insert(lines[i], at: i)
                case 2: lines.swapAt(i, Int.random(in: 0..<lines.count, using: &rng))
                case 3: lines[i] = String(repeating: " ", count: Int.random(in: 1...4, using: &rng)) + lines[i]
                default: lines[i] = String(lines[i].drop { $0 == " " })
                }
                text = lines.joined(separator: "\n")
                continue
            }
            text = String(String.UnicodeScalarView(scalars))
        }
        return text
    }

    /// Token soup and random text.
    static func randomText(_ rng: inout SplitMix64) -> String {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return FuzzText.random(&rng, maxLength: 120)
        default:
            var text = ""
            let words = tokens + keys.map { $0 + ": " } + ["http://x", "redis://h", "1", "2026-12-31", "blocker", " ", "  ", "\n", "\n- "]
            for _ in 0..<Int.random(in: 0...40, using: &rng) { text += words.randomElement(using: &rng)! }
            return text
        }
    }
}

// MARK: - Fuzz harness (the same as in WireTests/ParserFuzzTests.swift; test targets share no code)

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to drive a fuzzer.
