import Checks
import Foundation
import Wire

/// JRN-FAILCLOSED-001: the state store cut during a start (refused, then silent): the answer is
/// the reference's (503), never a 409 that tells the app the journey exists, and never silence;
/// then the store comes back and the service recovers.
struct FailClosedProbe: Probe {
    let kind = "fail-closed"
    let exclusive = true
    /// It takes the store away: it runs after every other rule, so a service that does not
    /// recover fails this rule alone.
    let runsLast = true

    func plan(_ spec: ProbeSpec) -> [String] {
        ["for each store cut (down, timeout): POST start-journey ×1 while cut", "after restoring the store: POST start-journey ×1, POST stop-journey ×1"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let store = run.system.storeSwitch else {
            run.notChecked("no redis.proxy configured: the store cannot be cut without one")
            return
        }
        // The fixture first: its supply may need the store too.
        let f = try await run.fixture()
        let bound = spec.number("answerSeconds", default: 10)
        var answers: [(label: String?, value: FactValue)] = []
        for cut in StoreCut.allCases {
            await store.cut(cut)
            run.control("store", "store \(cut.rawValue)", "cut: \(cut.rawValue)")
            let answer: FactValue
            do {
                answer = try await run.status("start while the store is \(cut.rawValue)", .startJourney, f, as: .trainer, within: bound).fact
            } catch {
                await store.restore()
                throw error
            }
            await store.restore()
            run.control("store", "store up", "restored")
            answers.append((cut.rawValue, answer))
        }
        run.record("answersWhileCut", FactValue.combined(answers))
        let recovered = try await recoveredStart(f, run, within: spec.number("recoverySeconds", default: 5))
        run.record("startAfterRecovery", .int(recovered))
    }

    /// The first start after the store is back; reconnecting may take a moment, so a 503 is retried (bounded).
    private func recoveredStart(_ f: ProbeFixture, _ run: ProbeRun, within seconds: Double) async throws -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        var status = 0
        repeat {
            status = try await run.call("start after the store is back", .startJourney, f, as: .trainer).status
            if status != 503 { return status }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        return status
    }
}

/// JRN-STATELESS-001: one journey across instances, round robin: start on the first, update on
/// the second, poll on the third (the first when there are two), stop on the first; then a late
/// update on every instance must get the same answer everywhere. What that answer is (410, or 404
/// from a service without the ended marker) is JRN-GONE-001's business, not this rule's.
struct StatelessProbe: Probe {
    let kind = "stateless"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey on instance 1, POST updates on instance 2, GET live on instance 3 (or 1), POST stop-journey on instance 1",
         "POST updates on every instance (late update)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let instances = run.system.instances
        guard instances.count >= 2 else {
            run.notChecked("fewer than two target.instances configured")
            return
        }
        let pick = { (n: Int) in instances[n % instances.count] }
        let f = try await run.fixture()
        try await run.startJourney(f, via: pick(0))
        run.record("updateOnSecond", .int(try await run.update("update on instance 2", f, at: f.studentHome.north(800), via: pick(1)).status))
        let live = try await run.call("poll on instance \(instances.count > 2 ? 3 : 1)", .liveLocation, f, as: .student, via: pick(2))
        run.record("pollOnThird", LivePoll.fact(live))
        try await run.require(200, "stop on instance 1", .stopJourney, f, via: pick(0))
        var late: [Int] = []
        for (index, instance) in instances.enumerated() {
            late.append(try await run.update("late update on instance \(index + 1)", f, at: f.studentHome.north(790), via: instance).status)
        }
        run.note("late updates", "answers by instance: \(late.map(String.init).joined(separator: ", "))")
        run.record("lateUpdateSameEverywhere", .bool(Set(late).count == 1))
    }
}
