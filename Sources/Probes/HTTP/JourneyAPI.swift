import Foundation
import NIOCore
import Wire

/// The five calls of docs/contract/journey.md as requests against one base URL, plus the reference's fixture supply.
/// Paths can be overridden per call (a deployment behind a gateway may prefix them).
public struct JourneyAPI: Sendable {
    public enum Call: String, CaseIterable, Sendable {
        case startJourney, locationUpdate, liveLocation, arrived, stopJourney
    }

    public var baseURL: URL
    public var paths: [Call: String]
    public let client: HTTPClient

    public static let defaultPaths: [Call: String] = [
        .startJourney: "/api/v1/admin/sessions/{sessionId}/start-journey",
        .locationUpdate: "/api/v1/admin/location-tracking/journey/updates",
        .liveLocation: "/api/v1/admin/location-tracking/journey/live",
        .arrived: "/api/v1/admin/sessions/{sessionId}/arrived",
        .stopJourney: "/api/v1/admin/sessions/{sessionId}/stop-journey",
    ]

    public init(baseURL: URL, paths: [Call: String] = [:], client: HTTPClient = HTTPClient(timeout: .seconds(10))) {
        self.baseURL = baseURL
        self.paths = Self.defaultPaths.merging(paths) { _, override in override }
        self.client = client
    }

    /// The request for one call; `token == nil` sends no Authorization header.
    public func request(_ call: Call, sessionId: String, token: String?, body: [String: Any]? = nil) -> HTTPRequestSpec {
        let path = (paths[call] ?? "").replacingOccurrences(of: "{sessionId}", with: Self.escape(sessionId))
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += path
        if call == .liveLocation { text += "?sessionId=" + Self.escape(sessionId) }
        let url = URL(string: text) ?? baseURL
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var bytes: [UInt8] = []
        if call == .locationUpdate || body != nil {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(JSONText.encode(body ?? [:]).utf8)
        }
        return HTTPRequestSpec(method: call == .liveLocation ? "GET" : "POST", url: url, headers: headers, body: bytes)
    }

    public func send(_ call: Call, sessionId: String, token: String?, body: [String: Any]? = nil) async throws -> HTTPResponseData {
        try await client.send(request(call, sessionId: sessionId, token: token, body: body))
    }

    /// A location update for `sessionId` at a point.
    public func update(sessionId: String, token: String?, latitude: Double, longitude: Double) async throws -> HTTPResponseData {
        try await send(.locationUpdate, sessionId: sessionId, token: token,
                       body: ["sessionId": sessionId, "latitude": latitude, "longitude": longitude])
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=#"))) ?? text
    }
}
