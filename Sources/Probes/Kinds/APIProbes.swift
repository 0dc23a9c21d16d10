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

/// JRN-RATE-001: two updates at once. The refusal is compared, and its `Retry-After` only for
/// what the contract pins: a wait within the 5 s window (delay-seconds 1–5, or an HTTP-date at most
/// 5 s ahead: both are RFC 9110 §10.2.3), never its format.
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
        run.record("retryAfterWithinWindow", RetryAfter.fact(second.header("Retry-After"), window: Double(ContractLimits.updateIntervalMs) / 1000))
    }
}

/// A `Retry-After` value judged against the rate window: within it, or what it says instead.
enum RetryAfter {
    /// Clock skew allowed to an HTTP-date (whole seconds, and the server's clock is not ours).
    static let dateSkewSeconds = 2.0

    static func fact(_ value: String?, window: Double, now: Date = Date()) -> FactValue {
        guard let value = value?.trimmingCharacters(in: .whitespaces) else { return .string("absent") }
        if let seconds = Int(value) {
            return (1...Int(window)).contains(seconds) ? .string("within the window") : .string("\(seconds) s (not 1–\(Int(window)))")
        }
        guard let date = HTTPDateParser.date(value) else { return .string("unreadable: \(value)") }
        let ahead = date.timeIntervalSince(now)
        if ahead <= window + dateSkewSeconds && ahead >= -dateSkewSeconds { return .string("within the window") }
        return ahead > 0 ? .string("a date \(Int(ahead.rounded())) s ahead (not at most \(Int(window)))")
            : .string("a date \(Int(-ahead.rounded())) s in the past")
    }
}

/// JRN-SPOOF-001: the 120 km/h line probed from both sides, once the rate window passed: one
/// trainer moves `margin` under the limit (accepted), another `margin` over it (refused). Each on
/// its own session and trainer, so no step depends on whether a refused update used the rate
/// window (an open choice). The server times a move between its two arrivals, which the auditor
/// bounds from outside when it sends the second point: at least the time since the first answer
/// (the slow move's distance uses it), at most the time since the first send plus the first round
/// trip again for the second (the fast one's; an exchange that turns out slower and is accepted
/// is inconclusive).
/// `margin` (5 %) covers distance formulas (haversine, an ellipsoid, equirectangular: under 1 %
/// apart at 200 m) and timestamps in milliseconds over 5.5 s.
struct SpoofProbe: Probe {
    let kind = "spoof"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST updates ×2 per journey, \(Judge.format(spec.number("waitSeconds", default: 5.5))) s apart (both journeys at once)",
         "POST stop-journey ×2 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        run.unscriptable("each distance is computed from the time the server can have measured in this run; a shell block "
                         + "replaying it would put the speed elsewhere on the line")
        let wait = spec.number("waitSeconds", default: 5.5)
        let limit = spec.number("limitKmh", default: ContractLimits.maxSpeedKmh), margin = spec.number("margin", default: 0.05)
        async let fast = move(run, kmh: limit * (1 + margin), over: true, wait: wait)
        async let slow = move(run, kmh: limit * (1 - margin), over: false, wait: wait)
        let (overAnswer, underAnswer) = try await (fast, slow)
        run.record("overLimit", .int(overAnswer))
        run.record("underLimit", .int(underAnswer))
    }

    /// Two points `wait` apart in time, as far apart as `kmh` covers in the time the server can
    /// have measured (the longest for `over`, the shortest otherwise); the second's status.
    private func move(_ run: ProbeRun, kmh: Double, over: Bool, wait: Double) async throws -> Int {
        let f = try await run.fixture()
        try await run.startJourney(f)
        let origin = f.studentHome.north(3000)
        let clock = ContinuousClock()
        let sent = clock.now
        try await run.place("first point", f, at: origin)
        let answered = clock.now
        try await run.pause(wait, "past the rate window")
        let seconds = over ? (clock.now - sent + (answered - sent)).inSeconds + 0.05 : (clock.now - answered).inSeconds
        let meters = kmh / 3.6 * seconds
        let label = "point \(Int(meters.rounded())) m on: \(Int(kmh.rounded())) km/h over \(Judge.format(seconds)) s"
        let status = try await run.update(label, f, at: origin.north(-meters)).status
        // Accepted although the exchange took longer than the distance allowed for: the server may
        // have measured a speed under the limit, so its 201 proves nothing. (A refusal stands: the
        // slow move on the other journey shows whether the service refuses too much.)
        let took = (clock.now - sent).inSeconds
        if over, status != 400, took > seconds {
            throw ProbeError("the move over the limit was answered \(status) after \(Judge.format(took)) s from the first send to the last answer, more than "
                             + "the \(Judge.format(seconds)) s its distance was computed for: the speed the server measured may be under the limit")
        }
        return status
    }
}

