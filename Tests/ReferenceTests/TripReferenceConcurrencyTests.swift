import Foundation
import Probes
import Reference
import Testing
import Wire

/// CONTRACT-TRIP.md "Concurrency": ten drivers accepting one trip at the same moment, and a
/// driver going offline while accepting; on both stores.
@Suite("Trip contract: concurrency", .timeLimit(.minutes(2)))
struct TripReferenceConcurrencyTests {
    @Test("ten synchronized accepts: exactly one 200, nine 409; the winner holds the trip at version 1", arguments: TripStoreKind.allCases)
    func acceptRace(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            for _ in 0..<3 {
                let outcome = try await TripRace.accepts(api)
                #expect(outcome.statuses.sorted() == [200] + Array(repeating: 409, count: 9))
                let details = try await api.details(outcome.fixture.customer.token, trip: outcome.fixture.tripId)
                #expect(details.json?["current_status"] as? String == "accepted")
                #expect(details.json?["version"] as? Int == 1)
                #expect(details.json?["driver_id"] as? String == outcome.winners.first)
            }
        }
    }

    @Test("the same race over h2c: one 200", arguments: TripStoreKind.allCases)
    func acceptRaceOverHTTP2(_ store: TripStoreKind) async throws {
        var configuration = TripReferenceConfiguration()
        configuration.http2Port = 0
        try await withTripReference(on: store, configuration) { reference, api in
            let h2 = try #require(reference.addresses.http2BaseURL.flatMap(URL.init(string:)))
            let f = try await api.fixture()
            let requests = f.drivers.map { TripAPI(baseURL: h2).request("POST", "api/driver/ride/trip-action", token: $0.token,
                                                                         body: api.actionBody("accept", trip: f.tripId)) }
            let statuses = try await SinglePacketSender().send(requests).map(\.status)
            #expect(statuses.sorted() == [200] + Array(repeating: 409, count: 9))
        }
    }

    @Test("a driver going offline while accepting never leaves the trip accepted by an offline driver", arguments: TripStoreKind.allCases)
    func offlineWhileAccepting(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            for _ in 0..<5 {
                let f = try await api.fixture()
                let driver = f.drivers[0]
                let requests = [api.request("POST", "api/driver/ride/trip-action", token: driver.token, body: api.actionBody("accept", trip: f.tripId)),
                                api.request("POST", "api/driver/update-online-status", token: driver.token,
                                            body: #"{"is_online": false, "availability_status": "available"}"#)]
                let answers = try await RaceSender().send(requests)
                #expect(answers[1].status == 200)
                let details = try await api.details(f.customer.token, trip: f.tripId)
                #expect(details.json?["current_status"] as? String == "pending", "accept answered \(answers[0].status)")
                #expect(details.json?["version"] as? Int == (answers[0].status == 200 ? 2 : 0))
            }
        }
    }

    @Test("offline, then unavailable: every accepted trip of the driver is released, version + 1", arguments: TripStoreKind.allCases)
    func offlineReleases(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let one = try await api.fixture(), two = try await api.fixture()
            let driver = one.drivers[0]
            #expect(try await api.accept(driver.token, trip: one.tripId).status == 200)
            #expect(try await api.accept(driver.token, trip: two.tripId).status == 200)
            let offline = try await api.onlineStatus(driver.token, online: false)
            #expect(Set(offline.json?["released_trips"] as? [String] ?? []) == [one.tripId, two.tripId])
            for f in [one, two] {
                let details = try await api.details(f.customer.token, trip: f.tripId)
                #expect(details.json?["current_status"] as? String == "pending")
                #expect(details.json?["driver_id"] is NSNull)
                #expect(details.json?["version"] as? Int == 2)
            }
            #expect(try await api.accept(driver.token, trip: one.tripId).status == 409)
            #expect(try await api.onlineStatus(driver.token, online: true).status == 200)
            #expect(try await api.accept(driver.token, trip: one.tripId).status == 200)
            let unavailable = try await api.onlineStatus(driver.token, online: true, availability: "unavailable")
            #expect(unavailable.json?["released_trips"] as? [String] == [one.tripId])
            #expect(try await api.details(one.customer.token, trip: one.tripId).json?["version"] as? Int == 4)
        }
    }
}

/// Ten drivers of a fresh fixture accepting its trip, last bytes released together.
enum TripRace {
    struct Outcome {
        var fixture: TripFixtureDocument
        var statuses: [Int]
        /// The ids of the drivers that got 200.
        var winners: [String]
    }

    static func accepts(_ api: TripAPI) async throws -> Outcome {
        let f = try await api.fixture()
        let requests = f.drivers.map { api.request("POST", "api/driver/ride/trip-action", token: $0.token, body: api.actionBody("accept", trip: f.tripId)) }
        let answers = try await RaceSender().send(requests)
        let winners = zip(f.drivers, answers).filter { $0.1.status == 200 }.map(\.0.id)
        return Outcome(fixture: f, statuses: answers.map(\.status), winners: winners)
    }
}
