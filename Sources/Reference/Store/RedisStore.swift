import NIOCore
import Wire

/// The store on a real Redis, over one pipelined RESP connection that is re-opened on demand.
///
/// Re-opening matters for fail-closed behaviour: when Redis is cut, every call fails fast with
/// `StoreUnavailable` (→ 503), and when it comes back the next call reconnects by itself.
public final class RedisStore: JourneyStore {
    private let connections: ConnectionSlot
    /// Where a pub/sub subscriber connects: its own connection, since one in subscribe mode
    /// accepts no other command.
    let subscriberSettings: SubscriberSettings

    struct SubscriberSettings: Sendable {
        let url: RedisURL
        let tls: TLSClient?
        let timeout: TimeAmount
    }

    /// `reconnect: false` is the fault `no-store-reconnect`: once the connection drops, it stays down.
    /// `tls`: for a `rediss://` URL (nil: the system's CAs).
    public init(url: RedisURL, tls: TLSClient? = nil, timeout: TimeAmount = .seconds(1), reconnect: Bool = true) {
        connections = ConnectionSlot(url: url, tls: tls, timeout: timeout, reconnect: reconnect)
        subscriberSettings = SubscriberSettings(url: url, tls: tls, timeout: timeout)
    }

    public func get(_ key: String) async throws -> String? {
        let reply = try await run(["GET", key])
        return reply.isNull ? nil : reply.string
    }

    public func set(_ key: String, _ value: String, ttl: Int?) async throws {
        try await run(["SET", key, value] + (ttl.map { ["EX", String($0)] } ?? []))
    }

    public func setIfAbsent(_ key: String, _ value: String, ttl: Int?) async throws -> Bool {
        let reply = try await run(["SET", key, value] + (ttl.map { ["EX", String($0)] } ?? []) + ["NX"])
        return !reply.isNull
    }

    public func exists(_ key: String) async throws -> Bool {
        try await run(["EXISTS", key]).int == 1
    }

    public func setKeepingTTL(_ key: String, _ value: String) async throws {
        try await run(["SET", key, value, "KEEPTTL"])
    }

    public func setHash(_ key: String, _ fields: [String: String], ttl: Int) async throws {
        try await run(["HSET", key] + fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })
        try await run(["EXPIRE", key, String(ttl)])
    }

    public func getHash(_ key: String) async throws -> [String: String]? {
        guard case .array(let items?) = try await run(["HGETALL", key]), !items.isEmpty else { return nil }
        var fields: [String: String] = [:]
        var iterator = items.makeIterator()
        while let name = iterator.next(), let value = iterator.next() {
            if let name = name.string { fields[name] = value.string }
        }
        return fields
    }

    public func delete(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await run(["DEL"] + keys)
    }

    /// `PUBLISH channel message` over the store's connection; returns how many subscribers got it.
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        try await run(["PUBLISH", channel, message]).int ?? 0
    }

    /// Checks that Redis answers, so `reference serve --redis` fails at start-up, not on the first
    /// request. A Redis that is still starting (or a busy machine) gets `patience` to answer.
    public func ping(patience: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                try await run(["PING"])
                return
            } catch {
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @discardableResult
    private func run(_ words: [String]) async throws -> RESPValue {
        do {
            let connection = try await connections.current()
            let reply = try await connection.send(words)
            if case .error(let message) = reply { throw StoreUnavailable("Redis error: \(message)") }
            return reply
        } catch let error as StoreUnavailable {
            throw error
        } catch {
            throw StoreUnavailable(WireErrors.plain(error))
        }
    }
}

/// Holds the live connection; concurrent callers share one connect attempt.
actor ConnectionSlot {
    private let url: RedisURL
    private let tls: TLSClient?
    private let timeout: TimeAmount
    private let reconnect: Bool
    private var connection: RESPConnection?
    private var connecting: Task<RESPConnection, Error>?
    private var everConnected = false

    init(url: RedisURL, tls: TLSClient?, timeout: TimeAmount, reconnect: Bool) {
        self.url = url
        self.tls = tls
        self.timeout = timeout
        self.reconnect = reconnect
    }

    func current() async throws -> RESPConnection {
        if let connection, connection.isActive { return connection }
        connection = nil
        if everConnected, !reconnect { throw StoreUnavailable("the store connection was lost and is not re-opened") }
        if let connecting { return try await connecting.value }
        let task = Task { [url, tls, timeout] in try await RESPConnection.connect(to: url, tls: tls, timeout: timeout) }
        connecting = task
        defer { connecting = nil }
        let fresh = try await task.value
        connection = fresh
        everConnected = true
        return fresh
    }
}
