import Checks
import Foundation
import Wire

/// TRP-IDEM-004: keys are stored durably (a database, not a cache): a create replayed after
/// the time a cache would have forgotten it (`trip.cacheSeconds`, else the rule's `waitSeconds`;
/// `longWaitSeconds` under `--long`) is still the first answer; and, when the config names a
/// restart command, so is one replayed after a restart of the target.
struct DurableKeyProbe: Probe {
    let kind = "trip-idem-durable"
    /// With `trip.restartCommand` it restarts the target: nothing else may be in flight then, or
    /// the restart would cut another rule's scenario short. So it runs alone, after the others.
    var exclusive: Bool { true }
    var runsLast: Bool { true }

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST create with a key", "wait \(Judge.format(spec.number("waitSeconds", default: 30))) s (trip.cacheSeconds; longWaitSeconds with --long)",
         "POST the same create again", "with trip.restartCommand: restart the target, POST the same create again"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let trip = try run.trip
        let wait = trip.cacheSeconds ?? (run.system.long ? spec.number("longWaitSeconds", default: 3600) : spec.number("waitSeconds", default: 30))
        let f = try await run.tripFixture()
        let key = freshKey()
        let first = try await run.tripRequire(201, "create with a key", .createTrip, f, as: .customer, body: TripBody.create(), key: key)
        try await run.pause(wait, "longer than a cache would keep the key")
        let later = try await run.tripCall("the same create after the wait", .createTrip, f, as: .customer, body: TripBody.create(), key: key)
        run.record("replayAfterWait", .string(replayComparison(first, later)))
        guard let restart = trip.restart else {
            // Said on both sides alike, so the table shows what was not tried.
            run.record("replayAfterRestart", .string("not tried (no trip.restartCommand)"))
            return
        }
        run.control("restart", "restart", "the target restarted (trip.restartCommand)")
        do { try await restart.restart() } catch {
            run.record("replayAfterRestart", .unobserved("the restart failed: \(error)"))
            return
        }
        let afterRestart = try await run.tripCall("the same create after a restart", .createTrip, f, as: .customer, body: TripBody.create(), key: key)
        run.record("replayAfterRestart", .string(replayComparison(first, afterRestart)))
    }
}
