import Foundation

/// The EventBridge calls of the control API: set the endpoint's failure mode, and read what the
/// target published (a count a script compares with the report's expectation, or the entries).
extension ReproductionControl {
    static let noEndpoint = ControlResponse.text("no eventbridge.listen in audit.yml", status: 404)
    /// How long `until=` may wait at most: a repro step must not hang a script.
    static let maxWaitSeconds = 30.0

    func eventMode(_ name: String) -> ControlResponse {
        guard let events else { return Self.noEndpoint }
        guard let mode = EventBridgeEndpoint.Mode(rawValue: name) else {
            let modes = EventBridgeEndpoint.Mode.allCases.map(\.rawValue).joined(separator: ", ")
            return .text("unknown EventBridge mode '\(name)'; one of \(modes)", status: 400)
        }
        events.setMode(mode)
        return .text("eventbridge: \(mode.rawValue)")
    }

    /// The entries matching `detailType` and `sessionId` (each optional). With `until=N` it waits,
    /// up to `wait` seconds (default 3), until N have arrived: publishing is allowed to follow the
    /// answer, so a script that counts at once would see 0 from a target that is right.
    func eventCount(_ query: [String: String]) async -> ControlResponse {
        guard let events else { return Self.noEndpoint }
        var until: Int?
        if let text = query["until"] {
            guard let value = Int(text), value >= 0 else { return .text("until must be a whole number, got '\(text)'", status: 400) }
            until = value
        }
        let waitText = query["wait"] ?? "3"
        guard let wait = Double(waitText), wait.isFinite, wait >= 0 else { return .text("wait must be a number of seconds, got '\(waitText)'", status: 400) }
        let filter = EntryFilter(query)
        func count() -> Int { events.received.filter(filter.matches).count }
        if let until {
            let deadline = ContinuousClock.now + .milliseconds(Int(min(wait, Self.maxWaitSeconds) * 1000))
            while count() < until, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
        return .text(String(count()))
    }

    /// The received entries (optionally of one session) as JSON: what the target published.
    func eventList(_ query: [String: String]) -> ControlResponse {
        guard let events else { return Self.noEndpoint }
        let filter = EntryFilter(query)
        let entries = events.received.filter(filter.matches).map(PublishedEntry.init)
        return (try? Self.json(entries)).map { .json($0) } ?? .text("cannot encode the entries", status: 500)
    }
}

/// `detailType` and `sessionId` of a query; an absent one matches every entry.
struct EntryFilter {
    var detailType: String?
    var sessionId: String?

    init(_ query: [String: String]) {
        detailType = query["detailType"]
        sessionId = query["sessionId"]
    }

    func matches(_ entry: EventBridgeEndpoint.Received) -> Bool {
        (detailType == nil || entry.detailType == detailType) && (sessionId == nil || entry.detail["sessionId"] == sessionId)
    }
}

/// One entry as `GET /eventbridge/events` shows it (the detail's values as received, as text).
struct PublishedEntry: Encodable {
    var detailType: String?
    var source: String?
    var busName: String?
    var detail: [String: String]

    init(_ entry: EventBridgeEndpoint.Received) {
        detailType = entry.detailType
        source = entry.source
        busName = entry.busName
        detail = entry.detail
    }
}
