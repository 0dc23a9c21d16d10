import Checks
import Foundation
import Wire

/// A key no earlier request used: the audit's own prefix, so a deployment's operators can tell.
func freshKey() -> String { "auditor-\(UUID().uuidString.lowercased())" }

/// How a replay compares with the first answer: the same status and body, or what differs.
func replayComparison(_ first: HTTPResponseData, _ replay: HTTPResponseData) -> String {
    if replay.status != first.status { return "another status (\(replay.status) after \(first.status))" }
    if replay.body != first.body {
        let id = { (r: HTTPResponseData) in r.json?["trip_request_id"] as? String }
        return id(first) != nil && id(first) != id(replay) ? "another trip (a second effect)" : "another body"
    }
    return "same status and body"
}

/// TRP-IDEM-001: a create and an accept, each sent twice with one key; the replay must be the
/// first answer (status and body) with the replay header. A second effect of the create shows
/// as another trip id; a second accept of a trip its driver holds cannot take effect at all.
struct IdempotentReplayProbe: Probe {
    let kind = "trip-idem-replay"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST create ×2 with one Idempotency-Key", "POST trip-action accept ×2 with one Idempotency-Key"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        let header = try run.trip.replayHeader
        let createKey = freshKey(), acceptKey = freshKey()
        let created = try await run.tripRequire(201, "create with a key", .createTrip, f, as: .customer, body: TripBody.create(), key: createKey)
        let createReplay = try await run.tripCall("the same create again", .createTrip, f, as: .customer, body: TripBody.create(), key: createKey)
        let accepted = try await run.tripRequire(200, "accept with a key", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId), key: acceptKey)
        let acceptReplay = try await run.tripCall("the same accept again", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId), key: acceptKey)
        run.record("createReplay", .string(replayComparison(created, createReplay)))
        run.record("acceptReplay", .string(replayComparison(accepted, acceptReplay)))
        let marked = [("create", createReplay), ("accept", acceptReplay)].filter { $0.1.header(header)?.lowercased() == "true" }.map(\.0)
        run.record("replayHeader", .strings(marked.count == 2 ? ["\(header): true on both replays"] : ["\(header): true on \(marked.isEmpty ? "neither" : marked[0])"]))
    }
}

/// TRP-IDEM-002: one key, a different body: 422, and the other request takes no effect.
struct KeyReuseProbe: Probe {
    let kind = "trip-idem-mismatch"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST create ×2 with one key and two bodies", "POST create (a second trip)", "POST trip-action accept ×2 with one key and two trips", "GET details"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        let createKey = freshKey(), acceptKey = freshKey()
        try await run.tripRequire(201, "create with a key", .createTrip, f, as: .customer, body: TripBody.create(), key: createKey)
        let otherCreate = try await run.tripCall("the same key, another pickup", .createTrip, f, as: .customer, body: TripBody.create(0.01), key: createKey)
        run.record("createMismatch", .int(otherCreate.status))
        let second = try await run.createTrip("create a second trip (no key)", f)
        try await run.tripRequire(200, "accept the fixture's trip with a key", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId), key: acceptKey)
        let otherAccept = try await run.tripCall("the same key, the second trip", .tripAction, f, as: .driver(1), body: TripBody.accept(second), key: acceptKey)
        run.record("acceptMismatch", .int(otherAccept.status))
        let state = try await run.readBack("read the second trip back", f, tripId: second)
        run.record("secondTrip", .string("\(state.status) · version \(state.version)\(state.driverId == nil ? "" : " · has a driver")"))
    }
}

/// TRP-IDEM-003: N creates with one key and one body released together: one trip, and every
/// other answer a 409 or a replay of it.
struct ConcurrentKeyProbe: Probe {
    let kind = "trip-idem-concurrent"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST create ×\(spec.count("concurrency", default: 5)) with one key and one body, released together"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        let key = freshKey()
        let n = spec.count("concurrency", default: 5)
        let calls = (0..<n).map { _ in (call: TripAPI.Call.createTrip, caller: TripCaller.customer, body: TripBody.create(), key: Optional(key)) }
        let responses = try await run.tripBurst("\(n) creates with one key", calls, f)
        let trips = Set(responses.filter { (200..<300).contains($0.status) }.compactMap { $0.json?["trip_request_id"] as? String })
        run.record("tripsCreated", .int(trips.count))
        let other = responses.map(\.status).filter { !(200..<300).contains($0) && $0 != 409 }
        run.record("otherAnswers", .strings(other.sorted().map(String.init)))
    }
}
