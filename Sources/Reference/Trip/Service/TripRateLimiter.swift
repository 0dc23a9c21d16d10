import Foundation
import Synchronization

/// Seed 004 §4's endpoint classes and their limits per minute.
enum RateClass: String, Sendable {
    case tripAccept = "trip_accept"
    case tripCancel = "trip_cancel"
    case locationUpdate = "location_update"
    case general

    var limit: Int {
        switch self {
        case .tripAccept: 10
        case .tripCancel: 5
        case .locationUpdate: 100
        case .general: 60
        }
    }
}

/// Where a caller stands in its window of one class, after this request was counted (or refused).
struct RateWindow: Sendable {
    var allowed: Bool
    var limit: Int
    /// Limit minus the requests counted so far in this window, never below 0.
    var remaining: Int
    var resetsAt: Date
    var now: Date

    /// Seconds until the window resets, rounded up, at least 1 (RFC 9110 §10.2.3 delay-seconds).
    var retryAfter: Int { max(1, Int((resetsAt.timeIntervalSince(now)).rounded(.up))) }
}

/// Fixed 60 s windows per caller and class, each starting at the caller's first request in that
/// class, as Laravel's `RateLimiter::hit` with a decay of 60 does. In process memory: the limit is
/// per instance, which the contract allows (it states limits, not where they are kept).
final class TripRateLimiter: Sendable {
    private struct Key: Hashable {
        var caller: String
        var rateClass: RateClass
    }

    private struct Window {
        var startedAt: Date
        var count: Int
    }

    static let windowSeconds: TimeInterval = 60
    /// `ratelimit-off-by-one` lets one request more through than the limit says.
    private let extra: Int
    private let windows = Mutex<[Key: Window]>([:])

    init(offByOne: Bool) {
        extra = offByOne ? 1 : 0
    }

    /// Counts one request unless the window is full. Refused requests are not counted (Laravel's
    /// `tooManyAttempts` before `hit`): they change nothing the headers show.
    func count(caller: String, _ rateClass: RateClass, now: Date = Date()) -> RateWindow {
        let limit = rateClass.limit
        return windows.withLock { windows in
            let key = Key(caller: caller, rateClass: rateClass)
            var window = windows[key] ?? Window(startedAt: now, count: 0)
            if now.timeIntervalSince(window.startedAt) >= Self.windowSeconds { window = Window(startedAt: now, count: 0) }
            let allowed = window.count < limit + extra
            if allowed { window.count += 1 }
            windows[key] = window
            return RateWindow(allowed: allowed, limit: limit, remaining: allowed ? max(0, limit - window.count) : 0,
                              resetsAt: window.startedAt.addingTimeInterval(Self.windowSeconds), now: now)
        }
    }
}
