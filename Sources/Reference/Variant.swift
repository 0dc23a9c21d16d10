/// A switch that makes the reference take the other side of a choice docs/contract/journey.md leaves open
/// (§Open choices). A variant is a right implementation: every rule must pass on every variant,
/// which is how the auditor proves it compares only what the contract pins.
public enum Variant: String, ReferenceSwitch {
    /// `location:rate:{trainerId}` written right after the rate check, before the speed check
    /// (seeds/003's fix): an update refused for speed or a bad point still uses the 5 s window.
    case rateKeyAtCheck = "rate-key-at-check"
    /// The location key is a hash (`HSET` + `EXPIRE`) with extra fields, not a JSON string.
    case locationHash = "location-hash"
    /// The Socket.IO endpoint accepts only its own origin (python-engineio's default): an
    /// upgrade with another `Origin` answers 400 "Not an accepted origin."
    case socketOwnOrigin = "socket-own-origin"
    /// `Retry-After` as an HTTP-date (RFC 9110 §10.2.3) instead of delay-seconds.
    case retryAfterDate = "retry-after-date"
    /// Every answer says `Connection: close` and the connection is closed after it.
    case connectionClose = "connection-close"
    /// Other message texts, and extra fields in every body and in `data`.
    case otherTexts = "other-texts"
    /// Events go out before the answer is written (the request gives the publish a head start,
    /// bounded; still after the state write and never awaited for its result).
    case eventsBeforeAnswer = "events-before-answer"
    /// Every store read that times out is tried once more (each attempt bounded by the timeout),
    /// and live polling's `session:meta` read fails open to the database: a call may wait on
    /// several timeouts in a row before it answers (seeds/001 bounds operations, not requests).
    case storeReadsRetried = "store-reads-retried"
}
