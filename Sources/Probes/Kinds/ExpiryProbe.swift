import Checks
import Foundation
import Wire

/// JRN-EXPIRY-001 (seeds/001 scenarios 1 and 5: the app crashes mid-journey, the trainer stops
/// sending): one update, then nothing for the location key's lifetime. After it the key is gone
/// and the student's poll shows no location, while the journey itself (an hour's TTL) is still
/// active. The wait is the target's own key TTL as read from Redis, at most the contract's 300 s
/// (without Redis access, 300 s), plus a margin: minutes, so it runs only when asked for. (Tests
/// on TTL-scaled instances set `locationTTLSeconds` to the scaled contract value.)
struct ExpiryProbe: Probe {
    let kind = "expiry"
    let long = true
    /// The oracle moves its store's clock for this wait, which would end other probes' windows.
    let exclusive = true

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×1, POST updates ×1",
         "nothing for the location key's TTL (at most \(Judge.format(spec.number("locationTTLSeconds", default: Double(StateKeys.locationTTL)))) s) + \(Judge.format(spec.number("marginSeconds", default: 2))) s, then GET live ×1",
         "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard run.system.long else {
            run.notChecked("a long probe (it waits out the location key's \(StateKeys.locationTTL) s TTL, about 5 min): run with --long, or long: true in audit.yml")
            return
        }
        let f = try await run.fixture()
        try await run.startJourney(f)
        try await run.place("the last update before the app goes quiet", f, at: f.studentHome.north(1000))
        let key = StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)
        let contract = spec.number("locationTTLSeconds", default: Double(StateKeys.locationTTL))
        var lifetime = contract
        if case .int(let seconds) = await run.ttl(key), seconds > 0 {
            // A target is held to the contract's lifetime at most; the oracle (whose clock moves)
            // waits out its own key, which is the contract's unscaled one.
            lifetime = run.system.storeClock == nil ? min(Double(seconds), contract) : Double(seconds)
        }
        let wait = lifetime + spec.number("marginSeconds", default: 2)
        try await run.elapse(wait, "the location key's TTL (\(Judge.format(lifetime)) s) and a margin, with no update")
        run.record("locationKeyAfterTTL", await run.exists(key))
        let poll = try await run.require(200, "poll after the location expired", .liveLocation, f, as: .student)
        run.record("pollAfterTTL", LivePoll.fact(poll))
    }
}
