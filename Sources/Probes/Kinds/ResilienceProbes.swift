import Checks
import Foundation
import Wire

/// JRN-FAILCLOSED-001: the state store cut during a start (refused, then silent): the answer is
/// the reference's (503), never a 409 that tells the app the journey exists; then the store
/// comes back and the service recovers.
struct FailClosedProbe: Probe {
    let kind = "fail-closed"
    let exclusive = true

    func plan(_ spec: ProbeSpec) -> [String] {
        ["for each store cut (down, timeout): POST start-journey ×1 while cut", "after restoring the store: POST start-journey ×1, POST stop-journey ×1"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let store = run.system.storeSwitch else {
            run.notApplicable("no redis.proxy configured: the store cannot be cut without one")
            return
        }
        // The fixture first: its supply may need the store too.
        let f = try await run.fixture()
        var answers: [String] = []
        for cut in StoreCut.allCases {
            await store.cut(cut)
            run.note("store", "cut: \(cut.rawValue)")
            let response: HTTPResponseData
            do {
                response = try await run.call("start while the store is \(cut.rawValue)", .startJourney, f, as: .trainer)
            } catch {
                await store.restore()
                throw error
            }
            await store.restore()
            run.note("store", "restored")
            answers.append("\(cut.rawValue): \(response.status)")
        }
        run.record("answersWhileCut", .strings(answers))
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
/// the second, poll on the third (the first when there are two), stop on the first, and a late
/// update on the second.
struct StatelessProbe: Probe {
    let kind = "stateless"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey on instance 1, POST updates on instance 2, GET live on instance 3 (or 1), POST stop-journey on instance 1, POST updates on instance 2"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let instances = run.system.instances
        guard instances.count >= 2 else {
            run.notApplicable("fewer than two target.instances configured")
            return
        }
        let pick = { (n: Int) in instances[n % instances.count] }
        let f = try await run.fixture()
        run.record("startOnFirst", .int(try await run.call("start on instance 1", .startJourney, f, as: .trainer, via: pick(0)).status))
        run.record("updateOnSecond", .int(try await run.update("update on instance 2", f, at: f.studentHome.north(800), via: pick(1)).status))
        let live = try await run.call("poll on instance \(instances.count > 2 ? 3 : 1)", .liveLocation, f, as: .student, via: pick(2))
        let data = live.json?["data"] as? [String: Any]
        let location = data?["location"].map { $0 is NSNull ? "null" : "present" } ?? "absent"
        run.record("pollOnThird", .string("\(live.status) isActive=\(data?["isActive"].map { "\($0)" } ?? "absent") location=\(location)"))
        run.record("stopOnFirst", .int(try await run.call("stop on instance 1", .stopJourney, f, as: .trainer, via: pick(0)).status))
        run.record("lateUpdateOnSecond", .int(try await run.update("late update on instance 2", f, at: f.studentHome.north(790), via: pick(1)).status))
    }
}
