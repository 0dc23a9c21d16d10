import Logging
import PostgresNIO

/// The stores a trip reference runs on, chosen from its configuration: embedded, or PostgreSQL
/// (whose connection pool runs as `background` beside the listeners). Under
/// `idempotency-in-cache` the keys live in process memory with the cache's short TTL whatever
/// the store, so a restart forgets them too.
struct TripBacking: Sendable {
    var store: any TripStore
    var keys: any IdempotencyKeyStore
    /// "embedded", or the PostgreSQL URL with its password masked.
    var description: String
    var background: (@Sendable () async -> Void)?

    static func open(_ c: TripReferenceConfiguration, logger: Logger) async throws -> TripBacking {
        let cache = c.faults.contains(.idempotencyInCache) ? EmbeddedIdempotencyKeys(retention: c.idempotencyCacheSeconds) : nil
        guard let url = c.postgresURL else {
            return TripBacking(store: EmbeddedTripStore(), keys: cache ?? EmbeddedIdempotencyKeys(), description: "embedded")
        }
        let location = try PostgresLocation(url)
        try await PostgresTripSchema.prepare(location, logger: logger)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        return TripBacking(store: PostgresTripStore(client: client, logger: logger),
                           keys: cache ?? PostgresIdempotencyKeys(client: client, logger: logger),
                           description: location.masked, background: { await client.run() })
    }
}
