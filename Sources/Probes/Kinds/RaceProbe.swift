import Checks
import Wire

/// JRN-RACE-001: R rounds, each of N synchronized starts of one fresh session's journey.
/// `naive: 1` sends them from N tasks instead (no last-byte sync), for the race benchmark.
struct RaceProbe: Probe {
    let kind = "race"

    func plan(_ spec: ProbeSpec) -> [String] {
        let rounds = spec.count("rounds", default: 3), n = spec.count("concurrency", default: 20)
        return ["\(rounds) rounds × (GET / ×\(n) to warm \(n) connections, POST start-journey ×\(n) released together)", "POST stop-journey ×\(rounds) (cleanup)"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { spec.count("rounds", default: 3) }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let n = spec.count("concurrency", default: 20)
        var created: [String] = [], conflicts: [String] = [], others: [String] = [], keys: [String] = []
        var mostEvents = 0
        var eventsObserved = run.system.events != nil
        for round in 1...spec.count("rounds", default: 3) {
            let f = try await run.fixture()
            let naive = spec.number("naive", default: 0) != 0
            let statuses = try await run.race("round \(round): \(naive ? "concurrent" : "synchronized") start", .startJourney, f,
                                              as: .trainer, count: n, naive: naive).map(\.status)
            created.append(String(statuses.filter { $0 == 201 }.count))
            conflicts.append(String(statuses.filter { $0 == 409 }.count))
            others += Dictionary(grouping: statuses.filter { $0 != 201 && $0 != 409 }, by: { $0 })
                .sorted { $0.key < $1.key }.map { "round \(round): \($0.key)×\($0.value.count)" }
            keys.append("\(await run.exists(StateKeys.journeyActive(f.sessionId)))")
            if eventsObserved {
                let events = await run.awaitEvents(sessionId: f.sessionId, detailType: "TrainerJourneyStarted", count: n, within: 1)
                mostEvents = max(mostEvents, events.count)
            }
            eventsObserved = eventsObserved && run.system.events != nil
        }
        run.record("createdPerRound", .strings(created))
        run.record("conflictsPerRound", .strings(conflicts))
        run.record("otherAnswers", .strings(others))
        run.record("activeKeyPerRound", run.system.redis == nil ? .unobserved("no redis.url configured") : .strings(keys))
        run.record("startedEvents", eventsObserved ? .int(mostEvents) : .unobserved("no eventbridge.listen configured"))
    }
}
