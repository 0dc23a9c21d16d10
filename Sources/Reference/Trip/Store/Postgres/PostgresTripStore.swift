import Logging
import PostgresNIO

/// The trip store in PostgreSQL, as seed 004 §1 and §3 describe their fix: accept locks the
/// trip row and then the driver's (`SELECT … FOR UPDATE`), checks, and writes with
/// `version = version + 1` in one transaction; going offline locks the driver's row, changes
/// its status and releases its accepted trips in one transaction. A deadlock PostgreSQL breaks
/// is retried, as the seed's `DB::transaction(…, 5)` does.
final class PostgresTripStore: TripStore {
    let client: PostgresClient
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func addFixture(_ seed: TripFixtureSeed) async throws {
        try await transaction { connection in
            for user in [seed.customer, seed.otherCustomer] + seed.drivers {
                try await connection.query("INSERT INTO users (id, token, role) VALUES (\(user.id), \(user.token), \(user.role.rawValue))", logger: self.logger)
            }
            for driver in seed.drivers {
                try await connection.query("INSERT INTO drivers (id, is_online, availability_status) VALUES (\(driver.id), true, 'available')", logger: self.logger)
            }
            try await self.insert(seed.trip, on: connection)
        }
    }

    func user(token: String) async throws -> TripUser? {
        let rows = try await client.query("SELECT id, role FROM users WHERE token = \(token)", logger: logger)
        guard let row = try await rows.collect().first else { return nil }
        let (id, role) = try row.decode((String, String).self)
        return TripRole(rawValue: role).map { TripUser(id: id, token: token, role: $0) }
    }

    func createTrip(customerId: String, pickup: TripPoint, destination: TripPoint) async throws -> TripRecord {
        let trip = TripRecord(id: freshID(), customerId: customerId, driverId: nil, status: .pending, version: 0, pickup: pickup, destination: destination)
        try await client.withConnection { connection in try await self.insert(trip, on: connection) }
        return trip
    }

    func trip(id: String) async throws -> TripRecord? {
        try await client.withConnection { connection in try await self.trip(id: id, on: connection, lock: false) }
    }

    func driver(id: String) async throws -> DriverState? {
        try await client.withConnection { connection in try await self.driver(id: id, on: connection, lock: false) }
    }

    func accept(tripId: String, driverId: String, expectedVersion: Int?) async throws -> AcceptOutcome {
        try await transaction { connection in
            guard let trip = try await self.trip(id: tripId, on: connection, lock: true) else { return .notFound }
            // Refused before the driver's row is locked: a taken trip never waits for its driver.
            guard trip.status == .pending else { return .alreadyAssigned }
            if let expectedVersion, expectedVersion != trip.version { return .staleVersion(current: trip.version) }
            guard try await self.driver(id: driverId, on: connection, lock: true)?.canAccept == true else { return .driverUnavailable }
            let rows = try await connection.query("""
                UPDATE trips SET driver_id = \(driverId), status = 'accepted', version = version + 1, updated_at = now()
                WHERE id = \(tripId) RETURNING \(unescaped: Self.tripColumns)
                """, logger: self.logger)
            guard let accepted = try await Self.firstTrip(rows) else { return .notFound }
            return .accepted(accepted)
        }
    }

    func overwriteAssignment(tripId: String, driverId: String, version: Int) async throws -> TripRecord? {
        let rows = try await client.query("""
            UPDATE trips SET driver_id = \(driverId), status = 'accepted', version = \(version), updated_at = now()
            WHERE id = \(tripId) RETURNING \(unescaped: Self.tripColumns)
            """, logger: logger)
        return try await Self.firstTrip(rows)
    }

    func cancel(tripId: String, driverId: String) async throws -> CancelOutcome {
        try await transaction { connection in
            guard let trip = try await self.trip(id: tripId, on: connection, lock: true) else { return .notFound }
            guard trip.status == .accepted else { return .notAccepted }
            guard trip.driverId == driverId else { return .notAssignedDriver }
            let rows = try await connection.query("""
                UPDATE trips SET driver_id = NULL, status = 'pending', version = version + 1, updated_at = now()
                WHERE id = \(tripId) RETURNING \(unescaped: Self.tripColumns)
                """, logger: self.logger)
            guard let cancelled = try await Self.firstTrip(rows) else { return .notFound }
            return .cancelled(cancelled)
        }
    }

    func setAvailability(driverId: String, isOnline: Bool, availability: DriverAvailability, releaseTrips: Bool) async throws -> [String] {
        try await transaction { connection in
            _ = try await self.driver(id: driverId, on: connection, lock: true)
            try await connection.query("""
                UPDATE drivers SET is_online = \(isOnline), availability_status = \(availability.rawValue) WHERE id = \(driverId)
                """, logger: self.logger)
            guard releaseTrips else { return [] }
            let rows = try await connection.query("""
                UPDATE trips SET driver_id = NULL, status = 'pending', version = version + 1, updated_at = now()
                WHERE driver_id = \(driverId) AND status = 'accepted' RETURNING id
                """, logger: self.logger)
            return try await rows.collect().map { try $0.decode(String.self) }.sorted()
        }
    }

    func recordLocation(driverId: String, _ point: TripPoint) async throws {
        try await client.query("""
            UPDATE drivers SET latitude = \(point.latitude), longitude = \(point.longitude), location_updated_at = now() WHERE id = \(driverId)
            """, logger: logger)
    }
}
