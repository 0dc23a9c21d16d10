import Checks
import Foundation
import Wire

/// JRN-EVB-001: with EventBridge failing in each way the contract lists, start, arrived and stop
/// still answer as the reference does, in time, and leave the same Redis state.
struct EventBridgeFailureProbe: Probe {
    let kind = "evb-failure"
    let exclusive = true
    static let modes: [EventBridgeEndpoint.Mode] = [.failedEntries, .serverError, .throttle, .hang]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["for each of \(Self.modes.map(\.rawValue).joined(separator: ", ")): POST start-journey ×2, POST updates ×1, POST arrived ×1, POST stop-journey ×1",
         "EXISTS journey:active:{id} after each start and stop"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { Self.modes.count * 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let endpoint = run.system.events else {
            throw ProbeError("eventbridge.listen is not configured, so EventBridge failures cannot be injected")
        }
        var starts: [String] = [], arrivals: [String] = [], stops: [String] = [], afterStart: [String] = [], afterStop: [String] = []
        var slowest = 0.0
        defer { endpoint.setMode(.accept) }
        for mode in Self.modes {
            endpoint.setMode(mode)
            run.note("EventBridge", "now answering: \(mode.rawValue)")
            let clock = ContinuousClock()
            func timed(_ body: () async throws -> HTTPResponseData) async throws -> Int {
                let start = clock.now
                let response = try await body()
                let elapsed = clock.now - start
                slowest = max(slowest, elapsed.inMilliseconds)
                return response.status
            }
            let a = try await run.fixture()
            starts.append("\(mode.rawValue): \(try await timed { try await run.call("start (EventBridge \(mode.rawValue))", .startJourney, a, as: .trainer) })")
            afterStart.append("\(mode.rawValue): \(await run.exists(StateKeys.journeyActive(a.sessionId)))")
            try await run.update("update near home", a, at: a.studentHome.north(30))
            arrivals.append("\(mode.rawValue): \(try await timed { try await run.call("arrived (EventBridge \(mode.rawValue))", .arrived, a, as: .trainer) })")

            let b = try await run.fixture()
            _ = try await timed { try await run.call("start (EventBridge \(mode.rawValue))", .startJourney, b, as: .trainer) }
            stops.append("\(mode.rawValue): \(try await timed { try await run.call("stop (EventBridge \(mode.rawValue))", .stopJourney, b, as: .trainer) })")
            afterStop.append("\(mode.rawValue): \(await run.exists(StateKeys.journeyActive(b.sessionId)))")
        }
        run.record("startAnswers", .strings(starts))
        run.record("arrivedAnswers", .strings(arrivals))
        run.record("stopAnswers", .strings(stops))
        run.record("slowestMilliseconds", .int(Int(slowest.rounded())))
        run.record("journeyKeyAfterStart", run.system.redis == nil ? .unobserved("no redis.url configured") : .strings(afterStart))
        run.record("journeyKeyAfterStop", run.system.redis == nil ? .unobserved("no redis.url configured") : .strings(afterStop))
    }
}

/// JRN-EVB-002: the events of a stopped and of an arrived journey, as received.
struct EventShapeProbe: Probe {
    let kind = "events"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST stop-journey ×1", "POST updates ×1", "POST arrived ×1", "wait ≤ \(spec.number("waitSeconds", default: 3)) s for the events"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard run.system.events != nil else {
            for fact in ["startedEvent", "endedOnStop", "endedOnArrival"] { run.record(fact, .unobserved("no eventbridge.listen configured")) }
            return
        }
        let wait = spec.number("waitSeconds", default: 3)
        let stopped = try await run.fixture()
        try await run.startJourney(stopped)
        try await run.call("stop", .stopJourney, stopped, as: .trainer)
        let arrived = try await run.fixture()
        try await run.startJourney(arrived)
        try await run.update("update near home", arrived, at: arrived.studentHome.north(30))
        try await run.call("arrived", .arrived, arrived, as: .trainer)

        let started = await run.awaitEvents(sessionId: stopped.sessionId, detailType: "TrainerJourneyStarted", within: wait)
        let endedStop = await run.awaitEvents(sessionId: stopped.sessionId, detailType: "TrainerJourneyEnded", within: wait)
        let endedArrival = await run.awaitEvents(sessionId: arrived.sessionId, detailType: "TrainerJourneyEnded", within: wait)
        run.record("startedEvent", .strings(Self.shape(started.first, values: [])))
        run.record("endedOnStop", .strings(Self.shape(endedStop.first, values: ["reason"])))
        run.record("endedOnArrival", .strings(Self.shape(endedArrival.first, values: ["reason"])))
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
