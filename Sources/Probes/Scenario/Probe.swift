import Wire
import Checks
import Foundation

/// One kind of scenario (`probe.kind` in a rule). It runs the same steps on whatever system it
/// is given and records facts; it never judges them (the rule's `compare` does, in Checks).
public protocol Probe: Sendable {
    var kind: String { get }
    /// Runs alone, with no other probe in flight (it changes something shared, like the EventBridge mode).
    var exclusive: Bool { get }
    /// Runs after every other rule (it takes something shared away, like the store).
    var runsLast: Bool { get }
    /// Waits minutes on the target (a TTL): run only when asked for (`--long`, `long: true`).
    var long: Bool { get }
    /// The requests it sends to the target, for `--dry-run`: an upper bound, in words.
    func plan(_ spec: ProbeSpec) -> [String]
    /// Fresh fixtures it consumes.
    func fixturesNeeded(_ spec: ProbeSpec) -> Int
    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws
}

extension Probe {
    public var exclusive: Bool { false }
    public var runsLast: Bool { false }
    public var long: Bool { false }
}

/// Runs a probe on a system and turns whatever happens into an Observation: a probe that
/// throws becomes an observation with a `failure`, never a crash, and keeps the facts it
/// recorded before (a differing one still fails the rule).
public enum Prober {
    public static func observe(_ probe: any Probe, _ spec: ProbeSpec, on system: ProbeSystem) async -> Observation {
        let run = ProbeRun(system: system)
        let clock = ContinuousClock()
        let start = clock.now
        var failure: String?
        do {
            try await probe.run(spec, run)
        } catch let error as ProbeError {
            failure = error.description
        } catch {
            failure = WireErrors.plain(error)
        }
        await run.cleanUp()
        var observation = run.observation()
        observation.failure = failure
        observation.seconds = (clock.now - start).inSeconds
        return observation
    }
}

/// Every probe kind, by name.
public enum ProbeCatalog {
    public static let all: [any Probe] = [
        RaceProbe(), JourneyTTLProbe(), LocationTTLProbe(), RateKeyProbe(), EventBridgeFailureProbe(), EventShapeProbe(),
        GoneProbe(), RateLimitProbe(), SpoofProbe(), OwnershipProbe(), AuthProbe(), ArrivalProbe(), CleanupProbe(), CacheProbe(),
        WebSocketHandlersProbe(), SourceProbe(), FailClosedProbe(), StatelessProbe(), ScaleProbe(),
        StoreDeadlineProbe(), NotScheduledProbe(), RetryProbe(), ExpiryProbe(), ErrorAnswersProbe(), AnswerShapesProbe(),
        // The trip pack (docs/contract/trip.md).
        TripRaceProbe(), TripConflictProbe(), IdempotentReplayProbe(), KeyReuseProbe(), ConcurrentKeyProbe(), DurableKeyProbe(),
        TripAvailabilityProbe(), TripRateProbe(), TripRateClassesProbe(),
    ]

    public static func probe(_ kind: String) -> (any Probe)? {
        all.first { $0.kind == kind }
    }
}
