import TestSupport
import Foundation
import Probes
import Reference
import Synchronization
import Testing
import Wire

/// Two instances behind one load balancer are one Socket.IO service: what the hub sends reaches a
/// user on either instance, through Redis pub/sub (the Socket.IO Redis adapter's way).
@Suite("Socket.IO across two instances on one Redis", .timeLimit(.minutes(2)))
struct CrossInstanceChatTests {
    func socket(_ h: Harness, _ token: String) async throws -> SocketIOSession {
        try await SocketIOSession.connect(URL(string: h.reference.addresses.socketURL)!, token: token)
    }

    /// Runs `body` with two instances on one fresh redis-server.
    func withTwoInstances(faults: Set<Fault> = [], _ body: (RedisServer, Harness, Harness) async throws -> Void) async throws {
        let redis = try await RedisServer.start()
        try await withHarness(.redis, faults: faults, redis: redis) { a in
            try await withHarness(.redis, faults: faults, redis: redis) { b in try await body(redis, a, b) }
        }
    }

    /// The trainer sends `text`; the student must get it exactly once. A second message follows
    /// the first through the same subscription, so once it arrived a duplicate would have too.
    func expectChatDelivered(from trainer: SocketIOSession, to student: SocketIOSession, _ f: Fixture, text: String) async throws {
        let id = try await trainer.emit("chatMessage", ["sessionId": f.sessionId, "text": text])
        #expect(await trainer.ack(id, within: 5) == #"[{"ok":true}]"#)
        let marker = try await trainer.emit("chatMessage", ["sessionId": f.sessionId, "text": "marker"])
        #expect(await trainer.ack(marker, within: 5) == #"[{"ok":true}]"#)
        let texts = { student.arguments(of: "chatMessage").compactMap(Self.chatText) }
        #expect(try await eventually { texts().contains("marker") }, "student got: \(texts())")
        #expect(texts().filter { $0 == text } == [text], "student got: \(texts())")
        #expect(trainer.arguments(of: "chatMessage").isEmpty, "the sender gets no copy")
    }

    static func chatText(_ argumentsJSON: String) -> String? {
        let arguments = try? JSONSerialization.jsonObject(with: Data(argumentsJSON.utf8)) as? [[String: Any]]
        return arguments?.first?["text"] as? String
    }

    @Test("chatMessage from the trainer on one instance reaches the student on the other, once")
    func chatAcrossInstances() async throws {
        try await withTwoInstances { _, a, b in
            let f = try await a.fixture()
            let student = try await socket(b, f.student.token)
            defer { student.close() }
            let trainer = try await socket(a, f.trainer.token)
            defer { trainer.close() }
            try await expectChatDelivered(from: trainer, to: student, f, text: "on my way")
        }
    }

    @Test("with Redis, both parties on one instance: delivered once, through the subscription")
    func chatOnOneInstance() async throws {
        try await withTwoInstances { _, a, _ in
            let f = try await a.fixture()
            let student = try await socket(a, f.student.token)
            defer { student.close() }
            let trainer = try await socket(a, f.trainer.token)
            defer { trainer.close() }
            try await expectChatDelivered(from: trainer, to: student, f, text: "same instance")
        }
    }

    @Test("ws-location-handlers: trainerLocation on one instance is pushed to the student on the other")
    func locationHandlersAcrossInstances() async throws {
        try await withTwoInstances(faults: [.wsLocationHandlers]) { _, a, b in
            let f = try await a.fixture()
            let student = try await socket(b, f.student.token)
            defer { student.close() }
            let trainer = try await socket(a, f.trainer.token)
            defer { trainer.close() }
            let id = try await trainer.emit("trainerLocation", ["latitude": 12.97, "longitude": 77.59, "studentId": f.student.id])
            #expect(await trainer.ack(id, within: 5) == #"[{"ok":true}]"#)
            #expect(try await eventually { student.eventNames.contains("trainerLocationUpdate") }, "student got: \(student.eventNames)")
            #expect(try await eventually { student.eventNames.contains("location_\(f.trainer.id)") }, "student got: \(student.eventNames)")
        }
    }

