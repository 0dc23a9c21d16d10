import Logging
import PostgresNIO

/// The trip reference's tables, created when missing, so the reference starts on an empty
/// database and reuses the one it ran on before (its trips, tokens and idempotency keys
/// survive a restart). Column names follow seed 004 where it names them (`version`,
/// `availability_status`, `is_online`).
enum PostgresTripSchema {
    static let statements: [PostgresQuery] = [
        // Two references starting on one empty database must not both create the same table.
        "SELECT pg_advisory_xact_lock(20261104)",
        """
        CREATE TABLE IF NOT EXISTS users (
            id text PRIMARY KEY, token text NOT NULL UNIQUE, role text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS drivers (
            id text PRIMARY KEY REFERENCES users (id), is_online boolean NOT NULL, availability_status text NOT NULL,
            latitude double precision, longitude double precision, location_updated_at timestamptz)
        """,
        """
        CREATE TABLE IF NOT EXISTS trips (
            id text PRIMARY KEY, customer_id text NOT NULL REFERENCES users (id), driver_id text REFERENCES users (id),
            status text NOT NULL, version integer NOT NULL DEFAULT 0,
            pickup_latitude double precision NOT NULL, pickup_longitude double precision NOT NULL,
            destination_latitude double precision NOT NULL, destination_longitude double precision NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())
        """,
        "CREATE INDEX IF NOT EXISTS trips_driver_status ON trips (driver_id, status)",
        """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            scope text NOT NULL, key text NOT NULL, fingerprint text NOT NULL, status integer, body bytea,
            created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, key))
        """,
        "CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)",
        // Tables of these names from something else fail here, at start, not on the first call.
        "SELECT id, token, role FROM users LIMIT 0",
        "SELECT id, is_online, availability_status, latitude, longitude, location_updated_at FROM drivers LIMIT 0",
        """
        SELECT id, customer_id, driver_id, status, version, pickup_latitude, pickup_longitude,
               destination_latitude, destination_longitude, updated_at FROM trips LIMIT 0
        """,
        "SELECT scope, key, fingerprint, status, body, created_at FROM idempotency_keys LIMIT 0",
    ]

    /// Connects once (so an unreachable server fails the start at once, in plain words) and
    /// creates the tables in one transaction.
    static func prepare(_ location: PostgresLocation, logger: Logger) async throws(TripReferenceError) {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw .postgresUnreachable(url: location.masked, reason: PostgresErrorText.plain(error))
        }
        do {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in statements { try await connection.query(statement, logger: logger) }
            }
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw .schemaCreationFailed(url: location.masked, reason: PostgresErrorText.plain(error))
        }
    }
}
