import Foundation

/// Where a URL's connection goes: its host, its port (the scheme's default when absent) and TLS
/// when the scheme asks for it. One place, so the API client, the race sender, the load driver
/// and the Socket.IO client cannot disagree about `https://host` meaning port 443 and TLS.
public struct Endpoint: Sendable {
    public var host: String
    public var port: Int
    /// Non-nil exactly for `https`, `wss` (and `rediss` in `RedisURL`).
    public var tls: TLSClient?

    /// `configured` is the audit's `tls:`; an https URL without one trusts the system's CAs.
    public init(_ url: URL, tls configured: TLSClient?) throws {
        guard let host = url.host, !host.isEmpty, let scheme = url.scheme?.lowercased(),
              let secure = Self.schemes[scheme] else {
            throw HTTPClientError.unsupportedURL(url.absoluteString)
        }
        self.host = host
        self.port = url.port ?? (secure ? 443 : 80)
        self.tls = secure ? (configured ?? .systemDefault) : nil
    }

    /// Scheme → whether it runs over TLS.
    static let schemes = ["http": false, "ws": false, "https": true, "wss": true]

    /// The `Host` header (RFC 9110 §7.2): the URL's authority as written.
    public static func hostHeader(_ url: URL) -> String {
        let host = url.host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
        return url.port.map { "\(host):\($0)" } ?? host
    }
}
