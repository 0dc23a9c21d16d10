import Foundation
import NIOCore
import Synchronization
import Wire

/// A live Socket.IO v4 connection (Engine.IO v4 over WebSocket) that records everything the
/// server sends: events, acks, refusal. It answers server pings, so it stays connected as long
/// as a probe needs it.
public final class SocketIOSession: Sendable {
    struct State {
        var machine: SocketIOClientMachine
        var connection: WebSocketConnection?
        var events: [(name: String, argumentsJSON: String)] = []
        var acks: [Int: String] = [:]
        var nextAckID = 1
        var ready: CheckedContinuation<Void, Error>?
    }

    private let state: Mutex<State>
    private let task = Mutex<Task<Void, Never>?>(nil)

    private init(auth: [String: String]) {
        state = Mutex(State(machine: SocketIOClientMachine(auth: auth)))
    }

    /// Connects and joins the main namespace with `{token}` auth; throws when refused or silent.
    /// `origin`: the `Origin` header (nil: the socket URL's own `http(s)://host:port`, which
    /// python-engineio's default same-origin check accepts); `headers`: more upgrade headers.
    /// `tls`: for `wss://` (nil trusts the system's CAs).
    public static func connect(_ url: URL, token: String, origin: String? = nil, headers: [String: String] = [:],
                               tls: TLSClient? = nil, timeout: Duration = .seconds(5)) async throws -> SocketIOSession {
        let session = SocketIOSession(auth: ["token": token])
        let upgrade = [("Origin", origin ?? Self.ownOrigin(url))] + headers.sorted { $0.key < $1.key }
        try await session.open(Self.engineURL(url), headers: upgrade, tls: tls, timeout: timeout)
        return session
    }

    /// `ws://host:port/socket.io/` → `ws://host:port/socket.io/?EIO=4&transport=websocket` (http(s) become ws(s)).
    static func engineURL(_ url: URL) -> URL {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
        if components.scheme == "http" { components.scheme = "ws" }
        if components.scheme == "https" { components.scheme = "wss" }
        if components.path.isEmpty || components.path == "/" { components.path = "/socket.io/" }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "EIO", value: "4"), URLQueryItem(name: "transport", value: "websocket")]
        return components.url ?? url
    }

    /// The origin a browser on the socket's own site would send: `http(s)://host[:port]`.
    static func ownOrigin(_ url: URL) -> String {
        let secure = url.scheme == "wss" || url.scheme == "https"
        let host = url.host ?? "localhost"
        let defaultPort = secure ? 443 : 80
        let port = url.port.flatMap { $0 == defaultPort ? nil : $0 }
        return "\(secure ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host)\(port.map { ":\($0)" } ?? "")"
    }

    private func open(_ url: URL, headers: [(String, String)], tls: TLSClient?, timeout: Duration) async throws {
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketConnection.connect(url, headers: headers, tls: tls, timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9)))
        } catch let refused as WebSocketUpgradeRefused {
            throw SocketIOError.refused(refused.description)
        } catch {
            throw SocketIOError.unreachable(WireErrors.plain(error))
        }
        state.withLock { $0.connection = connection }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            state.withLock { $0.ready = continuation }
            let running = Task { [self] in
                do {
                    for await text in connection.messages {
                        for action in self.state.withLock({ $0.machine.receive(text) }) {
                            try await self.perform(action, connection)
                        }
                    }
                    self.resolve(.failure(SocketIOError.closed))
                } catch {
                    self.resolve(.failure(SocketIOError.unreachable(WireErrors.plain(error))))
                }
            }
            task.withLock { $0 = running }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                self.resolve(.failure(SocketIOError.unreachable("no Socket.IO connect answer within \(timeout)")))
            }
        }
    }

    private func perform(_ action: SocketIOClientMachine.Action, _ connection: WebSocketConnection) async throws {
        switch action {
        case .send(let text): try await connection.send(text)
        case .connected: resolve(.success(()))
        case .refused(let message): resolve(.failure(SocketIOError.refused(message)))
        case .event(let name, let json): state.withLock { $0.events.append((name, json)) }
        case .ack(let id, let json): state.withLock { $0.acks[id] = json }
        case .closed: resolve(.failure(SocketIOError.closed))
        }
    }

    private func resolve(_ result: Result<Void, Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Error>? in
            defer { state.ready = nil }
            return state.ready
        }
        continuation?.resume(with: result)
    }

    /// Emits an event with an ack id; returns the id to wait on.
    @discardableResult
    public func emit(_ name: String, _ payload: [String: Any]) async throws -> Int {
        let (id, connection) = state.withLock { state -> (Int, WebSocketConnection?) in
            defer { state.nextAckID += 1 }
            return (state.nextAckID, state.connection)
        }
        guard let connection else { throw SocketIOError.closed }
        try await connection.send(SocketIOClientMachine.emit(name, argumentsJSON: JSONText.encode([payload]), ackID: id))
        return id
    }

    /// Emits an event without an ack id, as an app does that expects no answer.
    public func emitWithoutAck(_ name: String, _ payload: [String: Any]) async throws {
        guard let connection = state.withLock({ $0.connection }) else { throw SocketIOError.closed }
        try await connection.send(SocketIOClientMachine.emit(name, argumentsJSON: JSONText.encode([payload]), ackID: nil))
    }

    /// Every event received so far, in order: its name and its arguments (a JSON array).
    public var events: [(name: String, argumentsJSON: String)] { state.withLock { $0.events } }

    /// The ack's arguments (JSON) if it arrives within `seconds`.
    public func ack(_ id: Int, within seconds: Double) async -> String? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let json = state.withLock({ $0.acks[id] }) { return json }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return state.withLock { $0.acks[id] }
    }

    /// Names of every event received so far.
    public var eventNames: [String] { state.withLock { $0.events.map(\.name) } }

    /// The arguments (a JSON array) of every `name` event received so far, in order.
    public func arguments(of name: String) -> [String] {
        state.withLock { $0.events.filter { $0.name == name }.map(\.argumentsJSON) }
    }

    public func close() {
        task.withLock { $0?.cancel() }
        state.withLock { $0.connection }?.close()
    }
}

public enum SocketIOError: Error, CustomStringConvertible, Equatable {
    case unreachable(String)
    case refused(String)
    case closed

    public var description: String {
        switch self {
        case .unreachable(let why): return "Socket.IO endpoint unreachable: \(why)"
        case .refused(let message): return "Socket.IO connection refused: \(message)"
        case .closed: return "Socket.IO connection closed"
        }
    }
}
