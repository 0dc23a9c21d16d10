import Checks
import Wire

/// JRN-RACE-001: N concurrent starts of one session's journey.
struct RaceProbe: Probe {
    let kind = "race"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×\(spec.count("concurrency", default: 20)) at once (one session)", "POST stop-journey ×1 (cleanup)"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let n = spec.count("concurrency", default: 20)
        let f = try await run.fixture()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<n { group.addTask { try await run.call("concurrent start", .startJourney, f, as: .trainer).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        run.record("created", .int(statuses.filter { $0 == 201 }.count))
        run.record("conflicts", .int(statuses.filter { $0 == 409 }.count))
        let others = Dictionary(grouping: statuses.filter { $0 != 201 && $0 != 409 }, by: { $0 })
            .sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value.count)" }
        run.record("otherAnswers", .strings(others))
        run.record("activeKey", await run.exists(StateKeys.journeyActive(f.sessionId)))
        if run.system.events != nil {
            _ = await run.awaitEvents(sessionId: f.sessionId, detailType: "TrainerJourneyStarted", count: n, within: 1.5)
            run.record("startedEvents", .int(run.events(sessionId: f.sessionId, detailType: "TrainerJourneyStarted").count))
        } else {
            run.record("startedEvents", .unobserved("no eventbridge.listen configured"))
        }
    }
}
