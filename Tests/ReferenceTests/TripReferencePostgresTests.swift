import Foundation
import Reference
import Testing
import TestSupport
import Wire

/// What only a database-backed trip reference shows: state and idempotency keys that outlive a
/// restart, the faulted paths with real round trips, and start-up errors in plain words. (Every
/// contract row runs on PostgreSQL too, in the contract suites.)
@Suite("Trip reference on PostgreSQL", .timeLimit(.minutes(2)))
struct TripReferencePostgresTests {
    @Test("a replay survives a restart of the reference on the same database, and so do trips and tokens")
    func replaySurvivesRestart() async throws {
        let postgres = try await PostgresServer.start()
        try await withCleanup({ await postgres.stop() }) {
            var configuration = TripReferenceConfiguration()
            configuration.postgresURL = postgres.url
            var f: TripFixtureDocument?
            var first: (accept: HTTPResponseData, create: HTTPResponseData)?
            try await withTripReference(configuration) { reference, api in
                #expect(reference.addresses.store == postgres.url)
                let fixture = try await api.fixture()
                f = fixture
                first = (try await api.accept(fixture.drivers[0].token, trip: fixture.tripId, key: "k-accept"),
                         try await api.create(fixture.customer.token, key: "k-create"))
            }
            let fixture = try #require(f), answers = try #require(first)
            #expect(answers.accept.status == 200)
            try await withTripReference(configuration) { _, api in
                let accept = try await api.accept(fixture.drivers[0].token, trip: fixture.tripId, key: "k-accept")
                #expect(accept.isReplay)
                #expect(accept.body == answers.accept.body)
                let create = try await api.create(fixture.customer.token, key: "k-create")
                #expect(create.isReplay)
                #expect(create.body == answers.create.body)
                let details = try await api.details(fixture.customer.token, trip: fixture.tripId)
                #expect(details.json?["version"] as? Int == 1)
                #expect(details.json?["driver_id"] as? String == fixture.drivers[0].id)
            }
        }
    }

    @Test("idempotency-in-cache on PostgreSQL: the keys are in process memory, so a restart forgets them")
    func cacheForgetsOnRestart() async throws {
        let postgres = try await PostgresServer.start()
        try await withCleanup({ await postgres.stop() }) {
            var configuration = TripReferenceConfiguration(faults: [.idempotencyInCache])
            configuration.postgresURL = postgres.url
            var f: TripFixtureDocument?
            var firstBody: [UInt8] = []
            try await withTripReference(configuration) { _, api in
                let fixture = try await api.fixture()
                f = fixture
                firstBody = try await api.create(fixture.customer.token, key: "k").body
                #expect(try await api.create(fixture.customer.token, key: "k").isReplay)
            }
            let fixture = try #require(f)
            try await withTripReference(configuration) { _, api in
                let again = try await api.create(fixture.customer.token, key: "k")
                #expect(again.status == 201)
                #expect(!again.isReplay)
                #expect(again.body != firstBody)
            }
        }
    }

    @Test("read-then-write-accept and concurrent-key-double double their effects with real round trips")
    func faultedPathsRace() async throws {
        try await withTripReference(on: .postgres, faults: [.readThenWriteAccept, .concurrentKeyDouble]) { _, api in
            var winners = 0, trips = 0
            for round in 0..<5 where winners < 2 || trips < 2 {
                winners = max(winners, try await TripRace.accepts(api).winners.count)
                trips = max(trips, try await TripKeyRace.creates(api, key: "k-\(round)").tripIds.count)
            }
            #expect(winners >= 2)
            #expect(trips >= 2)
        }
    }

    @Test("an unreachable PostgreSQL stops the start in plain words, its password masked")
    func unreachable() async throws {
        var configuration = TripReferenceConfiguration()
        configuration.postgresURL = "postgres://someone:s3cret@127.0.0.1:\(try await RedisServer.freePort())/trips"
        configuration.logLevel = .critical
        let error = await #expect(throws: TripReferenceError.self) { _ = try await TripReferenceServer.start(configuration) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix("cannot reach PostgreSQL at postgres://someone:***@127.0.0.1:"), "\(text)")
        #expect(!text.contains("s3cret"))

        configuration.postgresURL = "mysql://localhost/trips"
        await #expect(throws: TripReferenceError.self) { _ = try await TripReferenceServer.start(configuration) }
    }

    @Test("a table of the same name that is not the reference's stops the start: schema creation failed")
    func foreignTable() async throws {
        let postgres = try await PostgresServer.start()
        try await withCleanup({ await postgres.stop() }) {
            try await postgres.execute("CREATE TABLE users (name text)")
            var configuration = TripReferenceConfiguration()
            configuration.postgresURL = postgres.url
            configuration.logLevel = .critical
            let error = await #expect(throws: TripReferenceError.self) { _ = try await TripReferenceServer.start(configuration) }
            let text = error.map(String.init(describing:)) ?? ""
            #expect(text.hasPrefix("cannot create the trip tables in PostgreSQL"), "\(text)")
        }
    }
}
