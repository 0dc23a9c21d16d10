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
}

/// The store could not answer: refused, closed, timed out or replied with an error.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "state store unavailable: \(reason)" }
}
