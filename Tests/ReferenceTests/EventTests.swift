import Foundation
import Probes
import Reference
import Testing
import TestSupport

/// CONTRACT.md §Events: what is published, and that publishing never changes or delays an answer.
@Suite("Contract: EventBridge", .timeLimit(.minutes(2)))
struct EventTests {
    @Test("start, stop and arrived publish PutEvents with bus, source, detail-type and detail")
    func eventsArePublished() async throws {
        let events = try await EventBridgeEndpoint.start()
        try await withCleanup({ await events.stop() }) {
            try await withHarness(events: events) { h in
                let f = try await h.fixture()
                #expect(try await h.start(f).status == 201)
                #expect(try await eventually { events.received.count == 1 })
                let started = try #require(events.received.first)
                #expect(started.target == "AWSEvents.PutEvents")
                #expect(started.contentType == "application/x-amz-json-1.1")
                #expect(started.busName == "application-events")
                #expect(started.source == "admin-service")
                #expect(started.detailType == "TrainerJourneyStarted")
                #expect(Set(started.detail.keys) == ["trainerId", "studentId", "sessionId", "startTime"])
                #expect(started.detail["sessionId"] == f.sessionId)

                #expect(try await h.stopJourney(f).status == 200)
                #expect(try await eventually { events.received.count == 2 })
                let ended = events.received[1]
                #expect(ended.detailType == "TrainerJourneyEnded")
                #expect(Set(ended.detail.keys) == ["trainerId", "studentId", "sessionId", "endTime", "reason"])
                #expect(ended.detail["reason"] == "cancelled")

                let g = try await h.fixture()
                #expect(try await h.start(g).status == 201)
                #expect(try await h.update(g, g.studentHome).status == 201)
                #expect(try await h.arrived(g).status == 200)
                #expect(try await eventually { events.received.contains { $0.detail["reason"] == "arrived" && $0.detail["sessionId"] == g.sessionId } })
            }
        }
    }

    @Test("an EventBridge failure changes no answer and delays none", arguments: [
        EventBridgeEndpoint.Mode.failedEntries, .serverError, .throttle, .hang,
    ])
    func failuresAreBestEffort(_ mode: EventBridgeEndpoint.Mode) async throws {
        let events = try await EventBridgeEndpoint.start(mode: mode)
        try await withCleanup({ await events.stop() }) {
            try await withHarness(events: events) { h in
                let f = try await h.fixture()
                let clock = ContinuousClock()
                var status = 0
                let elapsed = try await clock.measure { status = try await h.start(f).status }
                #expect(status == 201)
                #expect(elapsed < .seconds(3), "publishing is never awaited beyond the contract's 2 s (JRN-EVB-001's bound)")
                #expect(try await h.update(f, f.studentHome).status == 201)
                #expect(try await h.stopJourney(f).status == 200)
                #expect(try await eventually { events.received.count >= 2 }, "the publish was attempted")
            }
        }
    }
}
