/// A switch that turns the trip reference into one of the wrong implementations seed 004 describes
/// or leaves room for. Each is what a `trip` rule must catch: the faulted reference is the
/// auditor's own test target for that rule.
public enum TripFault: String, ReferenceSwitch {
    /// Seed 004 §1 "Before Fix": accept reads the trip and the driver, then (after a store round
    /// trip) writes driver, status and version unconditionally, so concurrent accepts can all get 200.
    case readThenWriteAccept = "read-then-write-accept"
    /// Seed 004 Deployment Step 3: an already-assigned trip answers 403 instead of the contract's
    /// 409 (only that case; a stale `version` still answers 409).
    case accept403 = "accept-403"
    /// Seed 004 §2 "Problem": idempotency keys kept in a cache that forgets them after
    /// `idempotencyCacheSeconds`, and in process memory, so a restart forgets them too.
    case idempotencyInCache = "idempotency-in-cache"
    /// Replays carry no `X-Idempotent-Replay` header (status and body are still replayed).
    case noReplayHeader = "no-replay-header"
    /// The same key with a different body replays the first request's answer instead of 422.
    case replayOtherBody = "replay-other-body"
    /// No in-flight marker: two concurrent requests with one key both look the key up, find
    /// nothing, and both execute (check, a store round trip, then store).
    case concurrentKeyDouble = "concurrent-key-double"
    /// Going offline or unavailable changes the driver's status but leaves its accepted trips
    /// accepted (seed 004 §3 "Problem": the two updated separately, or not at all).
    case offlineKeepsTrips = "offline-keeps-trips"
    /// Limits are enforced (429, its body, `Retry-After`) but no answer carries `X-RateLimit-*`.
    case noRatelimitHeaders = "no-ratelimit-headers"
    /// Every class lets limit + 1 requests through (`>` where `>=` was meant); the headers are
    /// computed with the same slip, so `X-RateLimit-Remaining` never shows the extra one.
    case ratelimitOffByOne = "ratelimit-off-by-one"
    /// `X-RateLimit-Reset` in Unix epoch milliseconds instead of the contract's seconds.
    case resetInMs = "reset-in-ms"
    /// The optional `version` of an accept is never read: a stale one is accepted (seed 004 §1's
    /// optimistic locking, claimed and not wired).
    case ignoreVersion = "ignore-version"
    /// A known key with another body still runs the request, and only then answers 422 (the
    /// body compared after the controller instead of before it).
    case mismatchRunsThen422 = "mismatch-runs-then-422"
    /// A request whose key is still in flight answers 500: the unique constraint of seed 004's
    /// table violated and surfaced as a server error instead of 409.
    case concurrentKey500 = "concurrent-key-500"
    /// The 429 has the framework's default body (`{"message": "Too Many Attempts."}`) instead of
    /// the seed's `{response_code, message, retry_after}`.
    case plain429Body = "plain-429-body"
    /// Seed 004's Deployment Step 4 skipped: the idempotency middleware is not applied to the
    /// routes, so every retry runs again (a second trip, a 409 for the driver's own accept).
    case idempotencyNotApplied = "idempotency-not-applied"
}
