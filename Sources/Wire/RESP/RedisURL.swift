import Foundation

/// `redis://[user[:password]@]host[:port][/db]`, the form Redis clients accept
/// (https://www.iana.org/assignments/uri-schemes/prov/redis), and `rediss://` for Redis over TLS
/// (ElastiCache with in-transit encryption, redis-server's `tls-port`).
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int
    /// `rediss://`: the connection runs over TLS.
    public var usesTLS: Bool

    public init(host: String, port: Int, user: String? = nil, password: String? = nil, database: Int = 0, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.usesTLS = usesTLS
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), components.scheme == "redis" || components.scheme == "rediss" else {
            throw RESPConnectionError.badURL("expected redis://host:port[/db] or rediss://…, got '\(Self.redacting(text))'")
        }
        self.usesTLS = components.scheme == "rediss"
        guard let host = components.host, !host.isEmpty else {
            throw RESPConnectionError.badURL("no host in '\(Self.redacting(text))'")
        }
        self.host = host
        self.port = components.port ?? 6379
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        self.user = (user?.isEmpty ?? true) ? nil : user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if path.isEmpty {
            self.database = 0
        } else if let db = Int(path), db >= 0 {
            self.database = db
        } else {
            throw RESPConnectionError.badURL("database must be a number, got '\(path)'")
        }
    }

    /// The URL with any password replaced, safe to print.
    public var description: String {
        var auth = ""
        if let user { auth = user }
        if password != nil { auth += ":***" }
        if !auth.isEmpty { auth += "@" }
        return "\(usesTLS ? "rediss" : "redis")://\(auth)\(host):\(port)" + (database == 0 ? "" : "/\(database)")
    }

    /// Masks the password of a URL that failed to parse, so an error message never leaks it.
    static func redacting(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://") else { return text }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
