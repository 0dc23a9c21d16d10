import Logging
import PostgresNIO

/// Reading rows and running transactions: the parts every query of the store shares.
extension PostgresTripStore {
    static let tripColumns = """
        id, customer_id, driver_id, status, version, pickup_latitude, pickup_longitude, destination_latitude, destination_longitude
        """

    /// One transaction, run again (up to five times in all) when PostgreSQL aborts it to break a deadlock.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch where PostgresErrorText.isDeadlock(error) && attempt < 5 {
                attempt += 1
            }
        }
    }

    func insert(_ trip: TripRecord, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO trips (id, customer_id, driver_id, status, version, pickup_latitude, pickup_longitude, destination_latitude, destination_longitude)
            VALUES (\(trip.id), \(trip.customerId), \(trip.driverId), \(trip.status.rawValue), \(trip.version),
                    \(trip.pickup.latitude), \(trip.pickup.longitude), \(trip.destination.latitude), \(trip.destination.longitude))
            """, logger: logger)
    }

    /// `lock`: `FOR UPDATE`, held until the transaction ends.
    func trip(id: String, on connection: PostgresConnection, lock: Bool) async throws -> TripRecord? {
        let rows = try await connection.query("SELECT \(unescaped: Self.tripColumns) FROM trips WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")",
                                              logger: logger)
        return try await Self.firstTrip(rows)
    }

    func driver(id: String, on connection: PostgresConnection, lock: Bool) async throws -> DriverState? {
        let rows = try await connection.query("""
            SELECT is_online, availability_status FROM drivers WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        guard let row = try await rows.collect().first else { return nil }
        let (isOnline, availability) = try row.decode((Bool, String).self)
        return DriverState(id: id, isOnline: isOnline, availability: DriverAvailability(rawValue: availability) ?? .unavailable)
    }

    /// Rows are read to the end (never left half-read on a connection still in a transaction).
    static func firstTrip(_ rows: PostgresRowSequence) async throws -> TripRecord? {
        guard let row = try await rows.collect().first else { return nil }
        let (id, customer, driver, status, version, pickupLatitude, pickupLongitude, destinationLatitude, destinationLongitude) =
            try row.decode((String, String, String?, String, Int, Double, Double, Double, Double).self)
        return TripRecord(id: id, customerId: customer, driverId: driver, status: TripStatus(rawValue: status) ?? .pending, version: version,
                          pickup: TripPoint(latitude: pickupLatitude, longitude: pickupLongitude),
                          destination: TripPoint(latitude: destinationLatitude, longitude: destinationLongitude))
    }
}
