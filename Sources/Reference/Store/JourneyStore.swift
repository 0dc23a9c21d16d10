/// Where every piece of journey state lives. Two implementations: `RedisStore` (a real Redis)
/// and `EmbeddedStore` (in-process, for the oracle run and the demo).
///
/// The operations are exactly the Redis commands the contract names, so the fault switches can
/// reproduce the seeds' mistakes command for command (e.g. `exists` then `set` instead of `setIfAbsent`).
public protocol JourneyStore: Sendable {
    func get(_ key: String) async throws -> String?
    /// `SET key value [EX ttl]`; `ttl == nil` writes a key that never expires.
    func set(_ key: String, _ value: String, ttl: Int?) async throws
    /// `SET key value [EX ttl] NX`: the atomic claim that makes concurrent starts safe. True when set.
    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool
    func exists(_ key: String) async throws -> Bool
    func delete(_ keys: [String]) async throws
    /// `SET key value KEEPTTL`: the fault `location-ttl-not-refreshed`.
    func setKeepingTTL(_ key: String, _ value: String) async throws
    /// `HSET key field value… ` then `EXPIRE key ttl`: the variant `location-hash`.
    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws
    /// `HGETALL key`; nil when the key does not exist.
    func getHash(_ key: String) async throws -> [String: String]?
}

/// The store could not answer: refused, closed, timed out or replied with an error.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "state store unavailable: \(reason)" }
}
