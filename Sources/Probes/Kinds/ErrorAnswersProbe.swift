import Checks
import Foundation
import Wire

/// JRN-ERRORS-001: the error answers the contract names that no other scenario reaches, each by one
/// request that changes nothing: a start and a live poll of a session that does not exist (404),
/// arrived and stop with no journey active (404), and the order of call 2's first checks on a
/// session with no journey: no token and a bad body (401: authenticate first), a body that is not
/// the contract's shape or a point out of range (400: validate before the journey is looked up).
struct ErrorAnswersProbe: Probe {
    let kind = "error-answers"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×1 and GET live ×1 for an unknown session", "POST arrived ×1, stop-journey ×1 with no journey active",
         "POST updates ×3 with no journey active (bad body without a token, bad body, latitude 91)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        let unknown = Exchange.unknownSessionPrefix + UUID().uuidString.prefix(8).lowercased()
        run.record("startUnknownSession", .int(try await run.call("start an unknown session", .startJourney, f, as: .trainer, sessionId: unknown).status))
        run.record("liveUnknownSession", .int(try await run.call("live polling of an unknown session", .liveLocation, f, as: .student, sessionId: unknown).status))
        run.record("arrivedWithoutJourney", .int(try await run.call("arrived with no journey active", .arrived, f, as: .trainer).status))
        run.record("stopWithoutJourney", .int(try await run.call("stop with no journey active", .stopJourney, f, as: .trainer).status))
        let badBody: [String: Any] = ["sessionId": f.sessionId, "latitude": "north"]
        run.record("badBodyWithoutToken", .int(try await run.call("update, bad body, no token", .locationUpdate, f, as: .none, body: badBody).status))
        run.record("badBody", .int(try await run.call("update with a bad body, no journey active", .locationUpdate, f, as: .trainer, body: badBody).status))
        let outOfRange: [String: Any] = ["sessionId": f.sessionId, "latitude": 91.0, "longitude": f.studentHome.longitude]
        run.record("outOfRange", .int(try await run.call("update at latitude 91, no journey active", .locationUpdate, f, as: .trainer, body: outOfRange).status))
    }
}
