/// One audited system: its contract's calls and fixture shape, its reference, its probes and its
/// rule file (`rules/<name>.yml`). The engine, scoring, reports, gate and workflow are shared.
public enum Pack: String, Sendable, CaseIterable, Codable {
    /// docs/contract/journey.md: the journey tracking service (HTTP API, Redis, EventBridge, Socket.IO).
    case journey
    /// docs/contract/trip.md: seed 004's trip assignment service (accept race, idempotency, availability, rate limits).
    case trip

    /// Every pack's name, for usage errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The contract's call names, the keys `target.paths` may override.
    public var calls: [String] {
        switch self {
        case .journey: return ["startJourney", "locationUpdate", "liveLocation", "arrived", "stopJourney"]
        case .trip: return ["createTrip", "tripAction", "tripDetails", "onlineStatus", "driverLocation"]
        }
    }

    /// The contract the pack certifies against, as reports cite it.
    public var contract: String {
        switch self {
        case .journey: return "docs/contract/journey.md"
        case .trip: return "docs/contract/trip.md"
        }
    }
}
