import Foundation

/// One answer of the journey API, already encoded: the contract's envelope
/// (`{"success", "message", "data"}`) with sorted keys, plus any extra headers.
public struct APIResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var headers: [(String, String)]

    public static func success(_ status: Int, _ message: String, data: [String: Any]) -> APIResponse {
        APIResponse(status: status, body: encode(["success": true, "message": message, "data": data]), headers: [])
    }

    public static func failure(_ error: APIError) -> APIResponse {
        APIResponse(status: error.status, body: encode(["success": false, "message": error.message]), headers: error.headers)
    }

    /// A bare JSON document (fixtures are not wrapped in the envelope).
    public static func json(_ status: Int, _ object: Any) -> APIResponse {
        APIResponse(status: status, body: encode(object), headers: [])
    }

    static func encode(_ object: Any) -> [UInt8] {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return Array(#"{"success":false,"message":"unencodable response"}"#.utf8)
        }
        return Array(data)
    }
}

/// A contract error: the status and message the caller sees.
public struct APIError: Error, Sendable {
    public var status: Int
    public var message: String
    public var headers: [(String, String)] = []

    public init(_ status: Int, _ message: String, headers: [(String, String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    static let unauthorized = APIError(401, "Authentication required: a valid Bearer token")
}

/// Timestamps as the API shows them: ISO 8601 with milliseconds, UTC.
enum Timestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static func string(_ date: Date) -> String { style.format(date) }
    static func parse(_ text: String) -> Date? { try? style.parse(text) }
}
