import TestSupport
import Foundation
import Reference
import Testing

/// The Socket.IO endpoint against a real python-socketio client (the pinned test environment, TestPython).
@Suite("Socket.IO chat with python-socketio", .timeLimit(.minutes(2)))
struct SocketIOTests {
    static let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/socketio_peer.py").path

    func runPeer(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await TestPython.run(Self.peer, arguments, timeout: 30)
        try #require(result.status == 0, "peer failed (\(result.status)): \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object, "peer printed: \(result.stdout)")
    }

    @Test("chatMessage is relayed to the other party of the session and acknowledged")
    func chat() async throws {
        try await withHarness { h in
            let f = try await h.fixture()
            let result = try await runPeer(["chat", h.reference.addresses.socketURL, f.trainer.token, f.student.token, f.sessionId])
            let received = try #require(result["received"] as? [String: Any])
            #expect(received["text"] as? String == "on my way")
            #expect(received["from"] as? String == f.trainer.id)
            #expect((result["ack"] as? [String: Any])?["ok"] as? Bool == true)
            #expect((result["strangerAck"] as? [String: Any])?["ok"] as? Bool == false)
        }
    }

    @Test("a bad token is refused with a connect error (44)")
    func badToken() async throws {
        try await withHarness { h in
            let result = try await runPeer(["badtoken", h.reference.addresses.socketURL])
            #expect(result["refused"] as? Bool == true)
        }
    }

    @Test("clean reference: no journey or location handler answers, nothing forbidden is emitted")
    func noLocationHandlers() async throws {
        try await withHarness { h in
            let f = try await h.fixture()
            let result = try await runPeer(["travel", h.reference.addresses.socketURL, f.trainer.token, f.student.token, f.student.id])
            let acks = try #require(result["acks"] as? [String: Any])
            #expect(acks.values.allSatisfy { $0 is NSNull }, "acks: \(acks)")
            #expect((result["forbiddenSeen"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("ws-location-handlers: the travel events are acknowledged and pushed to the student")
    func locationHandlersFault() async throws {
        try await withHarness(faults: [.wsLocationHandlers]) { h in
            let f = try await h.fixture()
            let result = try await runPeer(["travel", h.reference.addresses.socketURL, f.trainer.token, f.student.token, f.student.id])
            let acks = try #require(result["acks"] as? [String: Any])
            #expect(acks["startTravel"] is [String: Any])
            #expect(acks["trainerLocation"] is [String: Any])
            let forbidden = (result["forbiddenSeen"] as? [String]) ?? []
            #expect(forbidden.contains("trainerTravelStarted"))
            #expect(forbidden.contains("trainerLocationUpdate"))
        }
    }
}
