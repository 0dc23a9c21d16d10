import Wire
import Foundation
import Reference
import Testing

/// CONTRACT.md row 2: the order of checks, every error, the keys and TTLs an update writes.
@Suite("Contract: location updates", .timeLimit(.minutes(2)))
struct ContractUpdateTests {
    @Test(arguments: StoreKind.allCases)
    func everyAnswerOfUpdate(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            let home = f.studentHome
            #expect(try await h.update(f, home).status == 404, "no journey was ever active")
            #expect(try await h.update(f, home, token: "bogus").status == 401)
            #expect(try await h.start(f).status == 201)

            let missingLatitude = try await h.api.send(.locationUpdate, sessionId: f.sessionId, token: f.trainer.token,
                                                       body: ["sessionId": f.sessionId, "longitude": 77.0])
            #expect(missingLatitude.status == 400)
            let stringLatitude = try await h.api.send(.locationUpdate, sessionId: f.sessionId, token: f.trainer.token,
                                                      body: ["sessionId": f.sessionId, "latitude": "12.9", "longitude": 77.0])
            #expect(stringLatitude.status == 400)
            #expect(try await h.update(f, Coordinate(latitude: 91, longitude: 0)).status == 400)
            #expect(try await h.update(f, Coordinate(latitude: 0, longitude: -180.5)).status == 400)
            #expect(try await h.update(f, home, token: f.otherTrainer.token).status == 403)

            let accepted = try await h.update(f, home.north(1000))
            #expect(accepted.status == 201)
            #expect(accepted.data?["ttl"] as? Int == 300)
            #expect(accepted.data?["sessionId"] as? String == f.sessionId)
            #expect(accepted.data?["timestamp"] is String)
            let locationKey = StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)
            #expect((298...300).contains(try await h.inspector.ttl(locationKey)))
            #expect((1...5).contains(try await h.inspector.ttl(StateKeys.rate(f.trainer.id))))

            let tooSoon = try await h.update(f, home.north(990))
            #expect(tooSoon.status == 429)
            let retryAfter = try #require(tooSoon.header("Retry-After").flatMap(Int.init))
            #expect((1...5).contains(retryAfter))

            #expect(try await h.stopJourney(f).status == 200)
            #expect(try await h.update(f, home).status == 410, "journey has ended")
            #expect((298...300).contains(try await h.inspector.ttl(StateKeys.journeyEnded(f.sessionId))))
        }
    }

    @Test("an update implying more than 120 km/h is refused with 400", arguments: StoreKind.allCases)
    func speedCheck(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome.north(2000)).status == 201)
            // The rate window must pass before a second point is judged on speed at all.
            h.clock.advance(5.1)
            let jump = try await h.update(f, f.studentHome.north(12_000))
            #expect(jump.status == 400, "10 km in 5 s is 7200 km/h")
            #expect((jump.json?["message"] as? String)?.contains("km/h") == true)
            #expect(try await h.update(f, f.studentHome.north(1950)).status == 201, "50 m in 5 s is 36 km/h")
        }
    }
}
