/// A switch that turns the reference into one of the wrong implementations the seeds describe.
/// Each fault is what a rule must catch: the faulted reference is the auditor's own test target.
public enum Fault: String, CaseIterable, Sendable, Codable, Comparable {
    /// seeds/002 §Race condition: `EXISTS` then `SETEX`, two round trips, so concurrent starts both win.
    case checkThenSet = "check-then-set"
    /// seeds/002 §EventBridge error handling: a failed PutEvents is awaited and turns the answer into 500.
    case evbThrows = "evb-throws"
    /// seeds/001 Issue #2: no ended marker, so a late update after the journey ends answers 404, not 410.
    case goneAs404 = "gone-as-404"
    /// seeds/003: Socket.IO `trainerLocation`/`startTravel` handlers with an in-memory `activeTravelSessions` map.
    case wsLocationHandlers = "ws-location-handlers"
    /// `journey:active:*` written without expiry: a crashed client leaves a journey active forever.
    case journeyNoTTL = "journey-no-ttl"
    /// The location key lives an hour instead of 300 s: stale positions outlive the journey.
    case locationTTL3600 = "location-ttl-3600"
    /// No rate key and no 429.
    case noRateLimit = "no-rate-limit"
    /// No 120 km/h plausibility check: spoofed jumps are accepted.
    case noSpeedCheck = "no-speed-check"
    /// Live polling does not check that the caller is the session's student.
    case leakyLive = "leaky-live"
    /// seeds/001 §SETNX timeout: a store error or timeout during start is read as "already exists" (409).
    case failOpen409 = "fail-open-409"
    /// Journey and location state in process memory: a second instance does not see the journey.
    case inMemoryState = "in-memory-state"
    /// Stop and arrived leave the journey and location keys in place.
    case noCleanup = "no-cleanup"
    /// Nothing is published to EventBridge.
    case noEvents = "no-events"
    /// `arrived` succeeds at any distance from the student's home.
    case noArrivalRadius = "no-arrival-radius"
    /// Live polling answers without a valid token (the route was left out of the auth middleware).
    case noAuthOnLive = "no-auth-on-live"
    /// Start does not write `session:meta:{id}`: every poll goes to the database.
    case noSessionCache = "no-session-cache"
    /// Every store command takes 60 ms longer (an overloaded or far-away Redis): fine for one
    /// request, too slow under the journey-shaped load.
    case slowStore = "slow-store"

    public static func < (a: Fault, b: Fault) -> Bool { a.rawValue < b.rawValue }

    /// Every valid name, for usage errors.
    public static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
