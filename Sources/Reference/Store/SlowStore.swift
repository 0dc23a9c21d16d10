/// The fault `slow-store`: the same store, every command delayed, as an overloaded Redis would be.
struct SlowStore: JourneyStore {
    let base: any JourneyStore
    var delay: Duration = .milliseconds(120)

    private func wait() async throws { try await Task.sleep(for: delay) }

    func get(_ key: String) async throws -> String? { try await wait(); return try await base.get(key) }
    func set(_ key: String, _ value: String, ttl: Int?) async throws { try await wait(); try await base.set(key, value, ttl: ttl) }
    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool { try await wait(); return try await base.setIfAbsent(key, value, ttl: ttl) }
    func exists(_ key: String) async throws -> Bool { try await wait(); return try await base.exists(key) }
    func delete(_ keys: [String]) async throws { try await wait(); try await base.delete(keys) }
    func setKeepingTTL(_ key: String, _ value: String) async throws { try await wait(); try await base.setKeepingTTL(key, value) }
    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws { try await wait(); try await base.setHash(key, fields, ttl: ttl) }
    func getHash(_ key: String) async throws -> [String: String]? { try await wait(); return try await base.getHash(key) }
}
