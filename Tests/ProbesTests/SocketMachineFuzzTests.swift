import Foundation
import Testing
import TestSupport
import Wire
@testable import Probes

// Bounded, deterministic fuzz test of the Socket.IO client state machine
// (`SocketIOClientMachine.receive(_:)`, in Probes, so not reachable from WireTests).
//
// Every input comes from a seeded PRNG; the seed is printed and every recorded issue names the
// iteration, so a failure replays with the same environment:
//   AUDITOR_FUZZ_SEED=<n or 0xhex>   base seed (default 0x5EED_A0D1_7000_0001); each test derives its own
//   AUDITOR_FUZZ_ITERATIONS=<n>      inputs per fuzz test, or `<k>x` for k times each test's default
//   AUDITOR_FUZZ_ONLY=<i>            run only iteration i (with its frames printed)
//   AUDITOR_FUZZ_TRACE=1             print every frame before it is received (to find the input of a trap)

@Suite("Socket.IO client machine fuzz", .timeLimit(.minutes(1)))
struct SocketMachineFuzzTests {
    /// Sequences of 1–24 frames (valid, mutated and random) into a fresh machine; after every
    /// frame the state and the actions are checked against the Engine.IO / Socket.IO rules the
    /// machine implements, computed from the packet parsers.
    @Test("receive: at most one action per frame, and exactly the state change and action the frame calls for")
    func receiveFuzz() {
        var run = FuzzRun("Socket machine", defaultIterations: 5_000)
        run.loop { rng, run in
            let auth = MachineFuzz.auth(&rng)
            var machine = SocketIOClientMachine(auth: auth)
            var frames: [String] = []
            for _ in 0..<Int.random(in: 1...24, using: &rng) {
                let frame: String
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<5: frame = MachineFuzz.frame(&rng)
                case 5..<8: frame = MachineFuzz.mutate(MachineFuzz.frame(&rng), rng: &rng)
                default: frame = FuzzText.random(&rng)
                }
                frames.append(frame)
                run.inputText = frames.joined(separator: "\u{1E}")
                let before = machine.state
                var copy = machine
                let actions = machine.receive(frame)
                run.check(copy.receive(frame) == actions && copy.state == machine.state, "not deterministic")
                MachineFuzz.check(frame: frame, auth: auth, before: before, after: machine.state, actions: actions, run: &run)
            }
        }
        run.finish()
    }

    /// Frames the Engine.IO parser rejects, interleaved into a handshake, change nothing: the
    /// handshake ends connected with the same actions as without them.
    @Test("receive: garbage frames interleaved into a handshake are no-ops")
    func garbageBetweenHandshakeFrames() {
        var run = FuzzRun("Socket machine handshake", defaultIterations: 4_000)
        let script = [#"0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#, "2", #"40{"sid":"s1"}"#, "2probe",
                      #"42["trainerLocationUpdate",{"latitude":12.97}]"#, #"437[{"ok":true}]"#, "1"]
        var clean = SocketIOClientMachine(auth: ["token": "t"])
        let expected = script.map { (clean.receive($0), clean.state) }
        run.loop { rng, run in
            var machine = SocketIOClientMachine(auth: ["token": "t"])
            var frames: [String] = []
            for (index, frame) in script.enumerated() {
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    var garbage = FuzzText.random(&rng)
                    while EngineIOPacket(parsing: garbage) != nil { garbage = "x" + garbage }
                    frames.append(garbage)
                    run.inputText = frames.joined(separator: "\u{1E}")
                    let state = machine.state
                    run.check(machine.receive(garbage).isEmpty && machine.state == state, "a frame Engine.IO rejects did something")
                }
                frames.append(frame)
                run.inputText = frames.joined(separator: "\u{1E}")
                let actions = machine.receive(frame)
                run.check(actions == expected[index].0 && machine.state == expected[index].1, "script frame \(index) answered \(actions) in \(machine.state)")
            }
            run.count("handshakes")
        }
        run.finish()
    }

    /// `emit` builds a frame that parses back to the event it was given.
    @Test("emit: the frame parses back to the same event name, arguments and ack id")
    func emitRoundTrip() throws {
        var run = FuzzRun("Socket machine emit", defaultIterations: 4_000)
        run.loop { rng, run in
            // No U+FEFF in what must come back intact: Foundation's JSONSerialization (corelibs,
            // Linux) drops one that starts a JSON string or follows an escape (["\u{FEFF}a"] reads
            // back as ["a"]), which is no fault of the machine.
            let name = FuzzText.random(&rng, maxLength: 16, bom: false)
            let arguments = (0..<Int.random(in: 0...3, using: &rng)).map { _ in MachineFuzz.jsonValue(&rng, depth: 0, bom: false) }
            let argumentsJSON = JSONText.encode(arguments)
            let ackID: Int? = Bool.random(using: &rng) ? nil : Int.random(in: 0...Int.max, using: &rng)
            let frame = SocketIOClientMachine.emit(name, argumentsJSON: argumentsJSON, ackID: ackID)
            run.inputText = frame
            guard let engine = EngineIOPacket(parsing: frame), engine.kind == .message,
                  let packet = try? SocketIOPacket(parsing: engine.payload) else {
                run.fail("emit built a frame that does not parse: \(frame.debugDescription)")
                return
            }
            run.check(packet.kind == .event && packet.namespace == "/" && packet.ackID == ackID, "packet \(packet)")
            run.check(packet.event?.name == name, "event name \(String(describing: packet.event?.name)) != \(name.debugDescription)")
            run.check(packet.event.map { JSONText.encode($0.arguments) } == argumentsJSON, "arguments changed: \(argumentsJSON)")
            run.count("frames")
        }
        run.finish()
    }
}

