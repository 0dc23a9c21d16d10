import Checks
import Wire

/// JRN-TTL-001: the TTL of `journey:active:{id}` right after a start.
struct JourneyTTLProbe: Probe {
    let kind = "ttl-journey"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1", "TTL journey:active:{id} (Redis, read-only)", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        run.record("journeyTTL", await run.ttl(StateKeys.journeyActive(f.sessionId)))
    }
}

/// JRN-TTL-002: the location key's TTL after an update, and after a second update at the same
/// point once the rate window passed (not moving keeps the speed check out of it).
struct LocationTTLProbe: Probe {
    let kind = "ttl-location"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×1", "POST updates ×2, \(Judge.format(spec.number("refreshAfterSeconds", default: 5.5))) s apart", "TTL location key ×2",
         "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        let key = StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)
        let point = f.studentHome.north(2000)
        try await run.place("update", f, at: point)
        run.record("locationTTL", await run.ttl(key))
        try await run.pause(spec.number("refreshAfterSeconds", default: 5.5), "past the rate window")
        try await run.place("update after the rate window", f, at: point)
        run.record("locationTTLAfterRefresh", await run.ttl(key))
    }
}

/// JRN-TTL-003: the rate key exists after an update, with a TTL within the window.
struct RateKeyProbe: Probe {
    let kind = "ttl-rate"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1", "POST updates ×1", "EXISTS, TTL location:rate:{trainerId}", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        try await run.place("update", f, at: f.studentHome.north(2000))
        run.record("rateKeyPresent", await run.exists(StateKeys.rate(f.trainer.id)))
        run.record("rateKeyTTL", await run.ttl(StateKeys.rate(f.trainer.id)))
    }
}

/// JRN-CACHE-001: `session:meta:{id}` exists after a start, with its TTL.
struct CacheProbe: Probe {
    let kind = "cache"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1", "EXISTS, TTL session:meta:{id}", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        run.record("sessionMetaPresent", await run.exists(StateKeys.sessionMeta(f.sessionId)))
        run.record("sessionMetaTTL", await run.ttl(StateKeys.sessionMeta(f.sessionId)))
    }
}
