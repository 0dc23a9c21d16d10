import Checks
import Foundation
import NIOCore
import Wire

/// The five routes of docs/contract/trip.md as requests against one base URL. Paths can be overridden
/// per call (`target.paths`: a deployment behind a gateway may prefix them).
public struct TripAPI: Sendable {
    public enum Call: String, CaseIterable, Sendable {
        case createTrip, tripAction, tripDetails, onlineStatus, driverLocation
    }

    public var baseURL: URL
    public var paths: [Call: String]
    public let client: HTTPClient

    public static let defaultPaths: [Call: String] = [
        .createTrip: "/api/customer/ride/create",
        .tripAction: "/api/driver/ride/trip-action",
        .tripDetails: "/api/driver/ride/details/{tripId}",
        .onlineStatus: "/api/driver/update-online-status",
        .driverLocation: "/api/driver/ride/location",
    ]

    public init(baseURL: URL, paths: [Call: String] = [:], client: HTTPClient = HTTPClient(timeout: .seconds(10))) {
        self.baseURL = baseURL
        self.paths = Self.defaultPaths.merging(paths) { _, override in override }
        self.client = client
    }

    /// The request for one call; `token == nil` sends no Authorization header, `key == nil` no
    /// Idempotency-Key. A body is sent as JSON exactly as given (its text is the fingerprint a
    /// service compares, so a replay must send the very same bytes).
    public func request(_ call: Call, tripId: String = "", token: String?, body: String? = nil, key: String? = nil) -> HTTPRequestSpec {
        let path = (paths[call] ?? "").replacingOccurrences(of: "{tripId}", with: JourneyAPI.escape(tripId))
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        let url = URL(string: text + path) ?? baseURL
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let key { headers.append(("Idempotency-Key", key)) }
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(body.utf8)
        }
        return HTTPRequestSpec(method: call == .tripDetails ? "GET" : "POST", url: url, headers: headers, body: bytes)
    }

    /// The API of the same deployment at another base URL (its HTTP/2 listener).
    public func at(_ baseURL: URL) -> TripAPI {
        var copy = self
        copy.baseURL = baseURL
        return copy
    }
}

/// What the trip pack's probes need of a system besides HTTP: its fixtures, and the deployment's
/// choices the contract leaves to configuration.
public struct TripAccess: Sendable {
    public var api: TripAPI
    public var fixtures: TripFixtures
    /// The replay header's name (`trip.replayHeader`; Stripe's is `Idempotent-Replayed`).
    public var replayHeader: String
    /// How long a cache would have kept a key: TRP-IDEM-004 replays after it (`trip.cacheSeconds`).
    public var cacheSeconds: Double?
    /// Restarts the target (`trip.restartCommand`): TRP-IDEM-004 then replays after a restart too.
    public var restart: (any TargetRestart)?

    public init(api: TripAPI, fixtures: TripFixtures, replayHeader: String = TripSettings().replayHeader) {
        self.api = api
        self.fixtures = fixtures
        self.replayHeader = replayHeader
    }
}

/// Restarts the system under audit and returns once it answers again.
public protocol TargetRestart: Sendable {
    func restart() async throws
}
