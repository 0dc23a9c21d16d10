import Foundation

/// The rate-limit parts of an answer (seed 004 §4): the 429 itself and the `X-RateLimit-*`
/// headers every other answer of a limited route carries.
struct RateLimitAnswers: Sendable {
    var faults: Set<TripFault>

    /// `429` with the seed's body and `Retry-After`, plus the headers (Remaining 0).
    func refusal(_ window: RateWindow) -> APIResponse {
        var answer = faults.contains(.plain429Body) ? APIResponse.json(429, ["message": "Too Many Attempts."]) : APIResponse.json(429, [
            "response_code": "rate_limit_exceeded", "message": "Too many requests", "retry_after": window.retryAfter,
        ] as [String: Any])
        answer.headers = [("Retry-After", String(window.retryAfter))] + headers(window)
        return answer
    }

    /// `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix epoch seconds of the window's end,
    /// as the seed's `1702987654`); none under `no-ratelimit-headers`.
    func headers(_ window: RateWindow) -> [(String, String)] {
        guard !faults.contains(.noRatelimitHeaders) else { return [] }
        let end = window.resetsAt.timeIntervalSince1970
        let reset = faults.contains(.resetInMs) ? Int((end * 1000).rounded(.up)) : Int(end.rounded(.up))
        return [("X-RateLimit-Limit", String(window.limit)), ("X-RateLimit-Remaining", String(window.remaining)),
                ("X-RateLimit-Reset", String(reset))]
    }
}
