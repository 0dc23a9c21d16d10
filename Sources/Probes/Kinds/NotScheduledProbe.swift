import Checks
import Foundation
import Wire

/// JRN-SCHEDULED-001: a start on a session of the same trainer that is not `scheduled` (the
/// fixture's optional `nonScheduledSessionId`, completed or cancelled) must be refused with 400.
/// A start that wrongly succeeds is stopped again (its session is tracked like any other).
struct NotScheduledProbe: Probe {
    let kind = "not-scheduled"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1 on the fixture's non-scheduled session (POST stop-journey ×1 if it started)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        guard let done = f.nonScheduled else {
            run.notChecked("the fixture has no nonScheduledSessionId (a completed or cancelled session of the same trainer)")
            return
        }
        let answer = try await run.call("start a session that is not scheduled", .startJourney, done, as: .trainer)
        run.record("startNotScheduled", .int(answer.status))
    }
}
