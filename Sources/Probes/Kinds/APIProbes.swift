import Checks
import Foundation
import Wire

/// JRN-GONE-001: updates after stop, after arrival, and for a session that never started.
struct GoneProbe: Probe {
    let kind = "gone"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×2", "POST stop-journey ×1", "POST arrived ×1", "POST updates ×4"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 3 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let never = try await run.fixture()
        run.record("neverStarted", .int(try await run.update("update, journey never started", never, at: never.studentHome).status))

        let stopped = try await run.fixture()
        try await run.startJourney(stopped)
        try await run.require(200, "stop", .stopJourney, stopped)
        run.record("afterStop", .int(try await run.update("late update after stop", stopped, at: stopped.studentHome.north(500)).status))

        let arrived = try await run.fixture()
        try await run.startJourney(arrived)
        try await run.place("update at the student's home", arrived, at: arrived.studentHome.north(ProbeFixture.atHomeMeters))
        try await run.require(200, "arrived", .arrived, arrived)
        run.record("afterArrival", .int(try await run.update("late update after arrival", arrived, at: arrived.studentHome).status))
    }
}

/// JRN-RATE-001: two updates at once. Only the refusal is compared: whether it carries
/// Retry-After, not its format (delay-seconds and HTTP-date are both RFC 9110).
struct RateLimitProbe: Probe {
    let kind = "rate"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×1", "POST updates ×2 at once", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        try await run.startJourney(f)
        try await run.place("first update", f, at: f.studentHome.north(2000))
        let second = try await run.update("second update at once", f, at: f.studentHome.north(2000))
        run.record("secondUpdate", .int(second.status))
        run.record("retryAfterPresent", .bool(second.header("Retry-After") != nil))
    }
}

/// JRN-SPOOF-001: two trainers move once the rate window passed, at the same time: one jumps
/// 10 km (refused), the other moves 50 m (accepted). Each on its own session and trainer, so no
/// step depends on whether a refused update used the rate window (an open choice).
struct SpoofProbe: Probe {
    let kind = "spoof"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST updates ×2 per journey, \(Judge.format(spec.number("waitSeconds", default: 5.5))) s apart (both journeys at once)",
         "POST stop-journey ×2 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let wait = spec.number("waitSeconds", default: 5.5)
        async let jump = move(run, meters: spec.number("jumpMeters", default: 10_000), wait: wait, label: "point 10 km away")
        async let plausible = move(run, meters: 50, wait: wait, label: "point 50 m on")
        let (jumped, moved) = try await (jump, plausible)
        run.record("implausibleJump", .int(jumped))
        run.record("plausibleMove", .int(moved))
    }

    private func move(_ run: ProbeRun, meters: Double, wait: Double, label: String) async throws -> Int {
        let f = try await run.fixture()
        try await run.startJourney(f)
        let origin = f.studentHome.north(3000)
        try await run.place("first point", f, at: origin)
        try await run.pause(wait, "past the rate window")
        return try await run.update(label, f, at: origin.north(-meters)).status
    }
}

/// JRN-OWN-001: another trainer and another student act on a journey. The start is tried on a
/// session with no journey (only 403 applies there: with a journey active, 409 would be as right);
/// update, arrived and stop on a journey the trainer started.
struct OwnershipProbe: Probe {
    let kind = "ownership"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2 (other trainer on one session, trainer on another)", "POST updates ×2, arrived ×1, stop-journey ×1 as the other trainer",
         "GET live ×1 as the other student", "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let idle = try await run.fixture()
        run.record("startByOtherTrainer", .int(try await run.call("start by another trainer", .startJourney, idle, as: .otherTrainer).status))

        let f = try await run.fixture()
        try await run.startJourney(f)
        try await run.place("update by the trainer", f, at: f.studentHome.north(ProbeFixture.atHomeMeters))
        let body = ProbeRun.updateBody(f, f.studentHome)
        run.record("updateByOtherTrainer", .int(try await run.call("update by another trainer", .locationUpdate, f, as: .otherTrainer, body: body).status))
        run.record("liveByOtherStudent", .int(try await run.call("live polling by another student", .liveLocation, f, as: .otherStudent).status))
        run.record("arrivedByOtherTrainer", .int(try await run.call("arrived by another trainer", .arrived, f, as: .otherTrainer).status))
        run.record("stopByOtherTrainer", .int(try await run.call("stop by another trainer", .stopJourney, f, as: .otherTrainer).status))
    }
}

/// JRN-AUTH-001: each call without a token and with an unknown one.
struct AuthProbe: Probe {
    let kind = "auth"
    func plan(_ spec: ProbeSpec) -> [String] { ["each of the 5 calls ×2 (no token, unknown token)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.fixture()
        let body = ProbeRun.updateBody(f, f.studentHome)
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
        let farMeters = spec.number("farMeters", default: 400), nearMeters = spec.number("nearMeters", default: 50)
        let far = try await run.fixture()
        try await run.startJourney(far)
        try await run.place("update \(Int(farMeters)) m from home", far, at: far.studentHome.north(farMeters))
        run.record("arrivedFar", .int(try await run.call("arrived far from home", .arrived, far, as: .trainer).status))

        let near = try await run.fixture()
        try await run.startJourney(near)
        try await run.place("update \(Int(nearMeters)) m from home", near, at: near.studentHome.north(nearMeters))
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
            try await run.place("update at the student's home", f, at: f.studentHome.north(ProbeFixture.atHomeMeters))
            try await run.require(200, ending == .arrived ? "arrived" : "stop", ending, f)
            run.record("journeyKey\(suffix)", await run.exists(StateKeys.journeyActive(f.sessionId)))
            run.record("locationKey\(suffix)", await run.exists(StateKeys.location(trainerId: f.trainer.id, sessionId: f.sessionId)))
            run.record("poll\(suffix)", LivePoll.fact(try await run.call("live polling", .liveLocation, f, as: .student)))
        }
    }
}

/// What live polling said, in the contract's terms only: status, isActive, location null or not.
enum LivePoll {
    static func fact(_ response: HTTPResponseData) -> FactValue {
        let data = response.json?["data"] as? [String: Any]
        let location = data?["location"].map { $0 is NSNull ? "null" : "present" } ?? "absent"
        return .string("\(response.status) isActive=\(data?["isActive"].map { "\($0)" } ?? "absent") location=\(location)")
    }
}
