import Checks
import Foundation
import Wire

/// JRN-GONE-001: updates after stop, after arrival, and for a session that never started.
struct GoneProbe: Probe {
    let kind = "gone"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×2", "POST stop-journey ×1", "POST arrived ×1", "POST updates ×4"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 3 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let a = try await run.fixture()
        try await run.startJourney(a)
        try await run.call("stop", .stopJourney, a, as: .trainer)
        run.record("afterStop", .int(try await run.update("late update after stop", a, at: a.studentHome.north(500)).status))

        let b = try await run.fixture()
        try await run.startJourney(b)
        try await run.update("update near home", b, at: b.studentHome.north(30))
        try await run.call("arrived", .arrived, b, as: .trainer)
        run.record("afterArrival", .int(try await run.update("late update after arrival", b, at: b.studentHome.north(30)).status))

        let c = try await run.fixture()
        run.record("neverStarted", .int(try await run.update("update, journey never started", c, at: c.studentHome).status))
    }
}

/// JRN-RATE-001: two updates at once.
struct RateLimitProbe: Probe {
    let kind = "rate"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1", "POST updates ×2 at once", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        run.record("firstUpdate", .int(try await run.update("first update", f, at: f.studentHome.north(2000)).status))
        let second = try await run.update("second update at once", f, at: f.studentHome.north(1990))
        run.record("secondUpdate", .int(second.status))
        run.record("retryAfterPresent", .bool(second.header("Retry-After") != nil))
    }
}

/// JRN-SPOOF-001: a 10 km jump once the rate window passed, then a plausible point.
struct SpoofProbe: Probe {
    let kind = "spoof"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×1", "POST updates ×3 (\(spec.number("waitSeconds", default: 5.5)) s between the first two)", "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        let origin = f.studentHome.north(3000)
        try await run.update("first point", f, at: origin)
        try await Task.sleep(for: .milliseconds(Int64(spec.number("waitSeconds", default: 5.5) * 1000)))
        let jump = origin.north(spec.number("jumpMeters", default: 10_000))
        run.record("implausibleJump", .int(try await run.update("point 10 km away", f, at: jump).status))
        run.record("plausibleMove", .int(try await run.update("point 50 m on", f, at: origin.north(-50)).status))
    }
}

/// JRN-OWN-001: another trainer and another student act on the journey.
struct OwnershipProbe: Probe {
    let kind = "ownership"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2 (other trainer, then trainer)", "POST updates, stop-journey, arrived ×1 each as the other trainer", "GET live ×1 as the other student", "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        run.record("startByOtherTrainer", .int(try await run.call("start by another trainer", .startJourney, f, as: .otherTrainer).status))
        try await run.startJourney(f)
        try await run.update("update by the trainer", f, at: f.studentHome.north(30))
        let body: [String: Any] = ["sessionId": f.sessionId, "latitude": f.studentHome.latitude, "longitude": f.studentHome.longitude]
        run.record("updateByOtherTrainer", .int(try await run.call("update by another trainer", .locationUpdate, f, as: .otherTrainer, body: body).status))
        run.record("stopByOtherTrainer", .int(try await run.call("stop by another trainer", .stopJourney, f, as: .otherTrainer).status))
        run.record("arrivedByOtherTrainer", .int(try await run.call("arrived by another trainer", .arrived, f, as: .otherTrainer).status))
        run.record("liveByOtherStudent", .int(try await run.call("live polling by another student", .liveLocation, f, as: .otherStudent).status))
    }
}

/// JRN-AUTH-001: each call without a token and with an unknown one.
struct AuthProbe: Probe {
    let kind = "auth"
    func plan(_ spec: ProbeSpec) -> [String] { ["each of the 5 calls ×2 (no token, unknown token)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        let body: [String: Any] = ["sessionId": f.sessionId, "latitude": f.studentHome.latitude, "longitude": f.studentHome.longitude]
        for (role, fact) in [(Role.none, "withoutToken"), (.invalid, "withUnknownToken")] {
            var answers: [String] = []
            for call in JourneyAPI.Call.allCases {
                let response = try await run.call("\(call.rawValue) (\(role == .none ? "no token" : "unknown token"))", call, f, as: role,
                                                  body: call == .locationUpdate ? body : nil)
                answers.append("\(call.rawValue): \(response.status)")
            }
            run.record(fact, .strings(answers))
        }
    }
}

/// JRN-ARRIVE-001: arrival 400 m away, then 50 m away on another session.
struct ArrivalProbe: Probe {
    let kind = "arrival"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×2", "POST updates ×2", "POST arrived ×2", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let far = try await run.fixture()
        try await run.startJourney(far)
        try await run.update("update \(Int(spec.number("farMeters", default: 400))) m from home", far, at: far.studentHome.north(spec.number("farMeters", default: 400)))
        run.record("arrivedFar", .int(try await run.call("arrived far from home", .arrived, far, as: .trainer).status))

        let near = try await run.fixture()
        try await run.startJourney(near)
        try await run.update("update \(Int(spec.number("nearMeters", default: 50))) m from home", near, at: near.studentHome.north(spec.number("nearMeters", default: 50)))
        let arrived = try await run.call("arrived near home", .arrived, near, as: .trainer)
        run.record("arrivedNear", .int(arrived.status))
        let otp = (arrived.json?["data"] as? [String: Any])?["otp"]
        run.record("otpPresent", .bool(otp is String || otp is Int))
    }
}

/// JRN-CLEAN-001: the state left after stop and after arrival.
struct CleanupProbe: Probe {
    let kind = "cleanup"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST updates ×2", "POST stop-journey ×1", "POST arrived ×1", "GET live ×2", "EXISTS journey and location keys ×4"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        for (suffix, ending) in [("AfterStop", JourneyAPI.Call.stopJourney), ("AfterArrival", .arrived)] {
            let f = try await run.fixture()
            try await run.startJourney(f)
            try await run.update("update near home", f, at: f.studentHome.north(30))
            try await run.call(ending == .arrived ? "arrived" : "stop", ending, f, as: .trainer)
            run.record("journeyKey\(suffix)", await run.exists(StateKeys.journeyActive(f.sessionId)))
            run.record("locationKey\(suffix)", await run.exists(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)))
            let live = try await run.call("live polling", .liveLocation, f, as: .student)
            let data = live.json?["data"] as? [String: Any]
            let location = data?["location"].map { $0 is NSNull ? "null" : "present" } ?? "absent"
            run.record("poll\(suffix)", .string("\(live.status) isActive=\(data?["isActive"].map { "\($0)" } ?? "absent") location=\(location)"))
        }
    }
}
