/// Where a trip starts or ends, or where a driver is.
struct TripPoint: Codable, Sendable, Equatable {
    var latitude: Double
    var longitude: Double

    var isValid: Bool { (-90...90).contains(latitude) && (-180...180).contains(longitude) }

    /// Where the reference's fixture trips start and end: any valid points do.
    static let fixturePickup = TripPoint(latitude: 52.5200, longitude: 13.4050)
    static let fixtureDestination = TripPoint(latitude: 52.5163, longitude: 13.3777)
}

/// The two states the contract names: a trip waits for a driver, or one holds it.
enum TripStatus: String, Sendable {
    case pending, accepted
}

/// One trip request, as the store keeps it.
struct TripRecord: Sendable, Equatable {
    var id: String
    var customerId: String
    var driverId: String?
    var status: TripStatus
    /// Raised by one on every change of assignment (seed 004's optimistic-locking column).
    var version: Int
    var pickup: TripPoint
    var destination: TripPoint
}

/// Who calls: a customer creates trips, a driver accepts, cancels and reports.
enum TripRole: String, Sendable {
    case customer, driver
}

struct TripUser: Sendable, Equatable {
    var id: String
    var token: String
    var role: TripRole
}

/// What seed 004's `driver_details` row holds that the contract reads.
struct DriverState: Sendable, Equatable {
    var id: String
    var isOnline: Bool
    var availability: DriverAvailability

    /// Only an online, available driver may accept a trip.
    var canAccept: Bool { isOnline && availability == .available }
}

enum DriverAvailability: String, Sendable {
    case available, unavailable
}
