import Foundation
import Probes
import Reference
import Testing
import Wire

/// CONTRACT-TRIP.md "Idempotency": replay, 422 on another body, one effect under concurrency;
/// on both stores.
@Suite("Trip contract: idempotency", .timeLimit(.minutes(2)))
struct TripReferenceIdempotencyTests {
    @Test("a retried create replays the first answer byte for byte, marked, and creates nothing more", arguments: TripStoreKind.allCases)
    func replayCreate(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let first = try await api.create(f.customer.token, key: "k-create")
            #expect(first.status == 201)
            #expect(!first.isReplay)
            let reordered = #"{"destination":{"longitude":13.3777,"latitude":52.5163},"pickup":{"longitude":13.405,"latitude":52.52}}"#
            let again = try await api.create(f.customer.token, key: "k-create", body: reordered)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.isReplay)
            #expect(try await api.create(f.customer.token).json?["trip_request_id"] as? String != first.json?["trip_request_id"] as? String)
            let otherCaller = try await api.create(f.otherCustomer.token, key: "k-create")
            #expect(!otherCaller.isReplay, "a key is scoped to its caller")
            #expect(otherCaller.body != first.body)
        }
    }

    @Test("a retried accept and cancel replay; no second version bump", arguments: TripStoreKind.allCases)
    func replayActions(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let accepted = try await api.accept(f.drivers[0].token, trip: f.tripId, key: "k-accept")
            #expect(accepted.status == 200)
            let replay = try await api.accept(f.drivers[0].token, trip: f.tripId, key: "k-accept")
            #expect(replay.status == 200)
            #expect(replay.body == accepted.body)
            #expect(replay.isReplay)
            #expect(try await api.details(f.customer.token, trip: f.tripId).json?["version"] as? Int == 1)
            let cancelled = try await api.cancel(f.drivers[0].token, trip: f.tripId, key: "k-cancel")
            let cancelReplay = try await api.cancel(f.drivers[0].token, trip: f.tripId, key: "k-cancel")
            #expect(cancelled.status == 200)
            #expect(cancelReplay.status == 200)
            #expect(cancelReplay.isReplay)
            #expect(try await api.details(f.customer.token, trip: f.tripId).json?["version"] as? Int == 2)
        }
    }

    @Test("a refusal is an answer too: a 409 is replayed, even once the trip is free again", arguments: TripStoreKind.allCases)
    func refusalReplayed(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            #expect(try await api.accept(f.drivers[1].token, trip: f.tripId, key: "k-late").status == 409)
            #expect(try await api.cancel(f.drivers[0].token, trip: f.tripId).status == 200)
            let replay = try await api.accept(f.drivers[1].token, trip: f.tripId, key: "k-late")
            #expect(replay.status == 409)
            #expect(replay.isReplay)
        }
    }

    @Test("the same key with another body: 422, no effect", arguments: TripStoreKind.allCases)
    func otherBody(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture(), other = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId, key: "k-one").status == 200)
            let reused = try await api.accept(f.drivers[0].token, trip: other.tripId, key: "k-one")
            #expect(reused.status == 422)
            #expect(reused.json?["message"] as? String == "Idempotency-Key reused with a different request body")
            #expect(try await api.details(other.customer.token, trip: other.tripId).json?["current_status"] as? String == "pending")
        }
    }

    @Test("ten concurrent creates with one key: one trip; the others 409 in progress or a replay of it", arguments: TripStoreKind.allCases)
    func concurrentKey(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            for round in 0..<3 {
                let outcome = try await TripKeyRace.creates(api, key: "k-race-\(round)")
                #expect(outcome.tripIds.count == 1, "\(outcome.statuses)")
                for answer in outcome.answers where answer.status != 409 {
                    #expect(answer.status == 201)
                }
                for answer in outcome.answers where answer.status == 409 {
                    #expect(answer.json?["message"] as? String == "A request with this Idempotency-Key is in progress")
                }
            }
        }
    }

    @Test("a key kept past the cache's few seconds still replays (the store keeps keys 24 h)", arguments: TripStoreKind.allCases)
    func keptPastACache(_ store: TripStoreKind) async throws {
        var configuration = TripReferenceConfiguration()
        configuration.idempotencyCacheSeconds = 1
        try await withTripReference(on: store, configuration) { _, api in
            let f = try await api.fixture()
            let first = try await api.create(f.customer.token, key: "k-long")
            try await Task.sleep(for: .milliseconds(1200))
            let again = try await api.create(f.customer.token, key: "k-long")
            #expect(again.isReplay)
            #expect(again.body == first.body)
        }
    }
}

/// Ten creates of one customer with one key, last bytes released together.
enum TripKeyRace {
    struct Outcome {
        var answers: [HTTPResponseData]
        var statuses: [Int] { answers.map(\.status) }
        /// The distinct trips the 201s name: how many times the create ran.
        var tripIds: Set<String> { Set(answers.compactMap { $0.json?["trip_request_id"] as? String }) }
    }

    static func creates(_ api: TripAPI, key: String) async throws -> Outcome {
        let f = try await api.fixture()
        let request = api.request("POST", "api/customer/ride/create", token: f.customer.token, key: key, body: TripAPI.createBody)
        return Outcome(answers: try await RaceSender().send(Array(repeating: request, count: 10)))
    }
}
