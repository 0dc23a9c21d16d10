import Foundation

/// One request to the trip API, as the router hands it over: which call, who (the raw
/// `Authorization`), the optional `Idempotency-Key` and the body.
struct TripCall: Sendable {
    var route: TripRoute
    /// The request's path: with the caller and the key, the scope of an idempotency key.
    var path: String
    var authorization: String?
    var idempotencyKey: String?
    var body: [UInt8]
}

/// The six calls of docs/contract/trip.md's table (accept and cancel share one route).
enum TripRoute: Sendable {
    case create
    case tripAction
    case details(tripId: String)
    case onlineStatus
    case location

    /// Seed 004's routes take `Idempotency-Key` on create and trip-action only.
    var isIdempotent: Bool {
        switch self {
        case .create, .tripAction: true
        case .details, .onlineStatus, .location: false
        }
    }

    /// The limit class the request counts against. The seed puts the whole trip-action route
    /// under `trip_accept`; the contract gives cancel its own class, so `action: "cancel"` counts
    /// there and anything else (accept, or a body the call will refuse) as an accept.
    func rateClass(body: [UInt8]) -> RateClass {
        switch self {
        case .create, .details, .onlineStatus: .general
        case .location: .locationUpdate
        case .tripAction:
            (try? JSONDecoder().decode(ActionOnly.self, from: Data(body)))?.action == "cancel" ? .tripCancel : .tripAccept
        }
    }

    private struct ActionOnly: Decodable { var action: String }
}
