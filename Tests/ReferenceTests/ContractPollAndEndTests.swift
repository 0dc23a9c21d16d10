import Wire
import Foundation
import Reference
import Testing

/// CONTRACT.md rows 3–5: live polling, arrival and stop, and the state they leave behind.
@Suite("Contract: live polling, arrived, stop", .timeLimit(.minutes(2)))
struct ContractPollAndEndTests {
    @Test(arguments: StoreKind.allCases)
    func livePolling(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.api.send(.liveLocation, sessionId: "no-such-session", token: f.student.token).status == 404)
            #expect(try await h.live(f, token: f.otherStudent.token).status == 403)
            #expect(try await h.live(f, token: f.trainer.token).status == 403)
            #expect(try await h.api.send(.liveLocation, sessionId: f.sessionId, token: nil).status == 401)

            let before = try await h.live(f)
            #expect(before.status == 200)
            #expect(before.data?["isActive"] as? Bool == false)
            #expect(before.data?["location"] is NSNull)

            #expect(try await h.start(f).status == 201)
            let noPointYet = try await h.live(f)
            #expect(noPointYet.data?["isActive"] as? Bool == true)
            #expect(noPointYet.data?["lastUpdate"] is NSNull)

            let point = f.studentHome.north(800)
            #expect(try await h.update(f, point).status == 201)
            let during = try await h.live(f)
            #expect(during.status == 200)
            #expect(during.data?["trainerId"] as? String == f.trainer.id)
            #expect(during.data?["isActive"] as? Bool == true)
            let location = try #require(during.data?["location"] as? [String: Any])
            #expect(abs((location["latitude"] as? Double ?? 0) - point.latitude) < 1e-9)
            #expect(location["timestamp"] is String)
            #expect(during.data?["lastUpdate"] is String)

            #expect(try await h.stopJourney(f).status == 200)
            let after = try await h.live(f)
            #expect(after.status == 200)
            #expect(after.data?["isActive"] as? Bool == false)
            #expect(after.data?["location"] is NSNull)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func arrived(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.arrived(f).status == 404, "journey not active")
            #expect(try await h.start(f).status == 201)
            #expect(try await h.arrived(f).status == 400, "no location yet")
            #expect(try await h.update(f, f.studentHome.north(100)).status == 201)
            #expect(try await h.arrived(f, token: f.otherTrainer.token).status == 403)
            #expect(try await h.arrived(f, token: "bogus").status == 401)

            let arrived = try await h.arrived(f)
            #expect(arrived.status == 200)
            #expect(arrived.data?["sessionId"] as? String == f.sessionId)
            #expect((arrived.data?["otp"] as? String)?.count == 4)
            #expect(arrived.data?["arrivedAt"] is String)

            #expect(try await h.inspector.exists(StateKeys.journeyActive(f.sessionId)) == false)
            #expect(try await h.inspector.exists(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)) == false)
            #expect(try await h.inspector.get(StateKeys.journeyEnded(f.sessionId)) == "arrived")
        }
    }

    @Test("arrived more than 150 m from the student's home: 400", arguments: StoreKind.allCases)
    func arrivedTooFar(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome.north(400)).status == 201)
            let far = try await h.arrived(f)
            #expect(far.status == 400)
            #expect(try await h.inspector.exists(StateKeys.journeyActive(f.sessionId)), "a refused arrival ends nothing")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func stop(_ store: StoreKind) async throws {
        try await withHarness(store) { h in
            let f = try await h.fixture()
            #expect(try await h.stopJourney(f).status == 404)
            #expect(try await h.start(f).status == 201)
            #expect(try await h.update(f, f.studentHome.north(3000)).status == 201)
            #expect(try await h.stopJourney(f, token: f.otherTrainer.token).status == 403)
            #expect(try await h.api.send(.stopJourney, sessionId: f.sessionId, token: nil).status == 401)
            let stopped = try await h.stopJourney(f)
            #expect(stopped.status == 200)
            #expect(stopped.data?["stoppedAt"] is String)
            #expect(try await h.inspector.exists(StateKeys.journeyActive(f.sessionId)) == false)
            #expect(try await h.inspector.exists(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)) == false)
            #expect(try await h.inspector.get(StateKeys.journeyEnded(f.sessionId)) == "cancelled")
            #expect(try await h.stopJourney(f).status == 404, "already stopped")
            #expect(try await h.start(f).status == 201, "a cancelled session is still scheduled and may start again")
            #expect(try await h.inspector.exists(StateKeys.journeyEnded(f.sessionId)) == false)
        }
    }
}
