import Foundation
import Probes
import Testing
import Wire
@testable import Reference

/// The embedded store answers a Redis client's read commands and refuses writes.
@Suite("Embedded store")
struct EmbeddedStoreTests {
    @Test func readCommandsAnswerLikeRedis() async throws {
        let store = EmbeddedStore()
        try await store.set("journey:active:s1", "{}", ttl: 3600)
        try await store.set("forever", "x", ttl: nil)
        #expect(store.answer(["PING"]) == .simpleString("PONG"))
        // Wide enough for a machine busy with other tests: this checks semantics, not speed.
        #expect((3500...3600).contains(store.answer(["ttl", "journey:active:s1"]).int ?? 0))
        #expect((3_500_000...3_600_000).contains(store.answer(["PTTL", "journey:active:s1"]).int ?? 0))
        #expect(store.answer(["TTL", "forever"]) == .integer(-1))
        #expect(store.answer(["TTL", "missing"]) == .integer(-2))
        #expect(store.answer(["EXISTS", "forever", "missing", "journey:active:s1"]) == .integer(2))
        #expect(store.answer(["TYPE", "forever"]) == .simpleString("string"))
        #expect(store.answer(["TYPE", "missing"]) == .simpleString("none"))
        #expect(store.answer(["GET", "forever"]) == .bulk("x"))
        #expect(store.answer(["GET", "missing"]) == .bulkString(nil))
        #expect(store.answer(["HGETALL", "missing"]) == .array([]))
        #expect(store.answer(["KEYS", "journey:*"]) == .array([.bulk("journey:active:s1")]))
        #expect(store.answer(["SCAN", "0", "MATCH", "f*"]) == .array([.bulk("0"), .array([.bulk("forever")])]))
        #expect(store.answer(["GET"]).isError)
        #expect(store.answer(["FLUSHALL"]).isError)
    }

    @Test func expiredKeysVanish() async throws {
        let store = EmbeddedStore()
        try await store.set("k", "v", ttl: 0)
        #expect(try await store.get("k") == nil)
        #expect(try await store.setIfAbsent("k", "w", ttl: 10))
        #expect(try await store.setIfAbsent("k", "z", ttl: 10) == false)
        #expect(try await store.get("k") == "w")
    }

    @Test("over RESP on loopback: reads answer, writes are refused")
    func overTheWire() async throws {
        let store = EmbeddedStore()
        try await store.set("location:rate:t1", "1", ttl: 5)
        let server = try await EmbeddedStoreServer.start(store: store)
        let connection = try await RESPConnection.connect(to: RedisURL(host: "127.0.0.1", port: server.port))
        #expect((1...5).contains(try await connection.send(["TTL", "location:rate:t1"]).int ?? 0))
        let refused = try await connection.send(["SET", "x", "1"])
        #expect(refused.isError)
        #expect(try await connection.send(["DEL", "location:rate:t1"]).isError)
        #expect(try await connection.send(["EXISTS", "location:rate:t1"]) == .integer(1))
        let inspector = try await RedisInspector.connect(RedisURL(host: "127.0.0.1", port: server.port))
        #expect(try await inspector.scan(match: "location:*") == ["location:rate:t1"])
        inspector.close()
        connection.close()
        await server.stop()
    }

    @Test("glob patterns", arguments: [
        ("journey:*", "journey:active:1", true), ("journey:?ctive:*", "journey:active:1", true),
        ("location:[rt]*", "location:rate:t", true), ("location:[^r]*", "location:rate:t", false),
        ("a[a-c]z", "abz", true), ("a\\*b", "a*b", true), ("a\\*b", "axb", false), ("*", "", true), ("?", "", false),
    ])
    func glob(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(text) == expected)
    }
}

extension RESPValue {
    var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
