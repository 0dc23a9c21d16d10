import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read as libpq reads it: port
/// 5432, the user's own name as database, and `sslmode` prefer (TLS when the server offers it,
/// its certificate not checked; `require` the same but TLS is a must; `verify-ca`/`verify-full`
/// check it; `disable` never).
struct PostgresLocation: Sendable {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?
    var sslMode: String
    /// The URL with its password replaced by `***`: what the ready line and errors show.
    var masked: String

    init(_ text: String) throws(TripReferenceError) {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else { throw .invalidPostgresURL(Self.mask(text)) }
        self.host = host
        port = components.port ?? 5432
        username = components.user?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password?.removingPercentEncoding
        let path = String(components.path.drop { $0 == "/" })
        database = path.isEmpty ? nil : path.removingPercentEncoding
        sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw .invalidPostgresURL(Self.mask(text))
        }
        masked = Self.mask(text)
    }

    static func mask(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(unreadable URL)"
    }

    /// What sslmode asks for: no TLS, TLS if offered, or TLS required, with or without checking.
    private var tlsChoice: (use: Bool, required: Bool, configuration: TLSConfiguration) {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch sslMode {
        case "disable", "allow": return (false, false, unchecked)
        case "require": return (true, true, unchecked)
        case "verify-ca", "verify-full": return (true, true, .makeClientConfiguration())
        default: return (true, false, unchecked)
        }
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let choice = tlsChoice
        let context = try NIOSSLContext(configuration: choice.configuration)
        let tls: PostgresConnection.Configuration.TLS = !choice.use ? .disable : choice.required ? .require(context) : .prefer(context)
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    var clientConfiguration: PostgresClient.Configuration {
        let choice = tlsChoice
        let tls: PostgresClient.Configuration.TLS = !choice.use ? .disable : choice.required ? .require(choice.configuration) : .prefer(choice.configuration)
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}
