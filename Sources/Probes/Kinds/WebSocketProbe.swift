import Checks
import Foundation
import Wire

/// JRN-WS-001: the Socket.IO endpoint must have no journey or location handler, as the seeds'
/// clients would meet one. Connects as the trainer and the student of a fixture; each forbidden
/// inbound event is emitted from the role that sends it in the seeds (the trainer's travel events,
/// the student's subscription), once with an ack id and once without (a handler that never acks
/// is still a handler); then, while both sockets listen, a whole HTTP journey runs (start, updates,
/// arrival). Every event either socket receives is kept: a forbidden outbound name, a
/// `location_{trainerId}` push, or any event carrying a location fails the rule whether or not
/// anything acked. A side effect of the emits (the journey started) is compared too.
struct WebSocketHandlersProbe: Probe {
    let kind = "ws-handlers"
    /// Each forbidden inbound event and who sends it in the seeds (seeds/003 §WebSocket).
    static let inbound: [(name: String, role: Role)] = [("startTravel", .trainer), ("trainerLocation", .trainer),
                                                        ("subscribeToTrainerLocation", .student), ("stopTravel", .trainer)]
    static let outbound = ["trainerLocationUpdate", "trainerTravelStarted", "trainerArrived", "travelStarted", "destinationReached"]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["Socket.IO connect ×2 (trainer, student)", "emit \(Self.inbound.map(\.name).joined(separator: ", ")) ×2 each (with and without ack)",
         "GET live ×1 (side effects)", "POST start-journey ×1, updates ×2 (\(Judge.format(spec.number("waitSeconds", default: 5.5))) s apart), arrived ×1 while both sockets listen"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let url = run.system.socketURL else {
            run.notChecked("no socket.url configured")
            return
        }
        let f = try await run.fixture()
        let student = try await connect(url, f.student.token, as: .student, run)
        defer { student.close() }
        let trainer = try await connect(url, f.trainer.token, as: .trainer, run)
        defer { trainer.close() }

        let payload: [String: Any] = ["latitude": f.studentHome.north(900).latitude, "longitude": f.studentHome.longitude,
                                      "sessionId": f.sessionId, "studentId": f.student.id, "trainerId": f.trainer.id]
        run.record("acknowledged", .strings(try await emitAll(payload, trainer: trainer, student: student, spec: spec, run)))
        try await Task.sleep(for: .milliseconds(Int64(spec.number("listenSeconds", default: 0.3) * 1000)))
        let live = try await run.call("live polling after the emits", .liveLocation, f, as: .student)
        run.record("sideEffects", LivePoll.fact(live))
        // A socket handler that started the journey started it for us: stop it like any other.
        if (live.json?["data"] as? [String: Any])?["isActive"] as? Bool == true { run.trackStart(f, .trainer) }

        try await journey(f, spec, run)
        try await Task.sleep(for: .milliseconds(Int64(spec.number("listenSeconds", default: 0.3) * 1000)))
        var forbidden = Set<String>()
        for (role, session) in [(Role.trainer, trainer), (.student, student)] {
            let events = session.events
            run.log(.socket, "\(role.words)'s socket", "events received", credential: role.rawValue,
                    result: events.isEmpty ? "none" : events.map(\.name).joined(separator: ", "))
            forbidden.formUnion(events.compactMap { Self.forbidden($0.name, $0.argumentsJSON) })
        }
        run.record("forbiddenReceived", .strings(forbidden.sorted()))
    }

    /// Each inbound event from its role, with an ack id then without; the names that were acked.
    private func emitAll(_ payload: [String: Any], trainer: SocketIOSession, student: SocketIOSession, spec: ProbeSpec,
                         _ run: ProbeRun) async throws -> [String] {
        let wait = spec.number("ackSeconds", default: 1)
        var acknowledged: [String] = []
        for (name, role) in Self.inbound {
            let socket = role == .student ? student : trainer
            let id = try await socket.emit(name, payload)
            let ack = await socket.ack(id, within: wait)
            run.log(.socket, "emit as \(role.words)", "42\(id)[\"\(name)\",…]", credential: role.rawValue,
                    result: ack.map { "ack \($0)" } ?? "no ack within \(Judge.format(wait)) s")
            if ack != nil { acknowledged.append(name) }
            try await socket.emitWithoutAck(name, payload)
            run.log(.socket, "emit as \(role.words), no ack asked", "42[\"\(name)\",…]", credential: role.rawValue, result: "sent")
        }
        return acknowledged
    }

    /// The HTTP journey the sockets listen to: start (409 too, when an emit started it already),
    /// two updates at the door (the second once the rate window passed; not moving keeps the speed
    /// check, another rule's business, out of it), arrival.
    private func journey(_ f: ProbeFixture, _ spec: ProbeSpec, _ run: ProbeRun) async throws {
        let start = try await run.call("start while both sockets listen", .startJourney, f, as: .trainer)
        guard start.status == 201 || start.status == 409 else {
            throw ProbeError("start while both sockets listen answered \(start.status) on \(run.system.name): the journey cannot go on")
        }
        let door = f.studentHome.north(ProbeFixture.atHomeMeters)
        try await run.place("update at the door", f, at: door)
        try await run.pause(spec.number("waitSeconds", default: 5.5), "past the rate window")
        try await run.place("update at the door, once more", f, at: door)
        try await run.require(200, "arrived while both sockets listen", .arrived, f)
    }

    /// What makes a received event forbidden, or nil: a forbidden outbound name, a
    /// `location_{trainerId}` push, or a payload that carries a location.
    static func forbidden(_ name: String, _ argumentsJSON: String) -> String? {
        if outbound.contains(name) || name.hasPrefix("location_") { return name }
        return argumentsJSON.contains("\"latitude\"") ? "\(name) (carries a location)" : nil
    }

    private func connect(_ url: URL, _ token: String, as role: Role, _ run: ProbeRun) async throws -> SocketIOSession {
        do {
            let session = try await SocketIOSession.connect(url, token: token, origin: run.system.socketOrigin, headers: run.system.socketHeaders,
                                                          tls: run.system.api.client.tls)
            run.log(.socket, "connect", "40{token}", credential: role.rawValue, result: "connected")
            return session
        } catch {
            run.log(.socket, "connect", "40{token}", credential: role.rawValue, result: "\(error)")
            throw ProbeError("could not connect to \(run.system.name)'s Socket.IO endpoint as the \(role.words): \(error)")
        }
    }
}
