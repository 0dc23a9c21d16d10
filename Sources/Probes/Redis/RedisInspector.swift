import NIOCore
import Wire

/// Reads a deployment's Redis: only `TTL`, `PTTL`, `EXISTS`, `TYPE`, `GET`, `HGETALL`, `SCAN`, `PING`.
///
/// Safe to point at production by construction: there is no method that sends anything else,
/// so no probe can write, delete or expire a key by mistake.
public struct RedisInspector: Sendable {
    private let connection: RESPConnection

    public static func connect(_ url: RedisURL, tls: TLSClient? = nil, timeout: TimeAmount = .seconds(2)) async throws -> RedisInspector {
        RedisInspector(connection: try await RESPConnection.connect(to: url, tls: tls, timeout: timeout))
    }

    private init(connection: RESPConnection) { self.connection = connection }

    /// Seconds to live: -2 no such key, -1 no expiry.
    public func ttl(_ key: String) async throws -> Int { try await integer(["TTL", key]) }
    public func pttl(_ key: String) async throws -> Int { try await integer(["PTTL", key]) }
    public func exists(_ key: String) async throws -> Bool { try await integer(["EXISTS", key]) == 1 }
    public func type(_ key: String) async throws -> String { try await connection.checked(["TYPE", key]).string ?? "none" }
    public func ping() async throws { try await connection.checked(["PING"]) }

    public func get(_ key: String) async throws -> String? {
        let reply = try await connection.checked(["GET", key])
        return reply.isNull ? nil : reply.string
    }

    public func hgetall(_ key: String) async throws -> [String: String] {
        guard case .array(let items?) = try await connection.checked(["HGETALL", key]) else { return [:] }
        var result: [String: String] = [:]
        var iterator = items.makeIterator()
        while let field = iterator.next(), let value = iterator.next() {
            if let name = field.string { result[name] = value.string }
        }
        return result
    }

    /// Every key matching a glob, by full `SCAN` iteration (never `KEYS`, which blocks a busy Redis).
    /// Bounded: at most `maxRounds` round trips.
    public func scan(match pattern: String, maxRounds: Int = 1000) async throws -> [String] {
        var cursor = "0"
        var keys: Set<String> = []
        for _ in 0..<maxRounds {
            let reply = try await connection.checked(["SCAN", cursor, "MATCH", pattern, "COUNT", "500"])
            guard case .array(let parts?) = reply, parts.count == 2, let next = parts[0].string,
                  case .array(let batch?) = parts[1] else { throw RESPConnectionError.serverError("unexpected SCAN reply") }
            batch.compactMap(\.string).forEach { keys.insert($0) }
            cursor = next
            if cursor == "0" { break }
        }
        return keys.sorted()
    }

    public func close() { connection.close() }

    private func integer(_ words: [String]) async throws -> Int {
        guard let value = try await connection.checked(words).int else {
            throw RESPConnectionError.serverError("expected an integer reply to \(words[0])")
        }
        return value
    }
}

/// The Redis ACL user the auditor needs, and no more: exactly the commands `RedisInspector`
/// sends (plus `SELECT` for a database other than 0), on every key, no pub/sub channels.
/// `ACL SETUSER auditor on >PASSWORD ~* resetchannels -@all +ping +ttl +pttl +exists +type +get +hgetall +scan +select`
public enum ReadOnlyRedisUser {
    public static let commands = ["ping", "ttl", "pttl", "exists", "type", "get", "hgetall", "scan", "select"]

    /// The arguments of `ACL SETUSER` after the command itself.
    public static func rules(name: String = "auditor", password: String) -> [String] {
        [name, "on", ">\(password)", "~*", "resetchannels", "-@all"] + commands.map { "+\($0)" }
    }
}
