/// `--ttl-scale`: every TTL the service writes, times `scale` (at least 1 s), so a test can watch a
/// 300 s location key expire in 3 s. The rate window's key keeps its 5 s: it is a window, not a
/// lifetime, and the rate rules read it. For the reference's own tests only: a scaled reference
/// fails the TTL rules by design.
struct ScaledTTLStore: JourneyStore {
    let base: any JourneyStore
    let scale: Double

    private func scaled(_ ttl: Int, _ key: String) -> Int {
        key.hasPrefix("location:rate:") ? ttl : max(1, Int((Double(ttl) * scale).rounded()))
    }

    func set(_ key: String, _ value: String, ttl: Int?) async throws { try await base.set(key, value, ttl: ttl.map { scaled($0, key) }) }
    func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool {
        try await base.setIfAbsent(key, value, ttl: ttl.map { scaled($0, key) })
    }
    func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws { try await base.setHash(key, fields, ttl: scaled(ttl, key)) }
    func get(_ key: String) async throws -> String? { try await base.get(key) }
    func exists(_ key: String) async throws -> Bool { try await base.exists(key) }
    func delete(_ keys: [String]) async throws { try await base.delete(keys) }
    func setKeepingTTL(_ key: String, _ value: String) async throws { try await base.setKeepingTTL(key, value) }
    func getHash(_ key: String) async throws -> [String: String]? { try await base.getHash(key) }
}
