import Foundation
import Testing
@testable import Probes

@Suite("Socket.IO client state machine")
struct SocketIOClientMachineTests {
    @Test func handshakeThenEvents() {
        var machine = SocketIOClientMachine(auth: ["token": "t"])
        #expect(machine.receive(#"0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#) == [.send(#"40{"token":"t"}"#)])
        #expect(machine.state == .connecting)
        #expect(machine.receive(#"40{"sid":"s1"}"#) == [.connected(sid: "s1")])
        #expect(machine.state == .connected)
        #expect(machine.receive("2") == [.send("3")])
        #expect(machine.receive(#"42["trainerLocationUpdate",{"a":1}]"#) == [.event(name: "trainerLocationUpdate", argumentsJSON: #"[{"a":1}]"#)])
        #expect(machine.receive(#"437[{"ok":true}]"#) == [.ack(id: 7, argumentsJSON: #"[{"ok":true}]"#)])
        #expect(machine.receive("1") == [.closed])
    }

    @Test func refusal() {
        var machine = SocketIOClientMachine(auth: ["token": "bad"])
        _ = machine.receive(#"0{"sid":"e1"}"#)
        #expect(machine.receive(#"44{"message":"invalid token"}"#) == [.refused("invalid token")])
        #expect(machine.state == .closed)
    }

    @Test func ignoresOtherNamespacesAndGarbage() {
        var machine = SocketIOClientMachine(auth: [:])
        #expect(machine.receive(#"42/admin,["x"]"#) == [])
        #expect(machine.receive("zzz") == [])
        #expect(machine.receive("") == [])
    }

    @Test func emitFrames() {
        #expect(SocketIOClientMachine.emit("startTravel", argumentsJSON: #"[{"studentId":"s"}]"#, ackID: 3) == #"423["startTravel",{"studentId":"s"}]"#)
        #expect(SocketIOClientMachine.emit("ping", argumentsJSON: "[]", ackID: nil) == #"42["ping"]"#)
    }

    @Test func engineURL() {
        #expect(SocketIOSession.engineURL(URL(string: "https://h.example/socket.io/")!).absoluteString == "wss://h.example/socket.io/?EIO=4&transport=websocket")
        #expect(SocketIOSession.engineURL(URL(string: "ws://127.0.0.1:9")!).absoluteString == "ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket")
    }

    /// python-engineio accepts only its own origin by default: `http(s)://host[:port]`, never `ws://`.
    @Test func ownOrigin() {
        #expect(SocketIOSession.ownOrigin(URL(string: "ws://127.0.0.1:8123/socket.io/")!) == "http://127.0.0.1:8123")
        #expect(SocketIOSession.ownOrigin(URL(string: "wss://h.example/socket.io/")!) == "https://h.example")
        #expect(SocketIOSession.ownOrigin(URL(string: "wss://h.example:443/socket.io/")!) == "https://h.example")
        #expect(SocketIOSession.ownOrigin(URL(string: "http://h.example:80/")!) == "http://h.example")
    }
}
