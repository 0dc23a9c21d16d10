import Checks
import Foundation
import Reference
import Testing
import TestSupport
import Wire
@testable import Probes
#if canImport(Glibc)
import Glibc
#endif

/// The auditor's Socket.IO client and the JRN-WS-001 probe against a real python-socketio server.
@Suite("Socket.IO client against python-socketio", .timeLimit(.minutes(2)))
struct SocketIOPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/socketio_server.py").path

    /// Runs the python server for the body, then kills it.
    func withPythonServer<T>(locationHandlers: Bool, _ body: (URL) async throws -> T) async throws -> T {
        let server = try await TestPython.start(Self.script, locationHandlers ? ["--location-handlers"] : [], readyWhen: ["READY"], timeout: 30)
        defer { server.kill() }
        let port = try #require(server.readiness.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        return try await body(URL(string: "ws://127.0.0.1:\(port)/socket.io/")!)
    }

    @Test("connects with a token, is refused with a bad one")
    func connectAndRefuse() async throws {
        try await withPythonServer(locationHandlers: false) { url in
            let session = try await SocketIOSession.connect(url, token: "good")
            let id = try await session.emit("chatMessage", ["text": "hi"])
            #expect(await session.ack(id, within: 3) == #"[{"ok":true}]"#)
            session.close()
            await #expect(throws: SocketIOError.self) { try await SocketIOSession.connect(url, token: "bad") }
        }
    }

    @Test("python-engineio's default origin check: the socket URL's own origin is accepted; a foreign one is refused with its answer")
    func origin() async throws {
        try await withPythonServer(locationHandlers: false) { url in
            let session = try await SocketIOSession.connect(url, token: "good")
            session.close()
            do {
                _ = try await SocketIOSession.connect(url, token: "good", origin: "http://evil.example")
                Issue.record("a foreign origin was accepted")
            } catch let error as SocketIOError {
                #expect(error.description.contains("the WebSocket upgrade was refused: 400"), "\(error)")
                #expect(error.description.lowercased().contains("not an accepted origin"), "\(error)")
            }
        }
    }

    @Test("an unreachable endpoint is an error, not a hang")
    func unreachable() async throws {
        let port = try await RedisServer.freePort()
        await #expect(throws: SocketIOError.self) {
            try await SocketIOSession.connect(URL(string: "ws://127.0.0.1:\(port)/socket.io/")!, token: "x", timeout: .seconds(3))
        }
    }

    @Test("the probe finds the seeds' handlers on python-socketio, and none when they are gone", arguments: [false, true])
    func probeOnPython(_ handlers: Bool) async throws {
        var configuration = ReferenceConfiguration()
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        try await withCleanup({ await reference.stop() }) {
            try await withPythonServer(locationHandlers: handlers) { url in
                let system = ProbeSystem(name: "python", api: JourneyAPI(baseURL: reference.baseURL), redis: nil, events: nil,
                                         fixtures: HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures")), socketURL: url)
                let observation = await Prober.observe(WebSocketHandlersProbe(), ProbeSpec(kind: "ws-handlers"), on: system)
                #expect(observation.failure == nil, "\(observation.failure ?? "")")
                if handlers {
                    #expect(observation["acknowledged"] == .strings(["startTravel", "trainerLocation"]))
                    #expect(observation["forbiddenReceived"] == .strings(["trainerLocationUpdate", "trainerTravelStarted"]))
                } else {
                    #expect(observation["acknowledged"] == .strings([]))
                    #expect(observation["forbiddenReceived"] == .strings([]))
                }
            }
        }
    }

    @Test("no socket.url: not checked")
    func notChecked() async throws {
        let system = ProbeSystem(name: "t", api: JourneyAPI(baseURL: URL(string: "http://127.0.0.1:1")!), redis: nil, events: nil,
                                 fixtures: StaticFixtureSource(fixtures: []))
        let observation = await Prober.observe(WebSocketHandlersProbe(), ProbeSpec(kind: "ws-handlers"), on: system)
        #expect(observation.notChecked == "no socket.url configured")
    }
}
