import Checks
import Foundation
import Wire

/// Sends a call up to `limit + 2` times, stopping at the first 429: how many answers came before
/// it, as a fact ("no 429 in N" when none came), and the answers themselves.
func countUntilLimited(_ limit: Int, _ send: (Int) async throws -> HTTPResponseData) async throws -> (fact: FactValue, answers: [HTTPResponseData]) {
    var answers: [HTTPResponseData] = []
    for attempt in 1...(limit + 2) {
        let response = try await send(attempt)
        answers.append(response)
        if response.status == 429 { return (.int(attempt - 1), answers) }
    }
    return (.string("no 429 in \(limit + 2)"), answers)
}

/// TRP-RATE-001: one driver accepts trip after trip; the 11th in a minute is refused with 429,
/// and the rate headers are consistent with the stated limit, as docs/contract/trip.md lists them.
struct TripRateProbe: Probe {
    let kind = "trip-rate"

    func plan(_ spec: ProbeSpec) -> [String] {
        let limit = spec.count("limit", default: 10)
        return ["POST create ×\(limit + 1) (the trips to accept)", "POST trip-action accept ×\(limit + 2) at most, one per trip, until the first 429"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let limit = spec.count("limit", default: 10)
        let f = try await run.tripFixture()
        var trips = [f.tripId]
        for n in 1...(limit + 1) { trips.append(try await run.createTrip("create trip \(n + 1)", f, variation: Double(n) / 1000)) }
        let (count, answers) = try await countUntilLimited(limit) { attempt in
            try await run.tripCall("accept \(attempt)", .tripAction, f, as: .driver(1), body: TripBody.accept(trips[attempt - 1]))
        }
        run.record("acceptsBeforeLimit", count)
        let successes = answers.filter { $0.status == 200 }
        run.record("headersOnSuccess", .string(Self.successHeaders(successes, limit: limit)))
        guard let limited = answers.last, limited.status == 429 else {
            run.record("headersOn429", .string("no 429 answer"))
            run.record("body429", .string("no 429 answer"))
            return
        }
        run.record("headersOn429", .strings(Self.limitedHeaders(limited, limit: limit, now: Date())))
        run.record("body429", .string(Self.limitedBody(limited)))
    }

    /// "Limit 10 on every success, Remaining 9 down to 0" or what breaks it.
    static func successHeaders(_ answers: [HTTPResponseData], limit: Int) -> String {
        guard !answers.isEmpty else { return "no successful answer" }
        let limits = answers.map { $0.header("X-RateLimit-Limit").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        let remaining = answers.map { $0.header("X-RateLimit-Remaining").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        if limits.contains(where: { $0 == nil }) { return "X-RateLimit-Limit missing on a success" }
        if remaining.contains(where: { $0 == nil }) { return "X-RateLimit-Remaining missing on a success" }
        if let wrong = limits.first(where: { $0 != limit }) { return "X-RateLimit-Limit \(wrong!), not the stated \(limit)" }
        let counts = remaining.map { $0! }
        if counts.contains(where: { $0 < 0 || $0 > limit }) { return "X-RateLimit-Remaining outside 0…\(limit): \(counts.map(String.init).joined(separator: " "))" }
        for (a, b) in zip(counts, counts.dropFirst()) where b != a - 1 {
            return "X-RateLimit-Remaining does not count down by one: \(counts.map(String.init).joined(separator: " "))"
        }
        return "Limit \(limit) on every success, Remaining counting down by one to \(counts.last!)"
    }

    /// What a 429's headers say, each as the contract wants it or as found: Retry-After in whole
    /// seconds, Limit the stated one, Remaining 0, Reset in epoch seconds agreeing with
    /// Retry-After within 5 s of clock skew.
    static func limitedHeaders(_ answer: HTTPResponseData, limit: Int, now: Date) -> [String] {
        func number(_ name: String) -> Double? { answer.header(name).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        var lines: [String] = []
        let retryAfter = number("Retry-After")
        lines.append(retryAfter.map { $0 >= 0 && $0 <= 60 ? "Retry-After in seconds (≤ 60)" : "Retry-After \(Judge.format($0)), not seconds within the minute" } ?? "Retry-After missing")
        lines.append(number("X-RateLimit-Limit").map { Int($0) == limit ? "X-RateLimit-Limit \(limit)" : "X-RateLimit-Limit \(Judge.format($0)), not \(limit)" } ?? "X-RateLimit-Limit missing")
        lines.append(number("X-RateLimit-Remaining").map { $0 == 0 ? "X-RateLimit-Remaining 0" : "X-RateLimit-Remaining \(Judge.format($0)), not 0" } ?? "X-RateLimit-Remaining missing")
        if let reset = number("X-RateLimit-Reset") {
            let nowSeconds = now.timeIntervalSince1970
            if reset > nowSeconds * 100 {
                lines.append("X-RateLimit-Reset \(Judge.format(reset)): milliseconds, not epoch seconds")
            } else if let retryAfter, abs(reset - nowSeconds - retryAfter) > 5 {
                lines.append("X-RateLimit-Reset \(Judge.format(reset)) is \(Judge.format((reset - nowSeconds).rounded())) s away, Retry-After says \(Judge.format(retryAfter))")
            } else {
                lines.append("X-RateLimit-Reset in epoch seconds, agreeing with Retry-After")
            }
        } else {
            lines.append("X-RateLimit-Reset missing")
        }
        return lines
    }

    /// The 429 body: `response_code: rate_limit_exceeded` and a `retry_after`.
    static func limitedBody(_ answer: HTTPResponseData) -> String {
        guard let json = answer.json else { return "not a JSON object" }
        let code = json["response_code"] as? String
        let retry = json["retry_after"] != nil
        return "response_code \(code ?? "missing"), retry_after \(retry ? "present" : "missing")"
    }
}

/// TRP-RATE-002: the other classes' limits, each on its own caller: cancel 5, location 100 and
/// general 60 per minute; how many calls of each pass before the first 429.
struct TripRateClassesProbe: Probe {
    let kind = "trip-rate-classes"

    func plan(_ spec: ProbeSpec) -> [String] {
        ["driver 1: (accept, cancel) ×7 at most until a cancel gets 429", "driver 2: POST location ×102 at most", "customer: GET details ×62 at most"]
    }

    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let f = try await run.tripFixture()
        let cancels = try await countUntilLimited(spec.count("cancel", default: 5)) { attempt in
            try await run.tripRequire(200, "accept \(attempt)", .tripAction, f, as: .driver(1), body: TripBody.accept(f.tripId))
            return try await run.tripCall("cancel \(attempt)", .tripAction, f, as: .driver(1), body: TripBody.cancel(f.tripId))
        }
        run.record("cancelsBeforeLimit", cancels.fact)
        let locations = try await countUntilLimited(spec.count("location", default: 100)) { attempt in
            try await run.tripCall("location \(attempt)", .driverLocation, f, as: .driver(2), body: TripBody.location)
        }
        run.record("locationsBeforeLimit", locations.fact)
        let general = try await countUntilLimited(spec.count("general", default: 60)) { attempt in
            try await run.tripCall("details \(attempt)", .tripDetails, f, as: .customer)
        }
        run.record("generalBeforeLimit", general.fact)
    }
}