// MARK: - Helpers

private enum MachineFuzz {
    static let namespaces = ["/", "/", "/", "/", "/admin", "/chat,"]

    static func auth(_ rng: inout SplitMix64) -> [String: String] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return [:]
        case 1: return ["token": "t"]
        default:
            var auth: [String: String] = [:]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { auth[FuzzText.random(&rng, maxLength: 8, bom: false)] = FuzzText.random(&rng, bom: false) }
            return auth
        }
    }

    /// A frame a Socket.IO v4 server could send, or nearly: every Engine.IO kind, every Socket.IO
    /// kind, other namespaces, ack ids, payloads of the wrong JSON shape.
    static func frame(_ rng: inout SplitMix64) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return "0" + JSONText.encode(["sid": FuzzText.random(&rng), "upgrades": [String](), "pingInterval": 25000, "pingTimeout": 20000] as [String: Any])
        case 1: return "2" + (Bool.random(using: &rng) ? "" : FuzzText.random(&rng))
        case 2: return ["1", "3", "3probe", "5", "6", "4"].randomElement(using: &rng)!
        default: return "4" + socketIO(&rng)
        }
    }

    static func socketIO(_ rng: inout SplitMix64) -> String {
        let namespace = namespaces.randomElement(using: &rng)!
        let prefix = namespace == "/" ? "" : namespace + (namespace.hasSuffix(",") ? "" : ",")
        let ack = Bool.random(using: &rng) ? "" : String([0, 1, 7, Int.max].randomElement(using: &rng)!) + (Bool.random(using: &rng) ? "" : "0")
        let payload: String
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: payload = JSONText.encode(["sid": jsonValue(&rng, depth: 1)])
        case 1: payload = JSONText.encode(["message": jsonValue(&rng, depth: 1)])
        case 2: payload = JSONText.encode([FuzzText.random(&rng, maxLength: 12) as Any] + (0..<Int.random(in: 0...3, using: &rng)).map { _ in jsonValue(&rng, depth: 0) })
        case 3: payload = JSONText.encode(jsonValue(&rng, depth: 0))
        case 4: payload = ""
        case 5: payload = "[" + FuzzText.random(&rng)
        case 6: payload = #"["x","#  + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "]"
        default: payload = JSONText.encode((0..<Int.random(in: 0...3, using: &rng)).map { _ in jsonValue(&rng, depth: 0) })
        }
        return String("0123456".randomElement(using: &rng)!) + prefix + ack + payload
    }

    static func jsonValue(_ rng: inout SplitMix64, depth: Int, bom: Bool = true) -> Any {
        switch Int.random(in: 0..<(depth < 3 ? 8 : 6), using: &rng) {
        case 0: return Int.random(in: -1000...1000, using: &rng)
        case 1: return Double.random(in: -180...180, using: &rng)
        case 2: return FuzzText.random(&rng, bom: bom)
        case 3: return Bool.random(using: &rng)
        case 4: return NSNull()
        case 5: return ["\"quoted\"", "back\\slash", "/slash", "\u{0}\u{1F}", "\u{2028}"].randomElement(using: &rng)!
        case 6: return (0..<Int.random(in: 0...3, using: &rng)).map { _ in jsonValue(&rng, depth: depth + 1, bom: bom) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &rng) { object[FuzzText.random(&rng, maxLength: 8, bom: bom)] = jsonValue(&rng, depth: depth + 1, bom: bom) }
            return object
        }
    }

    static let tokens = ["0", "1", "2", "3", "4", "5", "6", "9", "/", ",", "[", "]", "{", "}", "\"", ":", "\\", "42", "40", "/admin,",
                         "99999999999999999999", "-1", "\u{301}", "\u{200D}", "😀", "\r\n", "\u{0}", "null", "[\"x\"]", "{\"sid\":1}"]

    static func mutate(_ original: String, rng: inout SplitMix64) -> String {
        var scalars = Array(original.unicodeScalars)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let at = Int.random(in: 0...scalars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !scalars.isEmpty: scalars.remove(at: min(at, scalars.count - 1))
            case 1: scalars.insert(contentsOf: tokens.randomElement(using: &rng)!.unicodeScalars, at: at)
            case 2 where !scalars.isEmpty: scalars[min(at, scalars.count - 1)] = FuzzText.scalar(&rng)
            case 3: scalars = Array(scalars[..<at])
            default: scalars.insert(contentsOf: tokens.randomElement(using: &rng)!.unicodeScalars, at: min(at, 2))
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The machine's rules, from the packet parsers: what `receive(frame)` must do in `before`.
    static func check(frame: String, auth: [String: String], before: SocketIOClientMachine.State,
                      after: SocketIOClientMachine.State, actions: [SocketIOClientMachine.Action], run: inout FuzzRun) {
        run.check(actions.count <= 1, "\(actions.count) actions for one frame")
        for case .send(let text) in actions {
            run.check(EngineIOPacket(parsing: text) != nil, "sent a frame that is no Engine.IO packet: \(text.debugDescription)")
        }
        func expect(_ state: SocketIOClientMachine.State, _ expected: [SocketIOClientMachine.Action], _ outcome: String) {
            run.check(after == state && actions == expected, "\(outcome): expected \(expected) in \(state), got \(actions) in \(after)")
            run.count(outcome)
        }
        guard let engine = EngineIOPacket(parsing: frame) else { return expect(before, [], "ignored") }
        switch engine.kind {
        case .open:
            let connect = EngineIOPacket(.message, SocketIOPacket(.connect, json: JSONText.encode(auth)).encoded).encoded
            expect(.connecting, [.send(connect)], "open")
            // The connect frame carries the auth back intact.
            let sent = EngineIOPacket(parsing: connect).flatMap { try? SocketIOPacket(parsing: $0.payload) }
            run.check(sent?.kind == .connect && sent?.namespace == "/" && (sent?.object as? [String: String]) == auth, "connect frame \(connect.debugDescription) lost the auth")
        case .ping: expect(before, [.send("3" + engine.payload)], "ping")
        case .close: expect(.closed, [.closed], "close")
        case .pong, .upgrade, .noop: expect(before, [], "ignored")
        case .message:
            guard let packet = try? SocketIOPacket(parsing: engine.payload), packet.namespace == "/" else { return expect(before, [], "ignored") }
            switch packet.kind {
            case .connect: expect(.connected, [.connected(sid: packet.object?["sid"] as? String ?? "")], "connected")
            case .connectError: expect(.closed, [.refused(packet.object?["message"] as? String ?? packet.json ?? "refused")], "refused")
            case .disconnect: expect(.closed, [.closed], "disconnect")
            case .ack:
                guard let id = packet.ackID else { return expect(before, [], "ignored") }
                expect(before, [.ack(id: id, argumentsJSON: packet.json ?? "[]")], "ack")
            case .event:
                guard let event = packet.event else { return expect(before, [], "ignored") }
                expect(before, [.event(name: event.name, argumentsJSON: JSONText.encode(event.arguments))], "event")
                // The arguments are handed on as a JSON array.
                if case .event(_, let json)? = actions.first {
                    run.check((try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [Any], "event arguments \(json) are no JSON array")
                }
            case .binaryEvent, .binaryAck: run.fail("a binary packet parsed")
            }
        }
    }
}

// MARK: - Fuzz harness (the same as in WireTests/ParserFuzzTests.swift; test targets share no code)

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to drive a fuzzer.
