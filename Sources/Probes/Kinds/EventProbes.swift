import Checks
import Foundation
import Wire

/// JRN-EVB-001: with EventBridge failing in each way the contract lists, start, arrived and stop
/// still answer as the reference does, within the publish timeout plus a margin. An answer that
/// does not come within that bound is an observation (the hang is the bug), not an inconclusive.
struct EventBridgeFailureProbe: Probe {
    let kind = "evb-failure"
    let exclusive = true
    static let modes: [EventBridgeEndpoint.Mode] = [.failedEntries, .serverError, .throttle, .hang]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["for each of \(Self.modes.map(\.rawValue).joined(separator: ", ")): POST start-journey ×2, POST updates ×1, POST arrived ×1, POST stop-journey ×1"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { Self.modes.count * 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let endpoint = run.system.events, run.eventsMissing == nil else {
            throw ProbeError("\(run.eventsMissing ?? "no EventBridge endpoint"), so EventBridge failures cannot be injected")
        }
        let bound = spec.number("maxMilliseconds", default: 3000) / 1000
        var starts: [String] = [], arrivals: [String] = [], stops: [String] = []
        var slowest = 0.0
        defer { endpoint.setMode(.accept) }
        for mode in Self.modes {
            endpoint.setMode(mode)
            run.control("EventBridge", "eventbridge \(mode.rawValue)", "now answering: \(mode.rawValue)")
            let clock = ContinuousClock()
            func timed(_ label: String, _ call: JourneyAPI.Call, _ f: ProbeFixture) async throws -> FactValue {
                let start = clock.now
                let (fact, _) = try await run.status("\(label) (EventBridge \(mode.rawValue))", call, f, as: .trainer, within: bound)
                slowest = max(slowest, (clock.now - start).inMilliseconds)
                return fact
            }
            let a = try await run.fixture()
            let started = try await timed("start", .startJourney, a)
            starts.append("\(mode.rawValue): \(started)")
            if started == .int(201) {
                try await run.place("update at the student's home", a, at: a.studentHome.north(ProbeFixture.atHomeMeters))
                arrivals.append("\(mode.rawValue): \(try await timed("arrived", .arrived, a))")
            } else {
                arrivals.append("\(mode.rawValue): not tried (the start answered \(started))")
            }

            let b = try await run.fixture()
            let startedB = try await timed("start", .startJourney, b)
            stops.append(startedB == .int(201) ? "\(mode.rawValue): \(try await timed("stop", .stopJourney, b))"
                                              : "\(mode.rawValue): not tried (the start answered \(startedB))")
        }
        run.record("startAnswers", .strings(starts))
        run.record("arrivedAnswers", .strings(arrivals))
        run.record("stopAnswers", .strings(stops))
        run.record("slowestMilliseconds", .int(Int(slowest.rounded())))
    }
}

/// JRN-EVB-002: the events of a stopped and of an arrived journey, as received.
struct EventShapeProbe: Probe {
    let kind = "events"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST stop-journey ×1", "POST updates ×1", "POST arrived ×1", "wait ≤ \(Judge.format(spec.number("waitSeconds", default: 3))) s for the events"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        if let missing = run.eventsMissing {
            for fact in ["startedEvent", "endedOnStop", "endedOnArrival"] { run.record(fact, .unobserved(missing)) }
            return
        }
        let wait = spec.number("waitSeconds", default: 3)
        let stopped = try await run.fixture()
        try await run.startJourney(stopped)
        try await run.require(200, "stop", .stopJourney, stopped)
        let arrived = try await run.fixture()
        try await run.startJourney(arrived)
        try await run.place("update at the student's home", arrived, at: arrived.studentHome.north(ProbeFixture.atHomeMeters))
        try await run.require(200, "arrived", .arrived, arrived)

        let started = await run.awaitEvents(sessionId: stopped.sessionId, detailType: "TrainerJourneyStarted", within: wait)
        let endedStop = await run.awaitEvents(sessionId: stopped.sessionId, detailType: "TrainerJourneyEnded", within: wait)
        let endedArrival = await run.awaitEvents(sessionId: arrived.sessionId, detailType: "TrainerJourneyEnded", within: wait)
        run.record("startedEvent", .strings(Self.shape(started.first, values: [])))
        run.record("endedOnStop", .strings(Self.shape(endedStop.first, values: ["reason"])))
        run.record("endedOnArrival", .strings(Self.shape(endedArrival.first, values: ["reason"])))
        run.eventField("reason", of: "TrainerJourneyEnded", for: stopped.sessionId)
        run.eventField("reason", of: "TrainerJourneyEnded", for: arrived.sessionId)
    }

    /// The event as comparable names: envelope values, detail field names, and chosen detail values.
    static func shape(_ event: EventBridgeEndpoint.Received?, values: [String]) -> [String] {
        guard let event else { return [] }
        var names = [
            "X-Amz-Target=\(event.target ?? "-")",
            "EventBusName=\(event.busName ?? "-")",
            "Source=\(event.source ?? "-")",
            "DetailType=\(event.detailType ?? "-")",
        ]
        names += event.detail.keys.sorted().map { "detail.\($0)" }
        names += values.compactMap { key in event.detail[key].map { "detail.\(key)=\($0)" } }
        return names.sorted()
    }
}