/// JRN-OWN-001: every identity but the owner, on every call. The start is tried on a session with
/// no journey (only 403 applies there: with a journey active, 409 would be as right); update,
/// arrived and stop on a journey the trainer started. The strangers go first and the session's
/// own student last, and a call that wrongly ended the journey is followed by a fresh one for
/// the next call, so every caller's answer to every call is observed, never a 404 left behind by
/// someone else's success. The session's own student is tried like the strangers: the contract's
/// "who" column gives it live polling only, and gives live polling to no one else.
struct OwnershipProbe: Probe {
    let kind = "ownership"
    static let notTrainer: [Role] = [.otherTrainer, .otherStudent, .student]
    static let notStudent: [Role] = [.otherTrainer, .otherStudent, .trainer]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×4 (other trainer, other student, student on one session; trainer on another)",
         "POST updates ×4, arrived ×3, stop-journey ×3 as the other trainer, other student and student",
         "GET live ×3 as the other trainer, other student and trainer", "POST stop-journey ×1 (cleanup)",
         "when a call wrongly ended the journey: POST start-journey ×1, updates ×1 on a fresh session, at most twice"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 4 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let idle = try await run.fixture()
        run.record("startByOthers", try await answers(run, "start", .startJourney, idle, Self.notTrainer))

        var f = try await journey(run)
        run.record("updateByOthers", try await answers(run, "update", .locationUpdate, f, Self.notTrainer, body: ProbeRun.updateBody(f, f.studentHome)))
        run.record("liveByOthers", try await answers(run, "live polling", .liveLocation, f, Self.notStudent))
        run.record("arrivedByOthers", try await answers(run, "arrived", .arrived, f, Self.notTrainer))
        if try await !active(run, f) { f = try await journey(run) }
        run.record("stopByOthers", try await answers(run, "stop", .stopJourney, f, Self.notTrainer))
    }

    /// A journey the trainer started, the trainer at the student's door.
    private func journey(_ run: ProbeRun) async throws -> ProbeFixture {
        let f = try await run.fixture()
        try await run.startJourney(f)
        try await run.place("update by the trainer", f, at: f.studentHome.north(ProbeFixture.atHomeMeters))
        return f
    }

    private func active(_ run: ProbeRun, _ f: ProbeFixture) async throws -> Bool {
        let live = try await run.call("live polling: is the journey still active?", .liveLocation, f, as: .student)
        return (live.json?["data"] as? [String: Any])?["isActive"] as? Bool == true
    }

    /// One call by each of `roles`, as "role: status" in that order.
    private func answers(_ run: ProbeRun, _ what: String, _ call: JourneyAPI.Call, _ f: ProbeFixture, _ roles: [Role],
                         body: [String: Any]? = nil) async throws -> FactValue {
        var seen: [String] = []
        for role in roles {
            let response = try await run.call("\(what) by the \(role.words)", call, f, as: role, body: body)
            seen.append("\(role.words): \(response.status)")
        }
        return .strings(seen)
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

/// JRN-ARRIVE-001: the 150 m line probed from both sides, each on its own session: arrival
/// `margin` outside the radius (refused) and `margin` inside it (accepted, with an OTP). `margin`
/// (10 m, under 7 %) covers distance formulas and Earth radii (haversine on 6371 km, WGS84, an
/// equirectangular approximation: well under 1 m apart at 150 m) and coordinates rounded to 6
/// decimals (0.11 m).
struct ArrivalProbe: Probe {
    let kind = "arrival"
    func plan(_ spec: ProbeSpec) -> [String] { ["POST start-journey ×2", "POST updates ×2", "POST arrived ×2", "POST stop-journey ×1 (cleanup)"] }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let radius = spec.number("radiusMeters", default: ContractLimits.arrivalRadiusMeters), margin = spec.number("marginMeters", default: 10)
        let far = try await run.fixture()
        try await run.startJourney(far)
        try await run.place("update \(Int(radius + margin)) m from home", far, at: far.studentHome.north(radius + margin))
        run.record("arrivedOutside", .int(try await run.call("arrived \(Int(radius + margin)) m from home", .arrived, far, as: .trainer).status))

        let near = try await run.fixture()
        try await run.startJourney(near)
        try await run.place("update \(Int(radius - margin)) m from home", near, at: near.studentHome.north(radius - margin))
        let arrived = try await run.call("arrived \(Int(radius - margin)) m from home", .arrived, near, as: .trainer)
        run.record("arrivedInside", .int(arrived.status))
        let otp = (arrived.json?["data"] as? [String: Any])?["otp"]
        run.record("otpPresent", .bool(otp is String || otp is Int))
    }
}

/// JRN-CLEAN-001: the state left after stop and after arrival: no journey or location key, the
/// ended marker with its TTL, and what live polling says.
struct CleanupProbe: Probe {
    let kind = "cleanup"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2", "POST updates ×2", "POST stop-journey ×1", "POST arrived ×1", "GET live ×2", "EXISTS journey and location keys ×4",
         "TTL journey:ended ×2"]
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
            run.record("endedTTL\(suffix)", await run.ttl(StateKeys.journeyEnded(f.sessionId)))
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
