/// The variant `store-reads-retried`: every read that fails (a timeout, most often) is tried once
/// more, each attempt bounded by the store's own timeout, as clients with a retry policy do.
/// Writes are never retried (a claim whose reply was lost may have landed: retrying it would read
/// as "already claimed"). A call may then wait on several timeouts in a row before its 503, and
/// that is right: the contract bounds each store operation, not a request.
struct RetriedReads: JourneyStore {
    let base: any JourneyStore

    private func twice<T>(_ read: () async throws -> T) async throws -> T {
        do { return try await read() } catch is StoreUnavailable { return try await read() }
    }

    func get(_ key: String) async throws -> String? { try await twice { try await base.get(key) } }
    func exists(_ key: String) async throws -> Bool { try await twice { try await base.exists(key) } }
    func getHash(_ key: String) async throws -> [String: String]? { try await twice { try await base.getHash(key) } }
    func set(_ key: String, _ value: String, ttl: Int?) async throws { try await base.set(key, value, ttl: ttl) }
    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool { try await base.setIfAbsent(key, value, ttl: ttl) }
    func delete(_ keys: [String]) async throws { try await base.delete(keys) }
    func setKeepingTTL(_ key: String, _ value: String) async throws { try await base.setKeepingTTL(key, value) }
    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws { try await base.setHash(key, fields, ttl: ttl) }
}
