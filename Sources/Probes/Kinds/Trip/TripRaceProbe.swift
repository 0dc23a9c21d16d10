import Checks
import Wire

/// TRP-RACE-001: R rounds, each of N drivers accepting one fresh pending trip at the same moment;
/// then the trip is read back. Refusals are counted as refusals whatever their status: which
/// status is TRP-CONFLICT-001's business, so a 403 for 409 fails that rule and not this one.
struct TripRaceProbe: Probe {
    let kind = "trip-race"

    func plan(_ spec: ProbeSpec) -> [String] {
        let rounds = spec.count("rounds", default: 3), n = spec.count("drivers", default: 10)
        return ["\(rounds) rounds × (POST trip-action accept ×\(n), one per driver, released together; GET details)"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { spec.count("rounds", default: 3) }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        var answers: [String] = []
        var readBacks: [String] = []
        for round in 1...spec.count("rounds", default: 3) {
            let f = try await run.tripFixture()
            let n = min(spec.count("drivers", default: 10), f.drivers.count)
            let calls = (1...n).map { (call: TripAPI.Call.tripAction, caller: TripCaller.driver($0), body: TripBody.accept(f.tripId), key: String?.none) }
            let responses = try await run.tripBurst("round \(round): \(n) drivers accept one trip", calls, f)
            answers.append(Self.tally(responses.map(\.status)))
            let winners = responses.indices.filter { responses[$0].status == 200 }
            let state = try await run.readBack("round \(round): read the trip back", f)
            let driver: String
            switch winners.count {
            case 0: driver = state.driverId == nil ? "no driver" : "a driver whose accept was refused"
            case 1: driver = state.driverId == f.driverId(winners[0] + 1) ? "the winner" : (state.driverId == nil ? "no driver" : "another driver")
            default: driver = "one of \(winners.count) drivers answered 200"
            }
            readBacks.append("driver: \(driver) · \(state.status) · version +\(state.version)")
        }
        // Recorded once every round ran: a partial list would differ from the reference's for no reason.
        run.record("answersPerRound", .strings(answers))
        run.record("readBackPerRound", .strings(readBacks))
    }

    /// "1×200 9×refused": 2xx by status, every 4xx as a refusal, anything else by status.
    static func tally(_ statuses: [Int]) -> String {
        BurstTally.of(statuses.map { (400..<500).contains($0) ? "refused" : String($0) })
    }
}

/// TRP-CONFLICT-001: the answers that refuse an accept, one at a time (no race, so a service
/// that is not atomic still answers them as it means to): a trip another driver holds, and a
/// `version` that is stale.
struct TripConflictProbe: Probe {
    let kind = "trip-conflict"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST trip-action accept (driver 1), accept again (driver 2), cancel (driver 1), accept with the old version 0 (driver 2)"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        try await run.tripRequire(200, "driver 1 accepts", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId))
        let taken = try await run.tripCall("driver 2 accepts the trip driver 1 holds", .tripAction, f, as: .driver(2), body: TripBody.accept(f.tripId))
        run.record("assignedAnswer", .int(taken.status))
        try await run.tripRequire(200, "driver 1 cancels (the trip is pending again, version 2)", .tripAction, f, as: .driver(1), body: TripBody.cancel(f.tripId))
        let stale = try await run.tripCall("driver 2 accepts with the stale version 0", .tripAction, f, as: .driver(2), body: TripBody.accept(f.tripId, version: 0))
        run.record("staleVersionAnswer", .int(stale.status))
    }
}
