import Synchronization

/// The fault `stale-location`: this instance keeps the last location it wrote in a cache without
/// expiry and reads it whenever the location key is gone (a stop or an arrival deletes both). So
/// after the trainer's app goes quiet and the 300 s TTL ends, the student still sees a point.
final class StaleLocationReads: JourneyStore {
    let base: any JourneyStore
    private let cache = Mutex<[String: (value: String?, hash: [String: String]?)]>([:])

    init(base: any JourneyStore) { self.base = base }

    private static func isLocation(_ key: String) -> Bool { key.hasPrefix("location:trainer:") }

    func get(_ key: String) async throws -> String? {
        if let value = try await base.get(key) { return value }
        return Self.isLocation(key) ? cache.withLock { $0[key]?.value } : nil
    }

    func getHash(_ key: String) async throws -> [String: String]? {
        if let hash = try await base.getHash(key) { return hash }
        return Self.isLocation(key) ? cache.withLock { $0[key]?.hash } : nil
    }

    func set(_ key: String, _ value: String, ttl: Int?) async throws {
        try await base.set(key, value, ttl: ttl)
        if Self.isLocation(key) { cache.withLock { $0[key] = (value, nil) } }
    }

    func setKeepingTTL(_ key: String, _ value: String) async throws {
        try await base.setKeepingTTL(key, value)
        if Self.isLocation(key) { cache.withLock { $0[key] = (value, nil) } }
    }

    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws {
        try await base.setHash(key, fields, ttl: ttl)
        if Self.isLocation(key) { cache.withLock { $0[key] = (nil, fields) } }
    }

    func delete(_ keys: [String]) async throws {
        try await base.delete(keys)
        cache.withLock { cache in for key in keys { cache[key] = nil } }
    }

    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool { try await base.setIfAbsent(key, value, ttl: ttl) }
    func exists(_ key: String) async throws -> Bool { try await base.exists(key) }
}
