import Foundation

/// The people and the trip one `POST /__reference/fixtures` creates, written to the store in one
/// step and straight into it (not through the API, so they count against no rate limit).
struct TripFixtureSeed: Sendable {
    var trip: TripRecord
    var customer: TripUser
    var otherCustomer: TripUser
    /// Online and available.
    var drivers: [TripUser]

    /// Fresh random ids and tokens: fixtures never collide, across restarts on one database too.
    static func fresh(driverCount: Int = 10) -> TripFixtureSeed {
        let customer = TripUser.fresh(.customer)
        return TripFixtureSeed(
            trip: TripRecord(id: freshID(), customerId: customer.id, driverId: nil, status: .pending, version: 0,
                             pickup: .fixturePickup, destination: .fixtureDestination),
            customer: customer,
            otherCustomer: .fresh(.customer),
            drivers: (0..<driverCount).map { _ in .fresh(.driver) }
        )
    }

    /// The fixture document of docs/contract/trip.md.
    var json: [String: Any] {
        func person(_ user: TripUser) -> [String: Any] { ["id": user.id, "token": user.token] }
        return ["tripId": trip.id, "customer": person(customer), "otherCustomer": person(otherCustomer), "drivers": drivers.map(person)]
    }
}

extension TripUser {
    static func fresh(_ role: TripRole) -> TripUser {
        TripUser(id: freshID(), token: "\(role.rawValue)-\(freshID())", role: role)
    }
}

/// A random id or token part (UUID, lower case).
func freshID() -> String { UUID().uuidString.lowercased() }
