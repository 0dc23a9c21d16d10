import TestSupport
import Wire
import Foundation
import Reference
import Testing

/// CONTRACT.md row 1, over real HTTP, on the embedded store and on a real redis-server.
@Suite("Contract: start-journey", .timeLimit(.minutes(2)))
struct ContractStartTests {
    @Test(arguments: StoreKind.allCases)
    func everyAnswerOfStart(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.api.send(.startJourney, sessionId: f.sessionId, token: nil).status == 401)
            #expect(try await h.start(f, token: "not-a-token").status == 401)
            #expect(try await h.api.send(.startJourney, sessionId: "no-such-session", token: f.trainer.token).status == 404)
            #expect(try await h.start(f, token: f.otherTrainer.token).status == 403)
            #expect(try await h.start(f, token: f.student.token).status == 403)

            let started = try await h.start(f)
            #expect(started.status == 201)
            #expect(started.success == true)
            #expect(started.data?["sessionId"] as? String == f.sessionId)
            #expect(started.data?["trainerId"] as? String == f.trainer.id)
            #expect(started.data?["studentId"] as? String == f.student.id)
            #expect(started.data?["startedAt"] is String)

            let again = try await h.start(f)
            #expect(again.status == 409)
            #expect(again.success == false)
            #expect(again.json?["message"] is String)

            let ttl = try await h.inspector.ttl(StateKeys.journeyActive(f.sessionId))
            #expect((3598...3600).contains(ttl))
            let record = try #require(try await h.inspector.get(StateKeys.journeyActive(f.sessionId)))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])
            #expect(Set(json.keys) == ["sessionId", "trainerId", "studentId", "startedAt", "status"])
            #expect((3598...3600).contains(try await h.inspector.ttl(StateKeys.sessionMeta(f.sessionId))))
        }
    }

    @Test("a session that is no longer scheduled cannot start: 400", arguments: StoreKind.allCases)
    func notScheduled(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(try await h.arrived(f).status == 200)
            let restart = try await h.start(f)
            #expect(restart.status == 400)
        }
    }

    @Test("20 concurrent starts on one session: exactly one 201, nineteen 409, one key", arguments: StoreKind.allCases)
    func concurrentStarts(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await h.start(f).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 19)
            #expect(try await h.inspector.scan(match: "journey:active:\(f.sessionId)") == [StateKeys.journeyActive(f.sessionId)])
        }
    }

    @Test("the store down during start: 503, never 409")
    func storeDownFailsClosed() async throws {
        let redis = try await RedisServer.start()
        try await withHarness(.redis, redis: redis) { h in
            let f = try await h.fixture()
            redis.kill()
            let answer = try await h.start(f)
            #expect(answer.status == 503)
            #expect(answer.success == false)
        }
    }
}
