import Foundation
import Reference
import Testing
import Wire

/// CONTRACT-TRIP.md "Rate limits": per caller and class, 429 with its body and headers
/// (the windows are in process memory whatever the store; the answers they mark come from it).
@Suite("Trip contract: rate limits", .timeLimit(.minutes(2)))
struct TripReferenceRateLimitTests {
    @Test("ten accepts pass (200 or 409), counting down; the eleventh is 429 with Retry-After and Reset agreeing", arguments: TripStoreKind.allCases)
    func acceptLimit(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let driver = f.drivers[0].token
            for n in 1...10 {
                let answer = try await api.accept(driver, trip: f.tripId)
                #expect(answer.status == (n == 1 ? 200 : 409))
                #expect(answer.rateLimit.limit == 10)
                #expect(answer.rateLimit.remaining == 10 - n)
            }
            let refused = try await api.accept(driver, trip: f.tripId)
            #expect(refused.status == 429)
            #expect(refused.json?["response_code"] as? String == "rate_limit_exceeded")
            #expect(refused.json?["message"] is String)
            let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(refused.json?["retry_after"] as? Int == retryAfter)
            #expect(refused.rateLimit.limit == 10)
            #expect(refused.rateLimit.remaining == 0)
            let reset = try #require(refused.rateLimit.reset)
            #expect(abs(reset - Int(Date().timeIntervalSince1970) - retryAfter) <= 2)

            #expect(try await api.cancel(driver, trip: f.tripId).rateLimit.limit == 5, "cancel counts in its own class")
            #expect(try await api.accept(f.drivers[1].token, trip: f.tripId).rateLimit.remaining == 9, "per driver")
        }
    }

    @Test("the other classes: cancel 5, location 100, general 60; a 401 is neither counted nor marked", arguments: TripStoreKind.allCases)
    func otherClasses(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let driver = f.drivers[0].token
            for _ in 1...5 { #expect(try await api.cancel(driver, trip: f.tripId).status == 409) }
            #expect(try await api.cancel(driver, trip: f.tripId).status == 429)
            #expect(try await api.accept(driver, trip: f.tripId).status == 200, "the accept class is untouched")

            let location = try await api.location(driver)
            #expect(location.rateLimit.limit == 100)
            #expect(location.rateLimit.remaining == 99)
            let status = try await api.onlineStatus(driver, online: true)
            #expect(status.rateLimit.limit == 60)
            #expect(try await api.details(driver, trip: f.tripId).rateLimit.remaining == 58)

            let anonymous = try await api.location(nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.rateLimit.limit == nil)
            #expect(try await api.create(f.customer.token).rateLimit.remaining == 59)
        }
    }
}
