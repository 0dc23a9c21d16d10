import Checks
import Foundation
import Wire

/// JRN-WS-001: the Socket.IO endpoint must have no journey or location handler. Connects as the
/// trainer and the student of a fixture, emits every forbidden inbound event with an ack id and a
/// plausible payload, and watches for the three signs of a handler: an ack, a forbidden event on
/// the student's socket, or a side effect (the journey starts, a location appears).
struct WebSocketHandlersProbe: Probe {
    let kind = "ws-handlers"
    static let inbound = ["startTravel", "trainerLocation", "subscribeToTrainerLocation", "stopTravel"]
    static let outbound = ["trainerLocationUpdate", "trainerTravelStarted", "trainerArrived", "travelStarted", "destinationReached"]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["Socket.IO connect ×2 (trainer, student)", "emit \(Self.inbound.joined(separator: ", ")) with acks", "GET live ×1 (side effects)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 1 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        guard let url = run.system.socketURL else {
            run.notChecked("no socket.url configured")
            return
        }
        let f = try await run.fixture()
        let wait = spec.number("ackSeconds", default: 1)
        let student = try await connect(url, f.student.token, as: "student", run)
        defer { student.close() }
        let trainer = try await connect(url, f.trainer.token, as: "trainer", run)
        defer { trainer.close() }

        let point: [String: Any] = ["latitude": f.studentHome.north(900).latitude, "longitude": f.studentHome.longitude,
                                    "sessionId": f.sessionId, "studentId": f.student.id, "trainerId": f.trainer.id]
        var acknowledged: [String] = []
        for name in Self.inbound {
            let id = try await trainer.emit(name, point)
            let ack = await trainer.ack(id, within: wait)
            run.log(.socket, "emit as trainer", "42\(id)[\"\(name)\",…]", credential: "trainer", result: ack.map { "ack \($0)" } ?? "no ack within \(Judge.format(wait)) s")
            if ack != nil { acknowledged.append(name) }
        }
        try await Task.sleep(for: .milliseconds(Int64(spec.number("listenSeconds", default: 0.3) * 1000)))
        let seen = student.eventNames
        let forbidden = Array(Set(seen.filter { Self.outbound.contains($0) || $0.hasPrefix("location_") })).sorted()
        run.log(.socket, "student's socket", "events received", credential: "student", result: seen.isEmpty ? "none" : seen.joined(separator: ", "))
        run.record("acknowledged", .strings(acknowledged))
        run.record("forbiddenReceived", .strings(forbidden))
        let live = try await run.call("live polling after the emits", .liveLocation, f, as: .student)
        run.record("sideEffects", LivePoll.fact(live))
        // A socket handler that started the journey started it for us: stop it like any other.
        if (live.json?["data"] as? [String: Any])?["isActive"] as? Bool == true { run.trackStart(f, .trainer) }
    }

    private func connect(_ url: URL, _ token: String, as role: String, _ run: ProbeRun) async throws -> SocketIOSession {
        do {
            let session = try await SocketIOSession.connect(url, token: token, origin: run.system.socketOrigin, headers: run.system.socketHeaders,
                                                          tls: run.system.api.client.tls)
            run.log(.socket, "connect", "40{token}", credential: role, result: "connected")
            return session
        } catch {
            run.log(.socket, "connect", "40{token}", credential: role, result: "\(error)")
            throw ProbeError("could not connect to \(run.system.name)'s Socket.IO endpoint as the \(role): \(error)")
        }
    }
}
