import Checks
import Foundation
import Testing
import Wire
@testable import Probes

/// JRN-RATE-001's Retry-After judgement: a wait within the 5 s window in either RFC 9110 form,
/// anything else named as what it is.
@Suite("Retry-After within the rate window")
struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_765_000_000)

    func date(_ offset: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: now.addingTimeInterval(offset))
    }

    @Test("delay-seconds 1…5 is within the window; 0, 6, 60 and a millisecond count are not", arguments: [
        ("1", true), ("5", true), (" 3 ", true), ("0", false), ("6", false), ("60", false), ("4987", false),
    ])
    func delaySeconds(_ value: String, _ within: Bool) {
        let fact = RetryAfter.fact(value, window: 5, now: now)
        #expect((fact == .string("within the window")) == within, "\(value): \(fact)")
    }

    @Test("an HTTP-date at most 5 s ahead (2 s of clock skew either way) is within; a minute ahead or an hour ago is not")
    func httpDate() {
        #expect(RetryAfter.fact(date(4), window: 5, now: now) == .string("within the window"))
        #expect(RetryAfter.fact(date(-1), window: 5, now: now) == .string("within the window"))
        #expect(RetryAfter.fact(date(60), window: 5, now: now) == .string("a date 60 s ahead (not at most 5)"))
        #expect(RetryAfter.fact(date(-3600), window: 5, now: now) != .string("within the window"))
    }

    @Test("absent and unreadable are said as such")
    func absentOrUnreadable() {
        #expect(RetryAfter.fact(nil, window: 5, now: now) == .string("absent"))
        #expect(RetryAfter.fact("soon", window: 5, now: now) == .string("unreadable: soon"))
    }

    @Test("the obsolete HTTP-date forms a recipient must accept (RFC 9110 §5.6.7)")
    func obsoleteForms() {
        let imf = HTTPDateParser.date("Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(imf != nil)
        #expect(HTTPDateParser.date("Sunday, 06-Nov-94 08:49:37 GMT") == imf)
        #expect(HTTPDateParser.date("Sun Nov  6 08:49:37 1994") == imf)
    }
}
