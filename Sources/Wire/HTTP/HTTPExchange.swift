import Foundation

/// A request as the auditor and the reference send it: small, JSON-bodied, to an http:// URL.
public struct HTTPRequestSpec: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String, url: URL, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The request with `extra` headers added, except those it already sets (names compared
    /// case-insensitively): the request's own `Authorization` or `Host` always wins.
    public func adding(_ extra: [(String, String)]) -> HTTPRequestSpec {
        var copy = self
        for (name, value) in extra where !headers.contains(where: { $0.0.caseInsensitiveCompare(name) == .orderedSame }) {
            copy.headers.append((name, value))
        }
        return copy
    }
}

/// What came back: status, headers (names as sent, looked up case-insensitively) and the body.
public struct HTTPResponseData: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Whether the server keeps the connection open after this answer (RFC 9112 §9.3: HTTP/1.1
    /// unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`).
    public var keepAlive: Bool

    public init(status: Int, headers: [(String, String)], body: [UInt8], keepAlive: Bool = true) {
        self.status = status
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, or nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

public enum HTTPClientError: Error, CustomStringConvertible {
    case unsupportedURL(String)
    case timedOut(seconds: Double)
    case connectionClosed
    case bodyTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unsupportedURL(let url): return "unsupported URL \(url) (http://, https://, ws:// or wss:// with a host)"
        case .timedOut(let seconds): return "no answer within \(String(format: "%g", seconds)) s"
        case .connectionClosed: return "the connection closed before a full answer"
        case .bodyTooLarge(let limit): return "the answer's body is larger than \(limit / (1 << 20)) MiB"
        }
    }
}
