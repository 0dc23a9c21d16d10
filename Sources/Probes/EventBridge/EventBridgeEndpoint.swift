import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A stand-in for the EventBridge API that the target publishes to (`PutEvents`, AWS JSON 1.1).
///
/// It records every entry and answers in the mode the probe sets, which is how the auditor
/// proves that publishing is best-effort: the modes are the failures the contract lists.
public final class EventBridgeEndpoint: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// `{"FailedEntryCount": 0, "Entries": [{"EventId": …}]}`.
        case accept
        /// HTTP 200 with `FailedEntryCount > 0` (the entry rejected, as for an internal failure).
        case failedEntries
        /// HTTP 500 `InternalException`.
        case serverError
        /// HTTP 400 `ThrottlingException`.
        case throttle
        /// Accepts the connection and the request, never answers.
        case hang
    }

    /// One entry of one PutEvents call, as received.
    public struct Received: Sendable {
        public var target: String?
        public var contentType: String?
        public var busName: String?
        public var source: String?
        public var detailType: String?
        /// The `Detail` string, parsed (it is JSON inside JSON).
        public var detail: [String: String]
        public var detailText: String?
    }

    private let channel: Channel
    private let box: EndpointState
    public let port: Int

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public static func start(host: String = "127.0.0.1", port: Int = 0, mode: Mode = .accept) async throws -> EventBridgeEndpoint {
        let box = EndpointState(mode: mode)
        let channel = try await HTTPListener.bind(host: host, port: port) { PutEventsHandler(state: box) }
        return EventBridgeEndpoint(channel: channel, box: box, port: channel.localAddress?.port ?? port)
    }

    private init(channel: Channel, box: EndpointState, port: Int) {
        self.channel = channel
        self.box = box
        self.port = port
    }

    public var mode: Mode { box.state.withLock { $0.mode } }

    public func setMode(_ mode: Mode) { box.state.withLock { $0.mode = mode } }

    public var received: [Received] { box.state.withLock { $0.received } }

    public func clear() { box.state.withLock { $0.received.removeAll() } }

    /// Closes the listener and every connection still held open by `hang`.
    public func stop() async {
        let held = box.state.withLock { state -> [Channel] in
            defer { state.held.removeAll() }
            return state.held
        }
        for connection in held { try? await connection.close() }
        try? await channel.close()
    }
}

/// The endpoint's state, shared with its per-connection handlers.
final class EndpointState: Sendable {
    struct State {
        var mode: EventBridgeEndpoint.Mode
        var received: [EventBridgeEndpoint.Received] = []
        var held: [Channel] = []
    }

    let state: Mutex<State>

    init(mode: EventBridgeEndpoint.Mode) {
        state = Mutex(State(mode: mode))
    }
}
