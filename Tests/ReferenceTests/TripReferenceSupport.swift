import Foundation
import Probes
import Reference
import Testing
import TestSupport
import Wire

/// The fixture document of CONTRACT-TRIP.md, as the reference's supply answers it.
struct TripFixtureDocument: Decodable, Sendable {
    struct Person: Decodable, Sendable {
        var id: String
        var token: String
    }

    var tripId: String
    var customer: Person
    var otherCustomer: Person
    var drivers: [Person]
}

/// A client of the trip API at the seed's paths, over real HTTP (one connection per request).
struct TripAPI: Sendable {
    let baseURL: URL
    let client = HTTPClient()

    func fixture() async throws -> TripFixtureDocument {
        let response = try await send("POST", "__reference/fixtures", token: nil)
        try #require(response.status == 201, "fixture supply answered \(response.status): \(response.bodyText)")
        return try JSONDecoder().decode(TripFixtureDocument.self, from: Data(response.body))
    }

    func create(_ token: String?, key: String? = nil, body: String = TripAPI.createBody) async throws -> HTTPResponseData {
        try await send("POST", "api/customer/ride/create", token: token, key: key, body: body)
    }

    func accept(_ token: String?, trip: String, version: Int? = nil, key: String? = nil) async throws -> HTTPResponseData {
        try await send("POST", "api/driver/ride/trip-action", token: token, key: key, body: actionBody("accept", trip: trip, version: version))
    }

    func cancel(_ token: String?, trip: String, key: String? = nil) async throws -> HTTPResponseData {
        try await send("POST", "api/driver/ride/trip-action", token: token, key: key, body: actionBody("cancel", trip: trip))
    }

    func details(_ token: String?, trip: String) async throws -> HTTPResponseData {
        try await send("GET", "api/driver/ride/details/\(trip)", token: token)
    }

    func onlineStatus(_ token: String?, online: Bool, availability: String = "available") async throws -> HTTPResponseData {
        try await send("POST", "api/driver/update-online-status", token: token,
                       body: #"{"is_online": \#(online), "availability_status": "\#(availability)"}"#)
    }

    func location(_ token: String?, latitude: Double = 52.52, longitude: Double = 13.405) async throws -> HTTPResponseData {
        try await send("POST", "api/driver/ride/location", token: token, body: #"{"latitude": \#(latitude), "longitude": \#(longitude)}"#)
    }

    func request(_ method: String, _ path: String, token: String?, key: String? = nil, body: String? = nil) -> HTTPRequestSpec {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let key { headers.append(("Idempotency-Key", key)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequestSpec(method: method, url: baseURL.appendingPathComponent(path), headers: headers, body: Array((body ?? "").utf8))
    }

    func send(_ method: String, _ path: String, token: String?, key: String? = nil, body: String? = nil) async throws -> HTTPResponseData {
        try await client.send(request(method, path, token: token, key: key, body: body))
    }

    func actionBody(_ action: String, trip: String, version: Int? = nil) -> String {
        let version = version.map { #", "version": \#($0)"# } ?? ""
        return #"{"action": "\#(action)", "trip_request_id": "\#(trip)"\#(version)}"#
    }

    static let createBody = #"{"pickup": {"latitude": 52.52, "longitude": 13.405}, "destination": {"latitude": 52.5163, "longitude": 13.3777}}"#
}

extension HTTPResponseData {
    var rateLimit: (limit: Int?, remaining: Int?, reset: Int?) {
        (header("X-RateLimit-Limit").flatMap { Int($0) }, header("X-RateLimit-Remaining").flatMap { Int($0) },
         header("X-RateLimit-Reset").flatMap { Int($0) })
    }

    var jsonKeys: Set<String> { Set(json.map { Array($0.keys) } ?? []) }

    var isReplay: Bool { header("X-Idempotent-Replay") == "true" }
}

/// Which store the trip reference under test runs on: the contract suites check every row on both.
enum TripStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded, postgres
    var testDescription: String { rawValue }
}

/// Runs `body` against a freshly started trip reference (on a fresh PostgreSQL of its own for
/// `.postgres`) and always stops both.
func withTripReference(on store: TripStoreKind = .embedded, _ configuration: TripReferenceConfiguration = .init(),
                       _ body: (RunningTripReference, TripAPI) async throws -> Void) async throws {
    guard store == .postgres else { return try await withTripReference(configuration, body) }
    let postgres = try await PostgresServer.start()
    try await withCleanup({ await postgres.stop() }) {
        var configuration = configuration
        configuration.postgresURL = postgres.url
        try await withTripReference(configuration, body)
    }
}

func withTripReference(on store: TripStoreKind = .embedded, faults: Set<TripFault>,
                       _ body: (RunningTripReference, TripAPI) async throws -> Void) async throws {
    try await withTripReference(on: store, TripReferenceConfiguration(faults: faults), body)
}

/// Runs `body` against a trip reference started with exactly this configuration, and always stops it.
func withTripReference(_ configuration: TripReferenceConfiguration, _ body: (RunningTripReference, TripAPI) async throws -> Void) async throws {
    var configuration = configuration
    configuration.logLevel = .critical
    let reference = try await TripReferenceServer.start(configuration)
    try await withCleanup({ await reference.stop() }) {
        try await body(reference, TripAPI(baseURL: reference.baseURL))
    }
}
