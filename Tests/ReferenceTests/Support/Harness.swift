import TestSupport
import Foundation
import Synchronization
import Probes
import Reference
import Testing
import Wire

/// Which store the reference under test runs on: every contract row is checked on both.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded, redis
    var testDescription: String { rawValue }
}

/// A running reference (and its Redis, if any) with the clients a test needs.
struct Harness: Sendable {
    let reference: RunningReference
    let redis: RedisServer?
    let api: JourneyAPI
    let inspector: RedisInspector
    /// The reference's clock for the rate window and speeds: `clock.advance(5.1)` instead of a sleep.
    let clock: TestClock

    static func start(_ store: StoreKind = .embedded, faults: Set<Fault> = [], events: EventBridgeEndpoint? = nil,
                      redis shared: RedisServer? = nil) async throws -> Harness {
        var redis = shared
        if store == .redis, redis == nil { redis = try await RedisServer.start() }
        var configuration = ReferenceConfiguration(redisURL: store == .redis ? redis?.url : nil, eventBridgeEndpoint: events?.url, faults: faults)
        configuration.logLevel = .critical
        let clock = TestClock()
        configuration.now = { clock.now() }
        let reference = try await ReferenceServer.start(configuration)
        let inspector = try await RedisInspector.connect(try RedisURL(parsing: reference.addresses.redisURL))
        return Harness(reference: reference, redis: redis, api: JourneyAPI(baseURL: reference.baseURL), inspector: inspector, clock: clock)
    }

    func stop() async {
        inspector.close()
        await reference.stop()
    }

    /// A fresh fixture from the reference's own supply.
    func fixture(home: Coordinate = .defaultHome) async throws -> Fixture {
        let body = JSONText.encode(["studentHome": ["latitude": home.latitude, "longitude": home.longitude]])
        let response = try await HTTPClient().send(HTTPRequestSpec(
            method: "POST", url: reference.baseURL.appendingPathComponent("__reference/fixtures"), body: Array(body.utf8)))
        try #require(response.status == 201, "fixture supply answered \(response.status): \(response.bodyText)")
        return try JSONDecoder().decode(Fixture.self, from: Data(response.body))
    }

    func start(_ f: Fixture, token: String? = nil) async throws -> HTTPResponseData {
        try await api.send(.startJourney, sessionId: f.sessionId, token: token ?? f.trainer.token)
    }

    func update(_ f: Fixture, _ point: Coordinate, token: String? = nil) async throws -> HTTPResponseData {
        try await api.update(sessionId: f.sessionId, token: token ?? f.trainer.token, latitude: point.latitude, longitude: point.longitude)
    }

    func live(_ f: Fixture, token: String? = nil) async throws -> HTTPResponseData {
        try await api.send(.liveLocation, sessionId: f.sessionId, token: token ?? f.student.token)
    }

    func arrived(_ f: Fixture, token: String? = nil) async throws -> HTTPResponseData {
        try await api.send(.arrived, sessionId: f.sessionId, token: token ?? f.trainer.token)
    }

    func stopJourney(_ f: Fixture, token: String? = nil) async throws -> HTTPResponseData {
        try await api.send(.stopJourney, sessionId: f.sessionId, token: token ?? f.trainer.token)
    }
}

/// Real time plus an offset the test moves forward: the rate window passes without waiting for it.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// Runs `body` against a fresh reference and always stops it, even when the body throws.
func withHarness(_ store: StoreKind = .embedded, faults: Set<Fault> = [], events: EventBridgeEndpoint? = nil,
                 redis: RedisServer? = nil, _ body: (Harness) async throws -> Void) async throws {
    let harness = try await Harness.start(store, faults: faults, events: events, redis: redis)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

extension HTTPResponseData {
    /// `data` of the success envelope.
    var data: [String: Any]? { json?["data"] as? [String: Any] }
    var success: Bool? { json?["success"] as? Bool }
}

extension Coordinate {
    /// A point `meters` north of this one (1° of latitude ≈ 111 195 m).
    func north(_ meters: Double) -> Coordinate {
        Coordinate(latitude: latitude + meters / 111_195, longitude: longitude)
    }
}

/// Waits for a condition that another process makes true (an event arriving), bounded.
func eventually(within seconds: Double = 5, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
