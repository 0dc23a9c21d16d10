import TestSupport
import Wire
import Foundation
import Probes
import Reference
import Testing

/// "No journey or location state lives in process memory": two instances on one Redis are one service.
@Suite("Two instances on one Redis", .timeLimit(.minutes(2)))
struct MultiInstanceTests {
    @Test("start on one, update and poll on the other, stop on the first")
    func oneJourneyAcrossInstances() async throws {
        let redis = try await RedisServer.start()
        try await withHarness(.redis, redis: redis) { a in
            try await withHarness(.redis, redis: redis) { b in
                let f = try await a.fixture()
                #expect(try await a.start(f).status == 201)
                #expect(try await b.start(f).status == 409)
                #expect(try await b.update(f, f.studentHome.north(500)).status == 201)
                #expect(try await a.update(f, f.studentHome.north(490)).status == 429, "the rate limit is shared too")
                let live = try await b.live(f)
                #expect(live.data?["isActive"] as? Bool == true)
                #expect(live.data?["location"] is [String: Any])
                #expect(try await a.stopJourney(f).status == 200)
                #expect(try await b.update(f, f.studentHome).status == 410)
            }
        }
    }

    @Test("in-memory-state: the keys look right in Redis, but the second instance does not see the journey")
    func inMemoryStateBreaksTheSecondInstance() async throws {
        let redis = try await RedisServer.start()
        try await withHarness(.redis, faults: [.inMemoryState], redis: redis) { a in
            try await withHarness(.redis, faults: [.inMemoryState], redis: redis) { b in
                let f = try await a.fixture()
                #expect(try await a.start(f).status == 201)
                #expect(try await b.update(f, f.studentHome.north(500)).status == 404)
                #expect(try await b.live(f).data?["isActive"] as? Bool == false)
                #expect(try await a.inspector.ttl(StateKeys.journeyActive(f.sessionId)) > 3500, "written to Redis too")
                #expect(try await b.start(f).status == 409, "the claim itself is atomic in Redis")
            }
        }
    }
}
