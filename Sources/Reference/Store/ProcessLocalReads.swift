/// The fault `in-memory-state`: journey and location state read from this process's memory.
/// Writes go to the shared store first (so every Redis key and TTL looks right, and a store
/// outage still fails the call closed), then to a process-local copy that every read uses: a
/// call that lands on another instance does not see the journey (seeds/003's `activeTravelSessions`).
struct ProcessLocalReads: JourneyStore {
    let shared: any JourneyStore
    let local = EmbeddedStore()

    func get(_ key: String) async throws -> String? { try await local.get(key) }
    func exists(_ key: String) async throws -> Bool { try await local.exists(key) }
    func getHash(_ key: String) async throws -> [String: String]? { try await local.getHash(key) }

    func set(_ key: String, _ value: String, ttl: Int?) async throws {
        try await shared.set(key, value, ttl: ttl)
        try await local.set(key, value, ttl: ttl)
    }

    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool {
        guard try await shared.setIfAbsent(key, value, ttl: ttl) else { return false }
        try await local.set(key, value, ttl: ttl)
        return true
    }

    func delete(_ keys: [String]) async throws {
        try await shared.delete(keys)
        try await local.delete(keys)
    }

    func setKeepingTTL(_ key: String, _ value: String) async throws {
        try await shared.setKeepingTTL(key, value)
        try await local.setKeepingTTL(key, value)
    }

    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws {
        try await shared.setHash(key, fields, ttl: ttl)
        try await local.setHash(key, fields, ttl: ttl)
    }
}
