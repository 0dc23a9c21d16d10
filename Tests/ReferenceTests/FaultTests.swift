import TestSupport
import Wire
import Foundation
import Probes
import Reference
import Testing

/// Every fault switch shows its symptom; the same scenario on the clean reference does not.
@Suite("Fault switches", .timeLimit(.minutes(3)))
struct FaultTests {
    @Test("check-then-set: concurrent starts can both win (real Redis, two round trips)")
    func checkThenSet() async throws {
        try await withHarness(.redis, faults: [.checkThenSet]) { h in
            var worst = 0
            for _ in 0..<10 where worst < 2 {
                let f = try await h.fixture()
                let wins = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<20 { group.addTask { try await h.start(f).status } }
                    return try await group.reduce(0) { $0 + ($1 == 201 ? 1 : 0) }
                }
                worst = max(worst, wins)
            }
            #expect(worst >= 2, "no round of 20 concurrent starts gave two 201s")
        }
    }

    @Test("evb-throws: a failing PutEvents turns the answer into 500", arguments: [EventBridgeEndpoint.Mode.failedEntries, .serverError, .throttle])
    func evbThrows(_ mode: EventBridgeEndpoint.Mode) async throws {
        let events = try await EventBridgeEndpoint.start(mode: mode)
        try await withCleanup({ await events.stop() }) {
            try await withHarness(faults: [.evbThrows], events: events) { h in
                let f = try await h.fixture()
                #expect(try await h.start(f).status == 500)
            }
        }
    }

    @Test("evb-throws: an EventBridge that never answers holds the request for the 2 s publish timeout, then 500")
    func evbThrowsOnHang() async throws {
        let events = try await EventBridgeEndpoint.start(mode: .hang)
        try await withCleanup({ await events.stop() }) {
            try await withHarness(faults: [.evbThrows], events: events) { h in
                let f = try await h.fixture()
                var status = 0
                let elapsed = try await ContinuousClock().measure { status = try await h.start(f).status }
                #expect(status == 500)
                #expect(elapsed >= .milliseconds(1900))
            }
        }
    }

    @Test("gone-as-404: an update after stop answers 404, and no ended marker is written")
    func goneAs404() async throws {
        try await withHarness(faults: [.goneAs404]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.stopJourney(f).status == 200)
            #expect(try await h.update(f, f.studentHome).status == 404)
            #expect(try await h.inspector.exists(StateKeys.journeyEnded(f.sessionId)) == false)
        }
    }

    @Test("journey-no-ttl: journey:active never expires")
    func journeyNoTTL() async throws {
        try await withHarness(faults: [.journeyNoTTL]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.inspector.ttl(StateKeys.journeyActive(f.sessionId)) == -1)
        }
    }

    @Test("location-ttl-3600: the location key lives an hour")
    func locationTTL3600() async throws {
        try await withHarness(faults: [.locationTTL3600]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            let ttl = try await h.inspector.ttl(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId))
            #expect((3598...3600).contains(ttl))
        }
    }

    @Test("no-rate-limit: a second update at once is accepted, and no rate key exists")
    func noRateLimit() async throws {
        try await withHarness(faults: [.noRateLimit]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(try await h.inspector.exists(StateKeys.rate(f.trainer.id)) == false)
        }
    }

    @Test("no-speed-check: a 10 km jump in 5 s is accepted")
    func noSpeedCheck() async throws {
        try await withHarness(faults: [.noSpeedCheck]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome.north(2000)).status == 201)
            h.clock.advance(5.1)
            #expect(try await h.update(f, f.studentHome.north(12_000)).status == 201)
        }
    }

    @Test("leaky-live: another student can follow the journey")
    func leakyLive() async throws {
        try await withHarness(faults: [.leakyLive]) { h in
            let f = try await h.fixture()
            #expect(try await h.live(f, token: f.otherStudent.token).status == 200)
        }
    }

    @Test("fail-open-409: the store down during start answers 409")
    func failOpen409() async throws {
        let redis = try await RedisServer.start()
        try await withHarness(.redis, faults: [.failOpen409], redis: redis) { h in
            let f = try await h.fixture()
            redis.kill()
            #expect(try await h.start(f).status == 409)
        }
    }

    @Test("no-cleanup: stop leaves the location key, and polling still shows the trainer")
    func noCleanup() async throws {
        try await withHarness(faults: [.noCleanup]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(try await h.stopJourney(f).status == 200)
            #expect(try await h.inspector.exists(StateKeys.journeyActive(f.sessionId)) == false)
            #expect(try await h.inspector.exists(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)))
            let live = try await h.live(f).data
            #expect(live?["isActive"] as? Bool == false)
            #expect(live?["location"] is [String: Any])
        }
    }

    @Test("journey-kept-as-ended: the key stays with status ended; every call reads it as ended")
    func journeyKeptAsEnded() async throws {
        try await withHarness(faults: [.journeyKeptAsEnded]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.stopJourney(f).status == 200)
            #expect(try await h.inspector.exists(StateKeys.journeyActive(f.sessionId)))
            #expect(try await h.live(f).data?["isActive"] as? Bool == false)
            #expect(try await h.update(f, f.studentHome).status == 410)
        }
    }

    @Test("no-events: nothing reaches EventBridge while the clean reference publishes")
    func noEvents() async throws {
        let silent = try await EventBridgeEndpoint.start()
        let control = try await EventBridgeEndpoint.start()
        try await withCleanup({ await silent.stop(); await control.stop() }) {
            try await withHarness(events: control) { clean in
                try await withHarness(faults: [.noEvents], events: silent) { faulty in
                    for h in [clean, faulty] {
                        let f = try await h.fixture()
                        #expect(try await h.start(f).status == 201)
                        #expect(try await h.stopJourney(f).status == 200)
                    }
                    #expect(try await eventually { control.received.count == 2 })
                    #expect(silent.received.isEmpty)
                }
            }
        }
    }

    @Test("no-arrival-radius: arrived succeeds 5 km away")
    func noArrivalRadius() async throws {
        try await withHarness(faults: [.noArrivalRadius]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome.north(5000)).status == 201)
            #expect(try await h.arrived(f).status == 200)
        }
    }

    @Test("faults combine")
    func combined() async throws {
        try await withHarness(faults: [.journeyNoTTL, .noRateLimit]) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.inspector.ttl(StateKeys.journeyActive(f.sessionId)) == -1)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(try await h.update(f, f.studentHome).status == 201)
            #expect(h.reference.addresses.faults == ["journey-no-ttl", "no-rate-limit"])
        }
    }
}
