/// A switch that turns the reference into one of the wrong implementations the seeds describe.
/// Each fault is what a rule must catch: the faulted reference is the auditor's own test target.
public enum Fault: String, ReferenceSwitch {
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
    /// Journey and location state read from process memory (written to Redis too, so every key
    /// looks right): a call that lands on another instance does not see the journey.
    case inMemoryState = "in-memory-state"
    /// Stop and arrived leave the location key in place, and live polling shows the location
    /// whenever that key exists (seeds/003's polling), so the student still sees the trainer.
    case noCleanup = "no-cleanup"
    /// Nothing is published to EventBridge.
    case noEvents = "no-events"
    /// `arrived` succeeds at any distance from the student's home.
    case noArrivalRadius = "no-arrival-radius"
    /// Live polling answers without a valid token (the route was left out of the auth middleware).
    case noAuthOnLive = "no-auth-on-live"
    /// Start does not write `session:meta:{id}`: every poll goes to the database.
    case noSessionCache = "no-session-cache"
    /// Every store command takes 120 ms longer (an overloaded or far-away Redis): fine for one
    /// request, too slow under the journey-shaped load.
    case slowStore = "slow-store"
    /// An update that exists already keeps its TTL (`SET … KEEPTTL`): the location outlives the
    /// trainer's last update by up to 300 s minus the journey so far.
    case locationTTLNotRefreshed = "location-ttl-not-refreshed"
    /// The rate key lives 60 s (the window itself is still checked against its timestamp).
    case rateKeyTTL60 = "rate-key-ttl-60"
    /// PutEvents is awaited inside the request with a 10 s client timeout; errors are swallowed,
    /// so answers stay right but a hanging EventBridge holds every start, stop and arrival.
    case evbNoTimeout = "evb-no-timeout"
    /// TrainerJourneyEnded after an arrival says reason `cancelled`.
    case wrongEndReason = "wrong-end-reason"
    /// Any update without an active journey answers 410, even for a session that never started.
    case always410 = "always-410"
    /// Stop and arrived overwrite `journey:active:*` with status "ended" instead of deleting it
    /// (every call reads "ended" as not active, but the key stays an hour).
    case journeyKeptAsEnded = "journey-kept-as-ended"
    /// 429 without `Retry-After`.
    case noRetryAfter = "no-retry-after"
    /// The implied speed is computed in metres per hour and compared with 120 as if it were km/h:
    /// every real movement is "implausible".
    case speedUnitBug = "speed-unit-bug"
    /// Start, update, arrived and stop do not check that the caller is the session's trainer.
    case noTrainerOwnership = "no-trainer-ownership"
    /// Ownership asks only "is the caller a party of this session?": the session's student can
    /// start, move, arrive and stop its trainer's journey, and the trainer can poll live.
    case partyOwnership = "party-ownership"
    /// The speed limit moved up (130 km/h): a move at 126 km/h passes.
    case speedLimit130 = "speed-limit-130"
    /// The speed limit moved down (110 km/h): a move at 114 km/h is refused.
    case speedLimit110 = "speed-limit-110"
    /// The limit read as 120 mph (193 km/h): a unit mistake.
    case speedLimitMph = "speed-limit-mph"
    /// The arrival radius moved out (165 m): arrival 160 m away passes.
    case arrivalRadius165 = "arrival-radius-165"
    /// The arrival radius moved in (135 m): arrival 140 m away is refused.
    case arrivalRadius135 = "arrival-radius-135"
    /// Start and live polling check the caller against the session before they check it exists:
    /// an unknown session answers 403 (its trainer and student are nobody).
    case unknownSession403 = "unknown-session-403"
    /// Stop is "idempotent" (200 with no journey active), and arrived checks only the location
    /// (400 "no location yet" with no journey active): neither answers the contract's 404.
    case endWithoutJourney200 = "end-without-journey-200"
    /// Coordinates are not range-checked: latitude 91 goes on to the journey check.
    case noRangeCheck = "no-range-check"
    /// The journey is looked up before the body is validated (only its sessionId is read first).
    case bodyAfterJourney = "body-after-journey"
    /// The body is parsed before the caller is authenticated: a bad body without a token is 400.
    case bodyBeforeAuth = "body-before-auth"
    /// Time fields in snake case (`started_at`, `stopped_at`, `arrived_at`, `last_update`, and the
    /// update's `created_at` for `timestamp`): the status is right, the app reads nothing.
    case snakeCaseTimes = "snake-case-times"
    /// Live polling rounds the point to 3 decimals (about 110 m), "for privacy", on a map that
    /// must show where the trainer is.
    case livePointRounded = "live-point-rounded"
    /// Bodies without the `success` flag (message and data kept).
    case noSuccessFlag = "no-success-flag"
    /// `journey:ended:*` written without expiry: one key per ended journey, forever.
    case endedNoTTL = "ended-no-ttl"
    /// 429 with `Retry-After: 60` (a minute, not the 5 s window).
    case retryAfter60 = "retry-after-60"
    /// 429 with the wait in milliseconds as `Retry-After` (seconds): a unit mistake.
    case retryAfterMs = "retry-after-ms"
    /// The auth middleware accepts any Bearer token it cannot verify, as an unknown user.
    case anyBearerAccepted = "any-bearer-accepted"
    /// Arrival is accepted only within 15 m of the student's home (150 m misread as 0.015 km).
    case arrivalRadius15m = "arrival-radius-15m"
    /// A Socket.IO `subscribeToTrainerLocation` handler that never acks, and every accepted HTTP
    /// update pushed to the student as `location_{trainerId}` (seeds/003's subscription).
    case wsSubscribePush = "ws-subscribe-push"
    /// A Socket.IO `startTravel` handler starts the journey in the store, silently (no ack, no emit).
    case wsStartHandler = "ws-start-handler"
    /// The store connection is never re-opened once it drops: after an outage every call is 503.
    case noStoreReconnect = "no-store-reconnect"
    /// seeds/003 API #1 ignored: start does not check the session's status, so a completed or
    /// cancelled session gets a journey.
    case startAnySession = "start-any-session"
    /// An update refused by the rate limit has already rewritten the stored point (the write runs
    /// before the 429 is answered; the contract's order is rate limit, speed, then write): a
    /// retried update still answers 429, but the student's map shows it as new.
    case writeBeforeRateCheck = "write-before-rate-check"
    /// No deadline on store commands (seeds/001's timeout wrappers left out): while Redis is slow
    /// or silent, every call waits as long as it does (until the connection is given up, 30 s).
    case noStoreTimeout = "no-store-timeout"
    /// The last location this instance wrote is cached without expiry and served when the key is
    /// gone: after the trainer's app goes quiet, the student still sees a point past its 300 s.
    case staleLocation = "stale-location"
}
