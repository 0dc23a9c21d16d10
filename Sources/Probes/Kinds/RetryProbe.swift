import Checks
import Foundation
import Wire

/// JRN-RETRY-001 (seeds/002 Issue #4): a client retries an update it thinks was lost, with the
/// same body, inside the 5 s window. The point the student sees is still the first one: the
/// contract checks the rate limit before it writes. (The refusal itself, 429 with Retry-After, is
/// JRN-RATE-001's; here it is only in the transcript.) The retry waits a little past one second,
/// so a rewrite shows in the stored timestamp at any resolution.
struct RetryProbe: Probe {
    let kind = "retry"
    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×1", "POST updates ×2, the same body \(Judge.format(spec.number("retryAfterSeconds", default: 1.2))) s apart",
         "GET live ×2 (before and after the retry)", "POST stop-journey ×1 (cleanup)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        run.unscriptable("what differs is the polled location's timestamp before and after the retry, not a status code")
        let f = try await run.fixture()
        try await run.startJourney(f)
        let point = f.studentHome.north(1500)
        try await run.place("update", f, at: point)
        let before = try await run.require(200, "poll after the update", .liveLocation, f, as: .student)
        try await run.pause(spec.number("retryAfterSeconds", default: 1.2), "so that a rewrite shows in the stored timestamp")
        try await run.update("the same update retried", f, at: point)
        let after = try await run.require(200, "poll after the retry", .liveLocation, f, as: .student)
        let first = Self.location(before), second = Self.location(after)
        run.note("poll after the retry", "location before: \(first ?? "none"); after: \(second ?? "none")")
        run.record("pointAfterRetry", .string(first == nil ? "no location before the retry" : first == second ? "unchanged" : "rewritten"))
    }

    /// The polled location as sorted JSON (its timestamp included), nil when there is none.
    static func location(_ response: HTTPResponseData) -> String? {
        guard let data = response.json?["data"] as? [String: Any], let location = data["location"] as? [String: Any] else { return nil }
        return JSONText.encode(location)
    }
}
