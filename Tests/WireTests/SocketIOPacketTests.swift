import Testing
@testable import Wire

@Suite("Engine.IO and Socket.IO packets")
struct SocketIOPacketTests {
    @Test func engineIOPackets() {
        #expect(EngineIOPacket(parsing: "2")?.kind == .ping)
        #expect(EngineIOPacket(parsing: "3probe") == EngineIOPacket(.pong, "probe"))
        #expect(EngineIOPacket(parsing: #"0{"sid":"x"}"#)?.payload == #"{"sid":"x"}"#)
        #expect(EngineIOPacket(parsing: "9") == nil)
        #expect(EngineIOPacket(parsing: "") == nil)
        #expect(EngineIOPacket(.message, "40").encoded == "440")
    }

    @Test func connectWithAuth() throws {
        let packet = try SocketIOPacket(parsing: #"0{"token":"abc"}"#)
        #expect(packet.kind == .connect)
        #expect(packet.namespace == "/")
        #expect(packet.object?["token"] as? String == "abc")
    }

    @Test func eventWithAckID() throws {
        let packet = try SocketIOPacket(parsing: #"212["trainerLocation",{"latitude":1}]"#)
        #expect(packet.kind == .event)
        #expect(packet.ackID == 12)
        #expect(packet.event?.name == "trainerLocation")
        #expect((packet.event?.arguments.first as? [String: Any])?["latitude"] as? Int == 1)
    }

    @Test func namespaceAndAck() throws {
        let packet = try SocketIOPacket(parsing: #"3/chat,7[{"ok":true}]"#)
        #expect(packet.kind == .ack && packet.namespace == "/chat" && packet.ackID == 7)
        #expect(packet.encoded == #"3/chat,7[{"ok":true}]"#)
    }

    @Test func encodeEvent() {
        let packet = SocketIOPacket.event("chatMessage", [["text": "hi"]], ackID: 3)
        #expect(packet.encoded == #"23["chatMessage",{"text":"hi"}]"#)
    }

    @Test func rejectsWhatWeDoNotSpeak() {
        #expect(throws: SocketIOPacket.ParseError.self) { try SocketIOPacket(parsing: "") }
        #expect(throws: SocketIOPacket.ParseError.self) { try SocketIOPacket(parsing: "9") }
        #expect(throws: SocketIOPacket.ParseError.self) { try SocketIOPacket(parsing: #"51-["x",{"_placeholder":true,"num":0}]"#) }
    }

    @Test func connectErrorWithoutPayload() throws {
        let packet = try SocketIOPacket(parsing: "4")
        #expect(packet.kind == .connectError && packet.json == nil)
    }
}
