import Checks
import Wire

/// TRP-AVAIL-001: going offline releases the trips a driver holds, in the same step as the
/// status change. Part one, one call at a time. Part two, R rounds of calls released together:
/// the driver accepts three more trips and another driver accepts its first while it goes offline
/// (sent last, so accepts that read the driver as online are in flight when it goes). Afterwards
/// no trip may be accepted by the offline driver, whichever call landed first; an accept that
/// checks the driver and writes the trip in two steps leaves one behind in most rounds.
struct TripAvailabilityProbe: Probe {
    let kind = "trip-avail"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST accept, POST update-online-status offline, GET details",
         "\(spec.count("rounds", default: 5)) rounds × (POST accept, POST create ×3, then together: accept ×3 (driver 1), accept (driver 2), offline (driver 1); GET details ×4)"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 + spec.count("rounds", default: 5) }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        let accepted = try await run.tripRequire(200, "driver 1 accepts", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId))
        let held = TripState(accepted)?.version ?? 1
        try await run.tripRequire(200, "driver 1 goes offline", .onlineStatus, f, as: .driver(1), body: TripBody.status(online: false))
        let released = try await run.readBack("read the trip back", f)
        let driver = released.driverId == nil ? "no driver" : released.driverId == f.driverId(1) ? "the offline driver" : "another driver"
        run.record("afterOffline", .string("\(released.status) · \(driver) · version +\(released.version - held) after the accept"))

        var left = 0
        for round in 1...spec.count("rounds", default: 5) {
            let g = try await run.tripFixture()
            try await run.tripRequire(200, "round \(round): driver 1 accepts trip 1", .tripAction, g, as: .driver(1), body: TripBody.accept(g.tripId))
            var others: [String] = []
            for n in 2...4 { others.append(try await run.createTrip("round \(round): the customer creates trip \(n)", g, variation: Double(n) / 1000)) }
            let calls = others.map { (call: TripAPI.Call.tripAction, caller: TripCaller.driver(1), body: TripBody.accept($0), key: String?.none) }
                + [(.tripAction, .driver(2), TripBody.accept(g.tripId), nil), (.onlineStatus, .driver(1), TripBody.status(online: false), nil)]
            _ = try await run.tripBurst("round \(round): driver 1 accepts trips 2–4 and goes offline, driver 2 accepts trip 1", calls, g)
            for (n, id) in ([g.tripId] + others).enumerated() {
                let state = try await run.readBack("round \(round): read trip \(n + 1) back", g, tripId: id)
                if state.status == "accepted", state.driverId == g.driverId(1) { left += 1 }
            }
        }
        run.record("heldByOfflineDriver", .int(left))
    }
}
