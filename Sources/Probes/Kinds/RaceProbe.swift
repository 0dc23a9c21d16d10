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
        let naive = spec.number("naive", default: 0) != 0
        var answers: [String] = []
        var events: [FactValue] = []
        for round in 1...spec.count("rounds", default: 3) {
            let f = try await run.fixture()
            let statuses = try await run.race("round \(round): \(naive ? "concurrent" : "synchronized") start", .startJourney, f,
                                              as: .trainer, count: n, naive: naive).map(\.status)
            answers.append(BurstTally.of(statuses))
            events.append(await run.eventCount(sessionId: f.sessionId, detailType: "TrainerJourneyStarted", upTo: n, within: 1))
        }
        // Recorded once every round ran: a partial list would differ from the reference's for no reason.
        run.record("answersPerRound", .strings(answers))
        // The most TrainerJourneyStarted events one session got: observed only if every round's was.
        let counts = events.compactMap(\.intValue)
        run.record("startedEvents", counts.count == events.count ? .int(counts.max() ?? 0) : events.first { !$0.isObserved }!)
    }
}

/// Whether one run of the race probe caught a check-then-set: some round answered 201 more than
/// once. The benchmark's catch rate and the tests count catches with this, as the rule's facts say.
public enum RaceCatch {
    public static func caught(_ observation: Observation) -> Bool {
        guard case .strings(let rounds) = observation["answersPerRound"] else { return false }
        // Each round reads "19×201 1×409".
        return rounds.contains { round in round.split(separator: " ").contains { $0.hasSuffix("×201") && (Int($0.dropLast(4)) ?? 0) > 1 } }
    }
}
