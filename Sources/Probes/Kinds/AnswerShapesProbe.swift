import Checks
import Foundation
import Wire

/// JRN-SHAPE-001: what each answer carries, as far as the contract names it: the envelope
/// (`success`, `message`, `data` on success; `success: false` and `message` on errors) and each
/// call's `data` fields. Only the contract's field names are compared (extra fields and message
/// texts are open choices), as the list of those present; plus the one value another rule does
/// not read: live polling shows the last accepted point (to 1e-6°, about 0.1 m).
struct AnswerShapesProbe: Probe {
    let kind = "answer-shapes"
    static let fields: [JourneyAPI.Call: [String]] = [
        .startJourney: ["sessionId", "trainerId", "studentId", "startedAt"],
        .locationUpdate: ["sessionId", "timestamp", "ttl"],
        .liveLocation: ["sessionId", "trainerId", "location", "isActive", "lastUpdate"],
        .arrived: ["sessionId", "otp", "arrivedAt"],
        .stopJourney: ["sessionId", "stoppedAt"],
    ]

    func plan(_ spec: ProbeSpec) -> [String] {
        ["POST start-journey ×2, updates ×1, GET live ×1, POST arrived ×1 on one journey, stop-journey ×1 on the other",
         "GET live ×1 of an unknown session (an error's envelope)"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 2 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        run.unscriptable("what differs is in the answers' bodies (field names, the point), not their status codes")
        var envelopes: [String] = []
        let f = try await run.fixture()
        let start = try await run.require(201, "start", .startJourney, f)
        run.record("startData", Self.present(start, .startJourney))
        let point = f.studentHome.north(ProbeFixture.atHomeMeters)   // where arrival is right whatever the radius is measured with
        let update = try await run.require(201, "update", .locationUpdate, f, body: ProbeRun.updateBody(f, point))
        run.record("updateData", Self.present(update, .locationUpdate, pinned: ["ttl": 300]))
        let live = try await run.require(200, "live polling", .liveLocation, f, as: .student)
        run.record("liveData", Self.present(live, .liveLocation))
        run.record("livePoint", Self.samePoint(live, point))
        let arrived = try await run.require(200, "arrived", .arrived, f)
        run.record("arrivedData", Self.present(arrived, .arrived))

        let other = try await run.fixture()
        try await run.startJourney(other)
        let stop = try await run.require(200, "stop", .stopJourney, other)
        run.record("stopData", Self.present(stop, .stopJourney))
        for (name, response) in [("start", start), ("update", update), ("live", live), ("arrived", arrived), ("stop", stop)] {
            envelopes.append("\(name): \(Self.envelope(response, success: true))")
        }
        run.record("successEnvelope", .strings(envelopes))
        let error = try await run.call("live polling of an unknown session", .liveLocation, f, as: .student,
                                       sessionId: Exchange.unknownSessionPrefix + UUID().uuidString.prefix(8).lowercased())
        run.record("errorEnvelope", .string(Self.envelope(error, success: false)))
    }

    /// The contract's `data` fields of `call` present in the answer (and each `pinned` value), in the contract's order.
    static func present(_ response: HTTPResponseData, _ call: JourneyAPI.Call, pinned: [String: Int] = [:]) -> FactValue {
        let data = response.json?["data"] as? [String: Any] ?? [:]
        return .strings((fields[call] ?? []).map { field in
            guard let value = data[field] else { return "\(field): absent" }
            if let expected = pinned[field] { return (value as? Int) == expected ? "\(field): \(expected)" : "\(field): \(value), not \(expected)" }
            return "\(field): present"
        })
    }

    /// Whether live polling's location is the point sent, to 1e-6° (a number format may round
    /// below that; a point rounded for display, or an older one, differs by far more).
    static func samePoint(_ response: HTTPResponseData, _ point: ProbeFixture.Point) -> FactValue {
        let location = (response.json?["data"] as? [String: Any])?["location"] as? [String: Any]
        guard let latitude = (location?["latitude"] as? NSNumber)?.doubleValue, let longitude = (location?["longitude"] as? NSNumber)?.doubleValue else {
            return .string("no location")
        }
        let close = abs(latitude - point.latitude) < 1e-6 && abs(longitude - point.longitude) < 1e-6
        return .string(close ? "the point sent" : "a point \(Int((abs(latitude - point.latitude) * 111_195).rounded())) m from the one sent")
    }

    /// The envelope as the contract names it: `success` (true or false as the status says) and a `message` string.
    static func envelope(_ response: HTTPResponseData, success: Bool) -> String {
        let body = response.json ?? [:]
        var missing: [String] = []
        if body["success"] as? Bool != success { missing.append("success: \(success)") }
        if !(body["message"] is String) { missing.append("message") }
        if success, !(body["data"] is [String: Any]) { missing.append("data") }
        return missing.isEmpty ? "as the contract says" : "without \(missing.joined(separator: ", "))"
    }
}
