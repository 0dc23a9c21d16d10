import Checks
import Foundation
import Wire

/// JRN-SLOWSTORE-001 (seeds/001 "Redis timeout wrappers", seeds/003 `redisWithTimeout.ts`): with
/// every store reply delayed past what bounded commands can wait, each call on a fresh session
/// answers while the store is still slow: start with 503, the others with whatever they answer
/// (the contract pins only the start's). The seeds bound each store *operation* by the timeout,
/// not a request: a call may issue several commands in sequence (a token, a cached session that
/// fails open to the database, the location), each waiting at most `redis.timeoutMs`. So the
/// bound is `commandsPerCall` timeouts (the rule's 4, or `redis.commandsPerCall`) plus a margin,
/// and every reply is delayed past it: a deployment with no deadline answers only once its
/// command comes back, after the bound. Every call needs the store from its first step (the
/// caller's token), so no journey is started first: nothing is left for a service that does not
/// recover to clean up. The store is slowed, not cut: what a timeout is for is a Redis that still
/// answers, late.
struct StoreDeadlineProbe: Probe {
    let kind = "store-deadline"
    let exclusive = true
    /// It slows the store for everyone: after every other rule, before the store is cut.
    let runsLast = true

    func plan(_ spec: ProbeSpec) -> [String] {
        ["with every store reply late: POST start-journey, POST updates, GET live, POST arrived, POST stop-journey, at once",
         "POST stop-journey ×1 (cleanup, when the start may have gone through)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let store = run.system.storeSwitch else {
            run.notChecked("no redis.proxy configured: the store cannot be slowed without one")
            return
        }
        guard let timeoutMs = run.system.storeTimeoutMs else {
            run.notChecked("no redis.timeoutMs: the deployment's store timeout is not stated, so no bound can be held to")
            return
        }
        let margin = spec.number("marginSeconds", default: 1)
        let commands = Double(run.system.storeCommandsPerCall ?? Int(spec.number("commandsPerCall", default: 4)))
        let bound = commands * timeoutMs / 1000 + margin
        // Past the bound: a call that waits for its store reply cannot answer in time.
        let latencyMs = Int((bound + margin) * 1000)
        let f = try await run.fixture()
        let slowed = ContinuousClock.now
        await store.slow(milliseconds: latencyMs)
        run.control("store", "store slow \(latencyMs)", "every store reply \(latencyMs) ms late")
        /// One call under the slow store; a transport failure (refused, reset) is kept, not
        /// thrown, so the store is always restored first.
        func bounded(_ label: String, _ call: JourneyAPI.Call, as role: Role, body: [String: Any]? = nil) async -> Result<FactValue, Error> {
            do { return .success(try await run.status("\(label) while the store is slow", call, f, as: role, body: body, within: bound).fact) }
            catch { return .failure(error) }
        }
        async let start = bounded("start", .startJourney, as: .trainer)
        async let update = bounded("update", .locationUpdate, as: .trainer, body: ProbeRun.updateBody(f, f.studentHome.north(1000)))
        async let live = bounded("poll", .liveLocation, as: .student)
        async let arrived = bounded("arrived", .arrived, as: .trainer)
        async let stop = bounded("stop", .stopJourney, as: .trainer)
        let answers = await [("start", start), ("update", update), ("poll", live), ("arrived", arrived), ("stop", stop)]
        await store.restore()
        run.control("store", "store up", "restored")
        // Commands already held back by the delay may still reach the store (a start among them):
        // let them land before the clean-up's stop, so it is the last word on this session.
        let held = Duration.milliseconds(latencyMs) - (ContinuousClock.now - slowed)
        if held > .zero { try await run.pause(((held.inSeconds + 0.2) * 10).rounded(.up) / 10, "commands delayed while the store was slow still land") }

        var inTime: [(label: String?, value: FactValue)] = []
        for (label, result) in answers {
            let fact = try result.get()
            if label == "start" {
                run.record("startWhileSlow", fact)
            } else if case .int = fact {
                inTime.append((label, .string("answered")))   // which answer is not pinned; the transcript shows it
            } else {
                inTime.append((label, fact))
            }
        }
        run.record("answeredInTime", FactValue.combined(inTime))
    }
}
