import Checks
import Engine
import Foundation
import Probes
import Reference
import Wire

// The race sender's benchmark (issue 4 §1, issue 11), in one run on this machine:
//  1. spread — how far apart 20 identical starts reach the server (max − min of the reference's
//     arrival and begin stamps), last-byte synchronized vs a naive client (20 tasks, each
//     connecting and sending);
//  2. catch rate — of `check-then-set`, over N audits of JRN-RACE-001 (3 rounds × 20) with each sender.
// Both against the demo deployment (plain HTTP, straight to an instance), and with
// `--via audit.yml --plain URL` also through a deployment's edge: over TLS (the config's
// baseURL and tls:) and over plain HTTP through the same balancer (scripts/bench/race-tls starts
// scripts/staging-like with check-then-set for this).
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

/// Spreads (µs) by "sync|naive header", over `rounds` bursts of 20 starts with each sender.
func spreads(_ api: JourneyAPI, _ fixtures: any FixtureSource, rounds: Int) async throws -> [String: [Double]] {
    var spreads: [String: [Double]] = [:]
    for _ in 0..<rounds {
        for synchronized in [true, false] {
            let fixture = try await fixtures.next()
            let request = api.request(.startJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
            let responses = synchronized
                ? try await RaceSender(for: api.client).send(Array(repeating: request, count: 20))
                : try await NaiveSender.send(request, count: 20, client: api.client)
            for header in RaceSpread.headers {
                if let spread = RaceSpread.microseconds(responses, header: header) { spreads["\(synchronized ? "sync" : "naive") \(header)", default: []].append(spread) }
            }
            _ = try? await api.send(.stopJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
        }
    }
    return spreads
}

func printSpreads(_ name: String, _ spreads: [String: [Double]], rounds: Int) {
    for header in RaceSpread.headers {
        let sync = spreads["sync \(header)", default: []], naive = spreads["naive \(header)", default: []]
        print("\(name): spread of 20 starts (µs, \(header)), \(rounds) bursts each:")
        print(String(format: "  last-byte sync: median %7.1f  p90 %7.1f", percentile(sync, 0.5), percentile(sync, 0.9)))
        print(String(format: "  naive client:   median %7.1f  p90 %7.1f", percentile(naive, 0.5), percentile(naive, 0.9)))
        print(String(format: "  median ratio naive/sync: %.1f×", percentile(naive, 0.5) / percentile(sync, 0.5)))
    }
}

/// Of `audits` runs of JRN-RACE-001's probe on a check-then-set deployment, how many caught it.
func catchRate(_ name: String, _ system: ProbeSystem, audits: Int) async throws {
    let rule = try RuleCatalogue.bundled().rule("JRN-RACE-001")!
    print("\(name): catch rate of check-then-set over \(audits) audits (JRN-RACE-001: \(rule.probe.count("rounds", default: 3)) rounds × \(rule.probe.count("concurrency", default: 20))):")
    for naiveSender in [false, true] {
        var spec = rule.probe
        spec.parameters["naive"] = naiveSender ? 1 : 0
        var caught = 0
        let started = ContinuousClock.now
        for _ in 0..<audits {
            let observation = await Prober.observe(ProbeCatalog.probe("race")!, spec, on: system)
            if RaceCatch.caught(observation) { caught += 1 }
        }
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        print(String(format: "  %@: %d/%d = %.0f%%  (%.0f s)", naiveSender ? "naive client  " : "last-byte sync", caught, audits, 100 * Double(caught) / Double(audits), seconds))
    }
}

// 1 and 2 against the demo deployment (store over TCP, as in production), plain HTTP.
let clean = try await DemoTarget.start(faults: [])
let direct = JourneyAPI(baseURL: clean.instances[0].baseURL)
printSpreads("plain, direct", try await spreads(direct, HTTPFixtureSource(url: clean.instances[0].baseURL.appendingPathComponent("__reference/fixtures")), rounds: spreadRounds),
             rounds: spreadRounds)
await clean.stop()
let faulted = try await DemoTarget.start(faults: [.checkThenSet])
let faultedFixtures = HTTPFixtureSource(url: faulted.instances[0].baseURL.appendingPathComponent("__reference/fixtures"))
try await catchRate("plain, direct", ProbeSystem(name: "bench", api: JourneyAPI(baseURL: faulted.instances[0].baseURL), redis: nil, events: nil,
                                                 fixtures: faultedFixtures), audits: audits)
await faulted.stop()

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
    var edges: [(String, URL, HTTPClient)] = [("TLS via nginx", config.baseURL, HTTPClient(timeout: .seconds(10), tls: tls))]
    if let plainEdge { edges.append(("plain via nginx", plainEdge, HTTPClient(timeout: .seconds(10)))) }
    for (name, base, client) in edges {
        let fixtures = HTTPFixtureSource(url: URL(string: fixturesURL.path, relativeTo: base)!.absoluteURL, client: client)
        let api = JourneyAPI(baseURL: base, client: client)
        printSpreads(name, try await spreads(api, fixtures, rounds: spreadRounds), rounds: spreadRounds)
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
