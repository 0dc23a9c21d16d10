import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Wire

/// A live Socket.IO v4 connection (Engine.IO v4 over WebSocket) that records everything the
/// server sends: events, acks, refusal. It answers server pings, so it stays connected as long
/// as a probe needs it.
public final class SocketIOSession: Sendable {
    struct State {
        var machine: SocketIOClientMachine
        var outbound: WebSocketOutboundWriter?
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
    public static func connect(_ url: URL, token: String, timeout: Duration = .seconds(5)) async throws -> SocketIOSession {
        let session = SocketIOSession(auth: ["token": token])
        try await session.open(Self.engineURL(url), timeout: timeout)
        return session
    }

    /// `ws://host/socket.io/` → `ws://host/socket.io/?EIO=4&transport=websocket` (http(s) become ws(s)).
    static func engineURL(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
        if components.scheme == "http" { components.scheme = "ws" }
        if components.scheme == "https" { components.scheme = "wss" }
        if components.path.isEmpty || components.path == "/" { components.path = "/socket.io/" }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "EIO", value: "4"), URLQueryItem(name: "transport", value: "websocket")]
        return components.string ?? url.absoluteString
    }

    private func open(_ url: String, timeout: Duration) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            state.withLock { $0.ready = continuation }
            var logger = Logger(label: "auditor.socketio")
            logger.logLevel = .critical
            let running = Task { [self] in
                do {
                    try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                        self.state.withLock { $0.outbound = outbound }
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            for action in self.state.withLock({ $0.machine.receive(text) }) {
                                try await self.perform(action, outbound)
                            }
                        }
                    }
                    self.resolve(.failure(SocketIOError.closed))
                } catch {
                    self.resolve(.failure(SocketIOError.unreachable("\(error)")))
                }
            }
            task.withLock { $0 = running }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                self.resolve(.failure(SocketIOError.unreachable("no Socket.IO connect answer within \(timeout)")))
            }
        }
    }

    private func perform(_ action: SocketIOClientMachine.Action, _ outbound: WebSocketOutboundWriter) async throws {
        switch action {
        case .send(let text): try await outbound.write(.text(text))
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
        let (id, outbound) = state.withLock { state -> (Int, WebSocketOutboundWriter?) in
            defer { state.nextAckID += 1 }
            return (state.nextAckID, state.outbound)
        }
        guard let outbound else { throw SocketIOError.closed }
        try await outbound.write(.text(SocketIOClientMachine.emit(name, argumentsJSON: JSONText.encode([payload]), ackID: id)))
        return id
    }

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

    public func close() {
        task.withLock { $0?.cancel() }
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
