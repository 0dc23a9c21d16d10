import Checks
import Foundation
import Wire

/// The trip pack's steps: its fixtures, its calls (recorded as the journey calls are, with the
/// caller named and never its token), and bursts of different callers released together.
extension ProbeRun {
    /// The system's trip access; a journey system has none, which no trip rule can use.
    public var trip: TripAccess {
        get throws {
            guard let trip = system.trip else { throw ProbeError("\(system.name) is not audited with the trip pack (pack: trip)") }
            return trip
        }
    }

    /// A fresh trip fixture. Its steps are not written as a shell block: `auditor reproduce`
    /// hands out journey fixtures only, so the check line is the trip pack's reproduction.
    public func tripFixture() async throws -> TripFixture {
        unscriptable("the trip pack's findings are reproduced with `auditor check` (no shell block yet)")
        return try await trip.fixtures.next()
    }

    /// One call as `caller`, recorded; throws only when no answer came. `body` is sent as given.
    @discardableResult
    public func tripCall(_ label: String, _ call: TripAPI.Call, _ fixture: TripFixture, as caller: TripCaller, tripId: String? = nil,
                         body: [String: Any]? = nil, key: String? = nil) async throws -> HTTPResponseData {
        let request = try trip.api.request(call, tripId: tripId ?? fixture.tripId, token: fixture.token(caller), body: body.map(JSONText.encode), key: key)
        let shown = "\(request.method) \(HTTPClient.target(of: request.url))" + (key.map { " (Idempotency-Key: \($0))" } ?? "")
        let clock = ContinuousClock()
        let started = clock.now
        func record(_ result: String, _ ms: Double?) {
            state.withLock {
                $0.transcript.append(Exchange(kind: .http, label: label, request: shown, credential: caller.description,
                                              body: body.map { JSONText.encode($0) }, result: result, milliseconds: ms))
            }
        }
        do {
            let response = try await trip.api.client.send(request)
            record(Self.summary(response), (clock.now - started).inMilliseconds)
            return response
        } catch {
            let why = WireErrors.plain(error)
            record("no answer: \(why)", nil)
            throw ProbeError("\(label): no answer from \(system.name) (\(why))")
        }
    }

    /// A step the scenario needs: anything but `status` ends it as inconclusive for this rule
    /// (what that answer says is another rule's business).
    @discardableResult
    public func tripRequire(_ status: Int, _ label: String, _ call: TripAPI.Call, _ fixture: TripFixture, as caller: TripCaller,
                            tripId: String? = nil, body: [String: Any]? = nil, key: String? = nil) async throws -> HTTPResponseData {
        let response = try await tripCall(label, call, fixture, as: caller, tripId: tripId, body: body, key: key)
        guard response.status == status else {
            throw ProbeError("\(label) answered \(response.status) on \(system.name), not \(status): the scenario cannot go on")
        }
        return response
    }

    /// Calls of different callers released together (the single packet over HTTP/2 where
    /// `target.http2` allows, else last-byte sync); answers in the order of `calls`.
    public func tripBurst(_ label: String, _ calls: [(call: TripAPI.Call, caller: TripCaller, body: [String: Any], key: String?)],
                          _ fixture: TripFixture) async throws -> [HTTPResponseData] {
        let api = try trip.api
        func requests(_ api: TripAPI) -> [HTTPRequestSpec] {
            calls.map { api.request($0.call, tripId: fixture.tripId, token: fixture.token($0.caller), body: JSONText.encode($0.body), key: $0.key) }
        }
        let h2 = http2Target().map { base, why in (requests(api.at(base)), why) }
        return try await burst(label, requests(api), credentials: calls.map(\.caller.description), http2: h2)
    }

    /// The status, and the headers a trip rule reads, as the transcript shows an answer.
    static func summary(_ response: HTTPResponseData) -> String {
        var result = "\(response.status)"
        let shown = ["Retry-After", "X-RateLimit-Remaining"].compactMap { name in response.header(name).map { "\(name): \($0)" } }
        if !shown.isEmpty { result += " (\(shown.joined(separator: ", ")))" }
        return result
    }
}

/// The trip calls' JSON bodies, as the contract writes them.
public enum TripBody {
    /// A pickup in Manhattan, `variation` degrees north (a body different from another), and a destination.
    public static func create(_ variation: Double = 0) -> [String: Any] {
        ["pickup": ["latitude": 40.7128 + variation, "longitude": -74.0060], "destination": ["latitude": 40.7580, "longitude": -73.9855]]
    }

    public static func accept(_ tripId: String, version: Int? = nil) -> [String: Any] {
        var body: [String: Any] = ["action": "accept", "trip_request_id": tripId]
        if let version { body["version"] = version }
        return body
    }

    public static func cancel(_ tripId: String) -> [String: Any] { ["action": "cancel", "trip_request_id": tripId] }

    public static func status(online: Bool) -> [String: Any] {
        ["is_online": online, "availability_status": online ? "available" : "unavailable"]
    }

    public static var location: [String: Any] { ["latitude": 40.7128, "longitude": -74.0060] }
}

/// A trip as call 4 shows it.
public struct TripState: Sendable, Equatable {
    public var driverId: String?
    public var status: String
    public var version: Int

    /// From a details (or accept/cancel) answer; nil when the body lacks the contract's fields.
    public init?(_ response: HTTPResponseData) {
        guard let json = response.json, let status = json["current_status"] as? String, let version = json["version"] as? Int else { return nil }
        self.driverId = json["driver_id"] as? String
        self.status = status
        self.version = version
    }
}

extension ProbeRun {
    /// Reads a trip back (call 4) as its customer; the scenario cannot go on without it.
    public func readBack(_ label: String, _ fixture: TripFixture, tripId: String? = nil) async throws -> TripState {
        let response = try await tripRequire(200, label, .tripDetails, fixture, as: .customer, tripId: tripId)
        guard let state = TripState(response) else {
            throw ProbeError("\(label): the details of the trip on \(system.name) lack current_status or version (docs/contract/trip.md call 4)")
        }
        return state
    }

    /// Creates a trip as the fixture's customer and returns its id (the scenario needs it).
    public func createTrip(_ label: String, _ fixture: TripFixture, variation: Double = 0) async throws -> String {
        let response = try await tripRequire(201, label, .createTrip, fixture, as: .customer, body: TripBody.create(variation))
        guard let id = response.json?["trip_request_id"] as? String else {
            throw ProbeError("\(label): the answer on \(system.name) has no trip_request_id (docs/contract/trip.md call 1)")
        }
        return id
    }
}
