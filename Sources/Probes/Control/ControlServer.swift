import Checks
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One call to a control server: the method, the path and the query (control calls carry no body).
public struct ControlRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: [String: String]

    public init(method: String, path: String, query: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.query = query
    }

    /// From a request line's target (`/eventbridge/count?sessionId=…`), percent-decoded.
    init(method: String, uri: String) {
        let components = URLComponents(string: uri)
        let items = components?.queryItems ?? []
        self.init(method: method, path: components?.path ?? uri,
                  query: Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first }))
    }
}

/// What a control call answers: a status and a short body a shell script can read with `$(curl …)`.
public struct ControlResponse: Sendable, Equatable {
    public var status: Int
    public var body: String
    public var contentType: String

    /// One line of plain text; the newline is added, so `echo "$(curl …)"` and `read` both work.
    public static func text(_ line: String, status: Int = 200) -> ControlResponse {
        ControlResponse(status: status, body: line + "\n", contentType: "text/plain; charset=utf-8")
    }

    public static func json(_ body: String, status: Int = 200) -> ControlResponse {
        ControlResponse(status: status, body: body + "\n", contentType: "application/json")
    }
}

/// A small HTTP/1.1 server on loopback that answers each call with an async function: how a
/// script run by `auditor reproduce` asks the auditor for fixtures and faults with plain curl.
/// Written on NIO as the EventBridge endpoint is, since Probes already speaks HTTP/1 that way.
public final class ControlServer: Sendable {
    private let channel: Channel
    public let host: String
    public let port: Int

    /// A random first path segment: the server hands out fixtures (tokens) and cuts the store,
    /// so only who was given the URL may call it, not any process on the machine.
    let secret: String

    /// `http://host:port/SECRET`, without a trailing slash, so a script writes `"$AUDITOR/fixture"`.
    public var url: String { "http://\(HostPort(host: host, port: port))/\(secret)" }

    public static func start(host: String = "127.0.0.1", port: Int = 0,
                             answer: @escaping @Sendable (ControlRequest) async -> ControlResponse) async throws -> ControlServer {
        let secret = (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased()
        let guarded: @Sendable (ControlRequest) async -> ControlResponse = { request in
            guard request.path.hasPrefix("/\(secret)/") else { return .text("not found", status: 404) }
            var inner = request
            inner.path = String(request.path.dropFirst(secret.count + 1))
            return await answer(inner)
        }
        let channel = try await HTTPListener.bind(host: host, port: port) { ControlHTTPHandler(answer: guarded) }
        return ControlServer(channel: channel, host: host, port: channel.localAddress?.port ?? port, secret: secret)
    }

    private init(channel: Channel, host: String, port: Int, secret: String) {
        self.channel = channel
        self.host = host
        self.port = port
        self.secret = secret
    }

    public func stop() async {
        try? await channel.close()
    }
}
