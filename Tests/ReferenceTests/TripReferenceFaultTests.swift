import Foundation
import Reference
import Testing
import Wire

/// Every trip fault shows its symptom; the clean reference's counterpart is in the contract suites.
@Suite("Trip faults", .timeLimit(.minutes(2)))
struct TripReferenceFaultTests {
    @Test("read-then-write-accept: concurrent accepts get more than one 200")
    func readThenWriteAccept() async throws {
        try await withTripReference(faults: [.readThenWriteAccept]) { _, api in
            var most = 0
            for _ in 0..<5 where most < 2 {
                most = max(most, try await TripRace.accepts(api).winners.count)
            }
            #expect(most >= 2, "no round of ten synchronized accepts gave two 200s")
            let f = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            #expect(try await api.accept(f.drivers[1].token, trip: f.tripId).status == 409, "one at a time, the read still sees it taken")
        }
    }

    @Test("accept-403: an assigned trip answers 403; a stale version still 409")
    func accept403() async throws {
        try await withTripReference(faults: [.accept403]) { _, api in
            let f = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId, version: 5).status == 409)
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            #expect(try await api.accept(f.drivers[1].token, trip: f.tripId).status == 403)
            let version = try await api.send("GET", "__reference/version", token: nil)
            #expect(version.json?["build"] as? String == "fault accept-403")
        }
    }

    @Test("idempotency-in-cache: a key is forgotten after the cache's TTL and the request runs again")
    func idempotencyInCache() async throws {
        var configuration = TripReferenceConfiguration(faults: [.idempotencyInCache])
        configuration.idempotencyCacheSeconds = 1
        try await withTripReference(configuration) { _, api in
            let f = try await api.fixture()
            let first = try await api.create(f.customer.token, key: "k-cache")
            #expect(try await api.create(f.customer.token, key: "k-cache").isReplay, "replayed while cached")
            try await Task.sleep(for: .milliseconds(1200))
            let again = try await api.create(f.customer.token, key: "k-cache")
            #expect(again.status == 201)
            #expect(!again.isReplay)
            #expect(again.json?["trip_request_id"] as? String != first.json?["trip_request_id"] as? String)
        }
    }

    @Test("no-replay-header: the replay is right but unmarked")
    func noReplayHeader() async throws {
        try await withTripReference(faults: [.noReplayHeader]) { _, api in
            let f = try await api.fixture()
            let first = try await api.create(f.customer.token, key: "k")
            let again = try await api.create(f.customer.token, key: "k")
            #expect(again.body == first.body)
            #expect(again.header("X-Idempotent-Replay") == nil)
        }
    }

    @Test("replay-other-body: another body with the same key gets the first answer, not 422")
    func replayOtherBody() async throws {
        try await withTripReference(faults: [.replayOtherBody]) { _, api in
            let f = try await api.fixture(), other = try await api.fixture()
            let first = try await api.accept(f.drivers[0].token, trip: f.tripId, key: "k")
            let reused = try await api.accept(f.drivers[0].token, trip: other.tripId, key: "k")
            #expect(reused.status == 200)
            #expect(reused.body == first.body)
            #expect(try await api.details(other.customer.token, trip: other.tripId).json?["current_status"] as? String == "pending")
        }
    }

    @Test("concurrent-key-double: ten concurrent creates with one key make more than one trip")
    func concurrentKeyDouble() async throws {
        try await withTripReference(faults: [.concurrentKeyDouble]) { _, api in
            var most = 0
            for round in 0..<5 where most < 2 {
                most = max(most, try await TripKeyRace.creates(api, key: "k-\(round)").tripIds.count)
            }
            #expect(most >= 2)
            let f = try await api.fixture()
            let first = try await api.create(f.customer.token, key: "k-seq")
            #expect(try await api.create(f.customer.token, key: "k-seq").body == first.body, "one after the other it still replays")
        }
    }

    @Test("offline-keeps-trips: the driver goes offline, the trip stays accepted")
    func offlineKeepsTrips() async throws {
        try await withTripReference(faults: [.offlineKeepsTrips]) { _, api in
            let f = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            let offline = try await api.onlineStatus(f.drivers[0].token, online: false)
            #expect(offline.status == 200)
            #expect(offline.json?["is_online"] as? Bool == false)
            #expect((offline.json?["released_trips"] as? [Any])?.isEmpty == true)
            let details = try await api.details(f.customer.token, trip: f.tripId)
            #expect(details.json?["current_status"] as? String == "accepted")
            #expect(details.json?["driver_id"] as? String == f.drivers[0].id)
            #expect(try await api.accept(f.drivers[0].token, trip: (try await api.fixture()).tripId).status == 409, "but it accepts no new one")
        }
    }

    @Test("no-ratelimit-headers: 429 with Retry-After, and no X-RateLimit-* anywhere")
    func noRatelimitHeaders() async throws {
        try await withTripReference(faults: [.noRatelimitHeaders]) { _, api in
            let f = try await api.fixture()
            var answers: [HTTPResponseData] = []
            for _ in 1...11 { answers.append(try await api.accept(f.drivers[0].token, trip: f.tripId)) }
            #expect(answers.last?.status == 429)
            #expect(answers.last?.header("Retry-After") != nil)
            #expect(answers.allSatisfy { $0.headers.allSatisfy { !$0.0.lowercased().hasPrefix("x-ratelimit-") } })
        }
    }

    @Test("ratelimit-off-by-one: eleven accepts pass; Remaining stops at 0; the twelfth is 429")
    func ratelimitOffByOne() async throws {
        try await withTripReference(faults: [.ratelimitOffByOne]) { _, api in
            let f = try await api.fixture()
            var remaining: [Int?] = []
            for _ in 1...11 {
                let answer = try await api.accept(f.drivers[0].token, trip: f.tripId)
                #expect(answer.status != 429)
                #expect(answer.rateLimit.limit == 10)
                remaining.append(answer.rateLimit.remaining)
            }
            #expect(remaining == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0])
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 429)
        }
    }

    @Test("reset-in-ms: X-RateLimit-Reset is epoch milliseconds")
    func resetInMs() async throws {
        try await withTripReference(faults: [.resetInMs]) { _, api in
            let f = try await api.fixture()
            let reset = try #require(try await api.location(f.drivers[0].token).rateLimit.reset)
            let now = Date().timeIntervalSince1970
            #expect(Double(reset) > now * 1000 && Double(reset) <= (now + 61) * 1000)
        }
    }
}