    @Test("a subscription cut by Redis is re-opened, and chat crosses instances again")
    func resubscribesAfterLoss() async throws {
        try await withTwoInstances { redis, a, b in
            let admin = try await RESPConnection.connect(to: redis.url)
            defer { admin.close() }
            let killed = try await subscriberIDs(admin)
            #expect(killed.count == 2)
            #expect(try await admin.checked(["CLIENT", "KILL", "TYPE", "pubsub"]).int == 2)
            // Ready again when both instances hold a new subscription.
            #expect(try await eventually(within: 10) {
                let now = try await subscriberIDs(admin)
                return now.count == 2 && now.isDisjoint(with: killed)
            })
            let f = try await a.fixture()
            let student = try await socket(b, f.student.token)
            defer { student.close() }
            let trainer = try await socket(a, f.trainer.token)
            defer { trainer.close() }
            try await expectChatDelivered(from: trainer, to: student, f, text: "back again")
        }
    }

    @Test("lazy-redis: the subscription is opened after start, and then chat crosses instances")
    func lazyInstanceSubscribes() async throws {
        try await withTwoInstances { redis, a, _ in
            var configuration = ReferenceConfiguration(redisURL: redis.url)
            configuration.lazyRedis = true
            configuration.logLevel = .critical
            let lazy = try await ReferenceServer.start(configuration)
            let admin = try await RESPConnection.connect(to: redis.url)
            try await withCleanup({ admin.close(); await lazy.stop() }) {
                #expect(try await eventually(within: 10) { try await subscriberIDs(admin).count == 3 })
                let f = try await a.fixture()
                let student = try await SocketIOSession.connect(URL(string: lazy.addresses.socketURL)!, token: f.student.token)
                defer { student.close() }
                let trainer = try await socket(a, f.trainer.token)
                defer { trainer.close() }
                try await expectChatDelivered(from: trainer, to: student, f, text: "lazy but there")
            }
        }
    }

    @Test("a store without pub/sub (the demo's embedded store over RESP): the reference starts, chat is delivered on the instance")
    func storeWithoutPubSub() async throws {
        let server = try await EmbeddedStoreServer.start(store: EmbeddedStore(), allowWrites: true)
        var configuration = ReferenceConfiguration(redisURL: RedisURL(host: "127.0.0.1", port: server.port))
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        try await withCleanup({ await reference.stop(); await server.stop() }) {
            let fixture = try await HTTPClient().send(HTTPRequestSpec(method: "POST", url: reference.baseURL.appendingPathComponent("__reference/fixtures")))
            let f = try JSONDecoder().decode(Fixture.self, from: Data(fixture.body))
            let url = URL(string: reference.addresses.socketURL)!
            let student = try await SocketIOSession.connect(url, token: f.student.token)
            defer { student.close() }
            let trainer = try await SocketIOSession.connect(url, token: f.trainer.token)
            defer { trainer.close() }
            try await expectChatDelivered(from: trainer, to: student, f, text: "no pub/sub here")
        }
    }

    /// The ids of the connections subscribed to the bus channel (`CLIENT LIST TYPE pubsub`).
    func subscriberIDs(_ connection: RESPConnection) async throws -> Set<String> {
        let list = try await connection.checked(["CLIENT", "LIST", "TYPE", "pubsub"]).string ?? ""
        return Set(list.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("id=") }.map(String.init)
        })
    }

    /// Reads a subscriber's stream in the background and records what it saw.
    final class Reader: Sendable {
        private final class Seen: Sendable {
            let state = Mutex<(messages: [String], ended: Bool)>(([], false))
        }
        private let seen = Seen()
        private let task: Task<Void, Never>

        init(_ subscriber: RESPSubscriber) {
            task = Task { [seen] in
                for await message in subscriber.messages { seen.state.withLock { $0.messages.append(message) } }
                seen.state.withLock { $0.ended = true }
            }
        }

        var messages: [String] { seen.state.withLock { $0.messages } }
        var hasEnded: Bool { seen.state.withLock { $0.ended } }
        deinit { task.cancel() }
    }

    @Test("RESPSubscriber: receives what is published on its channel only; its stream ends when closed or cut")
    func subscriber() async throws {
        let redis = try await RedisServer.start()
        let publisher = try await RESPConnection.connect(to: redis.url)
        defer { publisher.close() }

        let first = try await RESPSubscriber.subscribe(to: redis.url, channel: "news", timeout: .seconds(2))
        let reader = Reader(first)
        #expect(try await publisher.checked(["PUBLISH", "other", "not for us"]).int == 0)
        #expect(try await publisher.checked(["PUBLISH", "news", "hello"]).int == 1)
        #expect(try await publisher.checked(["PUBLISH", "news", "wörld \r\n"]).int == 1)
        #expect(try await eventually { reader.messages == ["hello", "wörld \r\n"] }, "\(reader.messages)")
        first.close()
        #expect(try await eventually { reader.hasEnded }, "closing ends the stream")

        let second = try await RESPSubscriber.subscribe(to: redis.url, channel: "news", timeout: .seconds(2))
        let cut = Reader(second)
        redis.kill()
        #expect(try await eventually { cut.hasEnded }, "the stream ends when the server goes away")
    }

    @Test("RESPSubscriber: a refused AUTH is a server error; no server is a connect error")
    func subscriberErrors() async throws {
        let redis = try await RedisServer.start()
        var url = redis.url
        url.password = "wrong"
        await #expect(throws: RESPConnectionError.self) {
            try await RESPSubscriber.subscribe(to: url, channel: "news", timeout: .seconds(2))
        }
        redis.kill()
        await #expect(throws: (any Error).self) {
            try await RESPSubscriber.subscribe(to: redis.url, channel: "news", timeout: .seconds(2))
        }
    }
}
