/// Where users, drivers and trips live. One method per atomic operation: whatever a method
/// checks and writes happens in one step (an actor method without suspension in the embedded
/// store, one transaction with row locks in PostgreSQL), so no other call sees half of it.
/// Errors thrown are the store's own (unreachable, timed out): the caller answers 503.
protocol TripStore: Sendable {
    /// Writes a fixture's users, drivers (online, available) and pending trip.
    func addFixture(_ seed: TripFixtureSeed) async throws
    func user(token: String) async throws -> TripUser?
    /// A new pending trip at version 0.
    func createTrip(customerId: String, pickup: TripPoint, destination: TripPoint) async throws -> TripRecord
    func trip(id: String) async throws -> TripRecord?
    func driver(id: String) async throws -> DriverState?
    /// Seed 004's `lockAndAssignTrip`: the trip must be pending, at `expectedVersion` when one is
    /// given, and the driver online and available; then it is the driver's, version + 1.
    func accept(tripId: String, driverId: String, expectedVersion: Int?) async throws -> AcceptOutcome
    /// The `read-then-write-accept` fault's blind write: driver, status and version as given,
    /// whatever the trip holds now.
    func overwriteAssignment(tripId: String, driverId: String, version: Int) async throws -> TripRecord?
    /// Only the assigned driver of an accepted trip: back to pending, no driver, version + 1.
    func cancel(tripId: String, driverId: String) async throws -> CancelOutcome
    /// Seed 004's `updateDriverAvailabilityAtomic`: the status change and, when `releaseTrips`,
    /// every trip the driver holds in `accepted` back to pending (version + 1), in one step.
    /// Returns the released trips' ids.
    func setAvailability(driverId: String, isOnline: Bool, availability: DriverAvailability, releaseTrips: Bool) async throws -> [String]
    func recordLocation(driverId: String, _ point: TripPoint) async throws
}

enum AcceptOutcome: Sendable, Equatable {
    case accepted(TripRecord)
    case notFound
    /// Not pending: another driver (or this one) holds it.
    case alreadyAssigned
    case staleVersion(current: Int)
    case driverUnavailable
}

enum CancelOutcome: Sendable, Equatable {
    case cancelled(TripRecord)
    case notFound
    case notAccepted
    case notAssignedDriver
}
