import Synchronization
import Wire

/// An in-process key-value store with Redis's TTL semantics, so the oracle needs no Redis.
///
/// Every command is a suspension point, as every command to a real Redis is (a network round
/// trip): other requests run between two commands of one request. Without it, a check-then-set
/// would be atomic by accident here and a faulted reference could not show its race.
///
/// Expiry is lazy (an expired key is invisible from the instant it expires) plus a sweep every
/// few thousand writes, so a long load run does not accumulate dead keys. Strings, and hashes
/// for the `location-hash` variant.
public final class EmbeddedStore: JourneyStore {
    struct Entry {
        var value: String
        var expiresAt: ContinuousClock.Instant?
        /// Set for a hash key (`value` is then unused).
        var hash: [String: String]? = nil
    }

    static let wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

    struct State {
        var entries: [String: Entry] = [:]
        var writesSinceSweep = 0
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// How far this store's time runs ahead of the real clock: the oracle moves it forward instead
    /// of waiting out a TTL (JRN-EXPIRY-001). Only expiry sees it.
    private let offset = Mutex(Duration.zero)
    private var now: ContinuousClock.Instant { clock.now.advanced(by: offset.withLock { $0 }) }

    /// Moves this store's time forward: every TTL runs down by `duration` at once.
    public func advance(by duration: Duration) {
        offset.withLock { $0 += duration }
    }

    public init() {}

    public func get(_ key: String) async throws -> String? {
        try await roundTrip()
        let now = self.now
        let entry = state.withLock { $0.live(key, now: now) }
        if entry?.hash != nil { throw StoreUnavailable(Self.wrongType) }
        return entry?.value
    }

    public func setKeepingTTL(_ key: String, _ value: String) async throws {
        try await roundTrip()
        _ = keepTTLWrite(key, value)
    }

    /// `SET key value KEEPTTL` without the round trip.
    func keepTTLWrite(_ key: String, _ value: String) -> RESPValue {
        let now = self.now
        state.withLock { state in
            state.entries[key] = Entry(value: value, expiresAt: state.live(key, now: now)?.expiresAt)
            state.noteWrite(now: now)
        }
        return .simpleString("OK")
    }

    public func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws {
        try await roundTrip()
        writeHash(key, fields, ttl: .seconds(ttl))
    }

    public func getHash(_ key: String) async throws -> [String: String]? {
        try await roundTrip()
        let now = self.now
        guard let entry = state.withLock({ $0.live(key, now: now) }) else { return nil }
        guard let hash = entry.hash else { throw StoreUnavailable(Self.wrongType) }
        return hash
    }

    /// `HSET` (merging fields) with an expiry; nil `ttl` keeps the key's current one.
    func writeHash(_ key: String, _ fields: [String: String], ttl: Duration?) {
        let now = self.now
        state.withLock { state in
            let existing = state.live(key, now: now)
            let merged = (existing?.hash ?? [:]).merging(fields) { _, new in new }
            state.entries[key] = Entry(value: "", expiresAt: ttl.map { now + $0 } ?? existing?.expiresAt, hash: merged)
            state.noteWrite(now: now)
        }
    }

    /// `EXPIRE` semantics: true when the key exists.
    func expire(_ key: String, after ttl: Duration) -> Bool {
        let now = self.now
        return state.withLock { state in
            guard var entry = state.live(key, now: now) else { return false }
            entry.expiresAt = now + ttl
            state.entries[key] = entry
            return true
        }
    }

    public func set(_ key: String, _ value: String, ttl: Int?) async throws {
        try await roundTrip()
        _ = write(key, value, ttl: ttl.map { .seconds($0) }, onlyIfAbsent: false)
    }

    public func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool {
        try await roundTrip()
        return write(key, value, ttl: ttl.map { .seconds($0) }, onlyIfAbsent: true)
    }

    public func exists(_ key: String) async throws -> Bool {
        try await roundTrip()
        let now = self.now
        return state.withLock { $0.live(key, now: now) != nil }
    }

    public func delete(_ keys: [String]) async throws {
        try await roundTrip()
        _ = remove(keys)
    }

    /// `SET` semantics without the round trip; true when written.
    func write(_ key: String, _ value: String, ttl: Duration?, onlyIfAbsent: Bool) -> Bool {
        let now = self.now
        let entry = Entry(value: value, expiresAt: ttl.map { now + $0 })
        return state.withLock { state in
            if onlyIfAbsent, state.live(key, now: now) != nil { return false }
            state.entries[key] = entry
            state.noteWrite(now: now)
            return true
        }
    }

    /// `DEL` semantics; the number of live keys removed.
    func remove(_ keys: [String]) -> Int {
        let now = self.now
        return state.withLock { state in
            keys.reduce(0) { count, key in
                let wasLive = state.live(key, now: now) != nil
                state.entries[key] = nil
                return count + (wasLive ? 1 : 0)
            }
        }
    }

    // MARK: simulated outage (the oracle's side of the fail-closed rule)

    /// How the store misbehaves while cut: refuses at once, or says nothing until the caller's timeout.
    public enum Outage: Sendable, Equatable {
        case down
        case timeout(after: Duration)
    }

    private let outage = Mutex<Outage?>(nil)

    /// Cuts (or, with nil, restores) the store, as a proxy in front of a real Redis would.
    public func simulate(_ outage: Outage?) {
        self.outage.withLock { $0 = outage }
    }

    /// Every command is a suspension point, and fails as the simulated outage says.
    private func roundTrip() async throws {
        await Task.yield()
        switch outage.withLock({ $0 }) {
        case nil:
            return
        case .down:
            throw StoreUnavailable("connection refused (simulated outage)")
        case .timeout(let after):
            try await Task.sleep(for: after)
            throw StoreUnavailable("the store did not answer in time (simulated outage)")
        }
    }

    /// A consistent view for the read-only RESP port: the value (or hash) and remaining time of each live key.
    func read<T>(_ body: (_ lookup: (String) -> (value: String, hash: [String: String]?, remaining: Duration?)?, _ keys: () -> [String]) -> T) -> T {
        let now = self.now
        return state.withLock { state in
            body(
                { key in state.live(key, now: now).map { ($0.value, $0.hash, $0.expiresAt.map { $0 - now }) } },
                { state.entries.compactMap { key, entry in (entry.expiresAt.map { $0 > now } ?? true) ? key : nil } }
            )
        }
    }
}

extension EmbeddedStore.State {
    func live(_ key: String, now: ContinuousClock.Instant) -> EmbeddedStore.Entry? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry
    }

    mutating func noteWrite(now: ContinuousClock.Instant) {
        writesSinceSweep += 1
        guard writesSinceSweep >= 4096 else { return }
        writesSinceSweep = 0
        entries = entries.filter { $0.value.expiresAt.map { $0 > now } ?? true }
    }
}
