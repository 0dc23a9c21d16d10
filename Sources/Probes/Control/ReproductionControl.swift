import Foundation
import Wire

/// The control API of `auditor reproduce`: what a reproduction script asks the auditor for while
/// it runs — a fresh fixture, an EventBridge failure mode, the events the target published, a cut
/// store — the same switches a probe throws during an audit, so a report's repro steps replay it.
public struct ReproductionControl: Sendable {
    public var fixtures: any FixtureSource
    /// The auditor's EventBridge endpoint; nil when audit.yml has no `eventbridge.listen`.
    public var events: EventBridgeEndpoint?
    /// The fault proxy in front of the target's Redis; nil when audit.yml has no `redis.proxy`.
    public var store: (any StoreSwitch)?

    public init(fixtures: any FixtureSource, events: EventBridgeEndpoint?, store: (any StoreSwitch)?) {
        self.fixtures = fixtures
        self.events = events
        self.store = store
    }

    static let calls = "POST /fixture, PUT /eventbridge/MODE, GET /eventbridge/count, GET /eventbridge/events, PUT /store/down|timeout|up, PUT /store/slow/MS"

    public func answer(_ request: ControlRequest) async -> ControlResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count, parts.first) {
        case ("POST", 1, "fixture"): return await fixture()
        case ("GET", 2, "eventbridge") where parts[1] == "count": return await eventCount(request.query)
        case ("GET", 2, "eventbridge") where parts[1] == "events": return eventList(request.query)
        case ("PUT", 2, "eventbridge"): return eventMode(parts[1])
        case ("PUT", 2, "store"): return await storeState(parts[1])
        case ("PUT", 3, "store") where parts[1] == "slow": return await slowStore(parts[2])
        default: return .text("no control call \(request.method) \(request.path); the calls are \(Self.calls)", status: 404)
        }
    }

    /// The fixture as the contract shapes it. It carries tokens: it goes to the caller only, and
    /// nothing of it is logged.
    func fixture() async -> ControlResponse {
        do {
            let fixture = try await fixtures.next()
            return .json(try Self.json(fixture))
        } catch {
            return .text("no fixture: \((error as? FixtureError)?.description ?? WireErrors.plain(error))", status: 502)
        }
    }

    /// `down` and `timeout` cut the store as the fail-closed probe does; `up` gives it back.
    func storeState(_ state: String) async -> ControlResponse {
        guard let store else { return .text("no redis.proxy in audit.yml", status: 404) }
        if state == "up" {
            await store.restore()
        } else if let cut = StoreCut(rawValue: state) {
            await store.cut(cut)
        } else {
            return .text("unknown store state '\(state)'; one of \((StoreCut.allCases.map(\.rawValue) + ["up"]).joined(separator: ", "))", status: 400)
        }
        return .text("store: \(state)")
    }

    /// Every store reply that many milliseconds late, as the store-deadline probe makes it.
    func slowStore(_ milliseconds: String) async -> ControlResponse {
        guard let store else { return .text("no redis.proxy in audit.yml", status: 404) }
        guard let ms = Int(milliseconds), (1...600_000).contains(ms) else { return .text("slow needs milliseconds within 1–600000, got '\(milliseconds)'", status: 400) }
        await store.slow(milliseconds: ms)
        return .text("store: slow \(ms) ms")
    }

    /// Sorted keys, unescaped slashes: stable text that `jq` reads and a test can compare.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
