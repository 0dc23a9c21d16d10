import Logging

/// The stores a trip reference runs on, chosen from its configuration: embedded, or PostgreSQL
/// (whose connection pool runs as `background` beside the listeners). Under
/// `idempotency-in-cache` the keys live in process memory with the cache's short TTL whatever
/// the store.
struct TripBacking: Sendable {
    var store: any TripStore
    var keys: any IdempotencyKeyStore
    /// "embedded", or the PostgreSQL URL with its password masked.
    var description: String
    var background: (@Sendable () async -> Void)?

    static func open(_ c: TripReferenceConfiguration, logger: Logger) async throws -> TripBacking {
        let cache = c.faults.contains(.idempotencyInCache) ? EmbeddedIdempotencyKeys(retention: c.idempotencyCacheSeconds) : nil
        return TripBacking(store: EmbeddedTripStore(), keys: cache ?? EmbeddedIdempotencyKeys(), description: "embedded")
    }
}
