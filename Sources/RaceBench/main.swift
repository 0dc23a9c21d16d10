import Checks
import Engine
import Foundation
import Probes
import Reference
import Wire

// The race sender's benchmark (issue 4 §1, issue 11), in one run on this machine:
//  1. spread — how far apart 20 identical starts reach the server (max − min of the reference's
//     arrival and begin stamps): one HTTP/2 packet (h2c here, ALPN h2 over TLS), last-byte sync
//     over HTTP/1.1, and a naive client (20 tasks, each connecting and sending);
//  2. catch rate — of a narrow `check-then-set` (one store round trip between check and set, the
//     store reached directly on loopback), over N probes with each sender: JRN-RACE-001 as
//     audited (3 rounds × 20), one burst of 20, and one pair; then the same against the
//     narrowest window, the store inside the instance (check and set one task switch apart).
// Both against the demo deployment (plain HTTP, straight to an instance), and with
// `--via audit.yml --plain URL` also through a deployment's edge: over TLS (the config's
// baseURL and tls:; nginx answers ALPN h2) and over plain HTTP through the same balancer
// (scripts/bench/race-tls starts scripts/staging-like with check-then-set for this).
// usage: swift run -c release race-bench [spread-rounds] [audits] [--via audit.yml --plain http://host:port]

/// `--name value` options, and the positional arguments left once they are taken out.
func parse(_ arguments: [String]) -> (options: [String: String], positional: [String]) {
    var options: [String: String] = [:], positional: [String] = []
    var rest = arguments[...]
    while let word = rest.popFirst() {
        if word.hasPrefix("--"), let value = rest.popFirst() { options[word] = value } else { positional.append(word) }
    }
    return (options, positional)
}
let (options, positional) = parse(Array(CommandLine.arguments.dropFirst()))
let via = options["--via"]
let plainEdge = options["--plain"].flatMap(URL.init(string:))
let numbers = positional.compactMap(Int.init)
let spreadRounds = numbers.first ?? 40
let audits = numbers.dropFirst().first ?? 50

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// The three ways to send a burst of 20: one HTTP/2 packet, last-byte sync over HTTP/1.1, and
/// 20 tasks that each connect and send.
enum Sender: String, CaseIterable {
    case single = "single packet (h2)"
    case lastByte = "last-byte sync"
    case naive = "naive client"
}

