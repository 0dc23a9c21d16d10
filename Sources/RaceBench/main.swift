import Checks
import Engine
import Foundation
import Probes
import Reference
import Wire

// The race sender's benchmark (issue 4 §1), in one run on this machine:
//  1. spread — how far apart 20 identical starts reach the server (max − min of the reference's
//     begin stamps), last-byte synchronized vs a naive client (20 tasks, each connecting and sending);
//  2. catch rate — of `check-then-set`, over N audits of JRN-RACE-001 (3 rounds × 20) with each sender.
// usage: swift run -c release race-bench [spread-rounds] [audits]

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let spreadRounds = arguments.first ?? 40
let audits = arguments.dropFirst().first ?? 50

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func fixtureSource(_ reference: RunningReference) -> HTTPFixtureSource {
    HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures"))
}

// 1. Spread, against a clean demo deployment (store over TCP, as in production).
let clean = try await DemoTarget.start(faults: [])
let api = JourneyAPI(baseURL: clean.instances[0].baseURL)
// Spreads by (synchronized?, stamp): arrival at the server, and the start of handling.
var spreads: [String: [Double]] = [:]
for _ in 0..<spreadRounds {
    for synchronized in [true, false] {
        let fixture = try await fixtureSource(clean.instances[0]).next()
        let request = api.request(.startJourney, sessionId: fixture.sessionId, token: fixture.trainer.token)
        let responses: [HTTPResponseData]
        if synchronized {
            responses = try await RaceSender().send(Array(repeating: request, count: 20))
        } else {
            responses = try await NaiveSender.send(request, count: 20, client: api.client)
        }
        for header in RaceSpread.headers {
            if let spread = RaceSpread.microseconds(responses, header: header) { spreads["\(synchronized) \(header)", default: []].append(spread) }
        }
    }
}
await clean.stop()
for header in RaceSpread.headers {
    let sync = spreads["true \(header)", default: []], naive = spreads["false \(header)", default: []]
    print("spread of 20 starts (µs, \(header)), \(spreadRounds) bursts each:")
    print(String(format: "  last-byte sync: median %7.1f  p90 %7.1f", percentile(sync, 0.5), percentile(sync, 0.9)))
    print(String(format: "  naive client:   median %7.1f  p90 %7.1f", percentile(naive, 0.5), percentile(naive, 0.9)))
    print(String(format: "  median ratio naive/sync: %.1f×", percentile(naive, 0.5) / percentile(sync, 0.5)))
}

// 2. Catch rate of check-then-set.
let faulted = try await DemoTarget.start(faults: [.checkThenSet])
let rule = try RuleCatalogue.bundled().rule("JRN-RACE-001")!
let system = ProbeSystem(name: "bench", api: JourneyAPI(baseURL: faulted.instances[0].baseURL), redis: nil, events: nil,
                         fixtures: fixtureSource(faulted.instances[0]))
print("catch rate of check-then-set over \(audits) audits (JRN-RACE-001: \(rule.probe.count("rounds", default: 3)) rounds × \(rule.probe.count("concurrency", default: 20))):")
for naiveSender in [false, true] {
    var spec = rule.probe
    spec.parameters["naive"] = naiveSender ? 1 : 0
    var caught = 0
    let started = ContinuousClock.now
    for _ in 0..<audits {
        let observation = await Prober.observe(ProbeCatalog.probe("race")!, spec, on: system)
        if case .strings(let created) = observation["createdPerRound"], created.contains(where: { (Int($0) ?? 0) > 1 }) { caught += 1 }
    }
    let seconds = Double((ContinuousClock.now - started).components.seconds)
    print(String(format: "  %@: %d/%d = %.0f%%  (%.0f s)", naiveSender ? "naive client  " : "last-byte sync", caught, audits, 100 * Double(caught) / Double(audits), seconds))
}
await faulted.stop()
