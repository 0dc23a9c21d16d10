/// The trip store in process memory. Each method runs on the actor without suspending, so what
/// it checks and what it writes are one step: the embedded counterpart of a transaction.
actor EmbeddedTripStore: TripStore {
    private var usersByToken: [String: TripUser] = [:]
    private var drivers: [String: DriverState] = [:]
    private var locations: [String: TripPoint] = [:]
    private var trips: [String: TripRecord] = [:]

    func addFixture(_ seed: TripFixtureSeed) {
        for user in [seed.customer, seed.otherCustomer] + seed.drivers { usersByToken[user.token] = user }
        for driver in seed.drivers { drivers[driver.id] = DriverState(id: driver.id, isOnline: true, availability: .available) }
        trips[seed.trip.id] = seed.trip
    }

    func user(token: String) -> TripUser? { usersByToken[token] }

    func createTrip(customerId: String, pickup: TripPoint, destination: TripPoint) -> TripRecord {
        let trip = TripRecord(id: freshID(), customerId: customerId, driverId: nil, status: .pending, version: 0,
                              pickup: pickup, destination: destination)
        trips[trip.id] = trip
        return trip
    }

    func trip(id: String) -> TripRecord? { trips[id] }

    func driver(id: String) -> DriverState? { drivers[id] }

    func accept(tripId: String, driverId: String, expectedVersion: Int?) -> AcceptOutcome {
        guard var trip = trips[tripId] else { return .notFound }
        guard trip.status == .pending else { return .alreadyAssigned }
        if let expectedVersion, expectedVersion != trip.version { return .staleVersion(current: trip.version) }
        guard drivers[driverId]?.canAccept == true else { return .driverUnavailable }
        trip.driverId = driverId
        trip.status = .accepted
        trip.version += 1
        trips[tripId] = trip
        return .accepted(trip)
    }

    func overwriteAssignment(tripId: String, driverId: String, version: Int) -> TripRecord? {
        guard var trip = trips[tripId] else { return nil }
        trip.driverId = driverId
        trip.status = .accepted
        trip.version = version
        trips[tripId] = trip
        return trip
    }

    func cancel(tripId: String, driverId: String) -> CancelOutcome {
        guard var trip = trips[tripId] else { return .notFound }
        guard trip.status == .accepted else { return .notAccepted }
        guard trip.driverId == driverId else { return .notAssignedDriver }
        trip.driverId = nil
        trip.status = .pending
        trip.version += 1
        trips[tripId] = trip
        return .cancelled(trip)
    }

    func setAvailability(driverId: String, isOnline: Bool, availability: DriverAvailability, releaseTrips: Bool) -> [String] {
        drivers[driverId] = DriverState(id: driverId, isOnline: isOnline, availability: availability)
        guard releaseTrips else { return [] }
        let held = trips.values.filter { $0.driverId == driverId && $0.status == .accepted }.map(\.id).sorted()
        for id in held {
            trips[id]?.driverId = nil
            trips[id]?.status = .pending
            trips[id]?.version += 1
        }
        return held
    }

    func recordLocation(driverId: String, _ point: TripPoint) {
        locations[driverId] = point
    }
}