/// Spreads (µs) by "sender|header", over `rounds` bursts of 20 starts with each sender; `h2`:
/// where the same deployment speaks HTTP/2 (h2c, or an https URL with ALPN h2 under `tls`; nil:
/// the single packet is left out).
func spreads(_ api: JourneyAPI, h2: JourneyAPI?, tls: TLSClient? = nil, _ fixtures: any FixtureSource, rounds: Int) async throws -> [String: [Double]] {
    var spreads: [String: [Double]] = [:]
    for _ in 0..<rounds {
        for sender in Sender.allCases {
            if sender == .single, h2 == nil { continue }
            let fixture = try await fixtures.next()
            let request = api.request(.startJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
            let responses: [HTTPResponseData]
            switch sender {
            case .single:
                let h2Request = h2!.request(.startJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
                responses = try await SinglePacketSender(tls: tls).send(Array(repeating: h2Request, count: 20))
            case .lastByte: responses = try await RaceSender(for: api.client).send(Array(repeating: request, count: 20))
            case .naive: responses = try await NaiveSender.send(request, count: 20, client: api.client)
            }
            for header in RaceSpread.headers {
                if let spread = RaceSpread.microseconds(responses, header: header) { spreads["\(sender.rawValue)|\(header)", default: []].append(spread) }
            }
            _ = try? await api.send(.stopJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
        }
    }
    return spreads
}

func printSpreads(_ name: String, _ spreads: [String: [Double]], rounds: Int) {
    for header in RaceSpread.headers {
        print("\(name): spread of 20 starts (µs, \(header)), \(rounds) bursts each:")
        for sender in Sender.allCases {
            let values = spreads["\(sender.rawValue)|\(header)", default: []]
            guard !values.isEmpty else { continue }
            print("  " + sender.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: " median %7.1f  p90 %7.1f", percentile(values, 0.5), percentile(values, 0.9)))
        }
        let naive = percentile(spreads["\(Sender.naive.rawValue)|\(header)", default: []], 0.5)
        for sender in [Sender.single, .lastByte] {
            let values = spreads["\(sender.rawValue)|\(header)", default: []]
            if !values.isEmpty { print(String(format: "  median ratio naive / %@: %.1f×", sender.rawValue, naive / percentile(values, 0.5))) }
        }
    }
}

/// Of `audits` runs of JRN-RACE-001's probe on a check-then-set deployment, how many caught it, per
/// sender: as the rule runs it (3 rounds of 20), then one burst of 20 and one pair, which show how
/// often a sender puts two starts inside the window where the audit's repetition hides it.
func catchRate(_ name: String, _ system: ProbeSystem, audits: Int) async throws {
    let rule = try RuleCatalogue.bundled().rule("JRN-RACE-001")!
    let shapes = [(rule.probe.count("rounds", default: 3), rule.probe.count("concurrency", default: 20)), (1, 20), (1, 2)]
    for (rounds, concurrency) in shapes {
        print("\(name): catch rate of check-then-set over \(audits) probes of \(rounds) round\(rounds == 1 ? "" : "s") × \(concurrency) starts"
              + (rounds == shapes[0].0 && concurrency == shapes[0].1 ? " (JRN-RACE-001 as audited):" : ":"))
        for sender in Sender.allCases {
            if sender == .single, system.http2API == nil, system.api.baseURL.scheme != "https" { continue }
            var spec = rule.probe
            spec.parameters["naive"] = sender == .naive ? 1 : 0
            spec.parameters["rounds"] = Double(rounds)
            spec.parameters["concurrency"] = Double(concurrency)
            var system = system
            system.http2 = sender == .single ? .always : .never
            var caught = 0
            let started = ContinuousClock.now
            for _ in 0..<audits {
                let observation = await Prober.observe(ProbeCatalog.probe("race")!, spec, on: system)
                if RaceCatch.caught(observation) { caught += 1 }
            }
            let seconds = Double((ContinuousClock.now - started).components.seconds)
            print("  " + sender.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: " %d/%d = %.0f%%  (%.0f s)", caught, audits, 100 * Double(caught) / Double(audits), seconds))
        }
    }
}

// 1 against the demo deployment (store over TCP through the proxy, as in production), plain HTTP.
let clean = try await DemoTarget.start(faults: [])
let direct = JourneyAPI(baseURL: clean.instances[0].baseURL)
let directH2 = clean.instances[0].addresses.http2BaseURL.flatMap(URL.init(string:)).map { JourneyAPI(baseURL: $0) }
printSpreads("plain, direct", try await spreads(direct, h2: directH2, HTTPFixtureSource(url: clean.instances[0].baseURL.appendingPathComponent("__reference/fixtures")),
                                                rounds: spreadRounds), rounds: spreadRounds)
// What bounds the single packet: all final frames arrive in one segment, so its spread is the
// server's own work of handing each stream its end, in turn; it grows with the burst's size.
if let directH2 {
    print("plain, direct: single packet (h2), spread of N polls by burst size (µs, X-Reference-Received-Ns), \(spreadRounds) bursts each:")
    let poll = directH2.baseURL.appendingPathComponent("api/v1/admin/location-tracking/journey/live")
    for size in [2, 5, 10, 20, 40] {
        var values: [Double] = []
        for _ in 0..<spreadRounds {
            let answers = try await SinglePacketSender().send(Array(repeating: HTTPRequestSpec(method: "GET", url: poll), count: size))
            if let spread = RaceSpread.microseconds(answers, header: RaceSpread.headers[0]) { values.append(spread) }
        }
        print(String(format: "  N = %2d  median %6.1f  p90 %6.1f  (median per stream after the first: %.1f)", size,
                     percentile(values, 0.5), percentile(values, 0.9), percentile(values, 0.5) / Double(size - 1)))
    }
}
await clean.stop()
/// The catch rates of a check-then-set reference (h2c too) whose store is `redisURL` (nil: inside it).
func catchRate(_ name: String, checkThenSetOn redisURL: RedisURL?, audits: Int) async throws {
    var configuration = ReferenceConfiguration(redisURL: redisURL, faults: [.checkThenSet])
    configuration.http2Port = 0
    configuration.logLevel = .critical
    let reference = try await ReferenceServer.start(configuration)
    var system = ProbeSystem(name: "bench", api: JourneyAPI(baseURL: reference.baseURL), redis: nil, events: nil,
                             fixtures: HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures")))
    system.http2API = reference.addresses.http2BaseURL.flatMap(URL.init(string:)).map { JourneyAPI(baseURL: $0) }
    try await catchRate(name, system, audits: audits)
    await reference.stop()
}
// 2 against a narrow check-then-set: the instance reaches its store directly on loopback, so the
// window between EXISTS and SET is one store round trip and no sleep.
let store = try await EmbeddedStoreServer.start(store: EmbeddedStore(), allowWrites: true)
try await catchRate("narrow check-then-set, direct", checkThenSetOn: RedisURL(host: "127.0.0.1", port: store.port), audits: audits)
await store.stop()
// 3 against the narrowest window: the store in the instance's own process, so check and set are
// one task switch apart (no round trip at all): where the senders' catch rates part ways.
try await catchRate("in-process check-then-set", checkThenSetOn: nil, audits: audits)

// Through a deployment's edge (nginx): TLS, and plain HTTP through the same balancer.
if let via {
    let config = try ConfigLoader().load(file: via)
    let tls = try config.tls.map { try TLSClient(caFile: $0.caFile, clientCert: $0.clientCert, clientKey: $0.clientKey, serverName: $0.serverName,
                                                 insecureSkipVerify: $0.insecureSkipVerify) }
    guard case .http(let fixturesURL, _, _) = config.fixtures else { fatalError("--via needs fixtures.http") }
    // The instances reach Redis through the auditor's proxy, which an audit opens; so does the bench.
    let proxy = try await config.redisProxy.asyncMap { route in
        try await FaultProxy.start(listenHost: route.listen.host, listenPort: route.listen.port, upstreamHost: route.upstream.host, upstreamPort: route.upstream.port)
    }
    // nginx speaks HTTP/2 to clients that offer it by ALPN (staging-like), so over TLS the single
    // packet reaches the edge, which forwards each stream over HTTP/1.1.
    var edges: [(String, URL, HTTPClient)] = [("TLS via nginx", config.baseURL, HTTPClient(timeout: .seconds(10), tls: tls))]
    if let plainEdge { edges.append(("plain via nginx", plainEdge, HTTPClient(timeout: .seconds(10)))) }
    for (name, base, client) in edges {
        let fixtures = HTTPFixtureSource(url: URL(string: fixturesURL.path, relativeTo: base)!.absoluteURL, client: client)
        let api = JourneyAPI(baseURL: base, client: client)
        let h2 = base.scheme == "https" ? api : nil
        printSpreads(name, try await spreads(api, h2: h2, tls: tls, fixtures, rounds: spreadRounds), rounds: spreadRounds)
        try await catchRate(name, ProbeSystem(name: name, api: api, redis: nil, events: nil, fixtures: fixtures), audits: audits)
    }
    await proxy?.stop()
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
