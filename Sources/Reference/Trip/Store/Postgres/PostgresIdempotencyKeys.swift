import Logging
import PostgresNIO

/// Idempotency keys in the `idempotency_keys` table (seed 004 §2: durable, kept 24 h). `begin`
/// is one `INSERT … ON CONFLICT DO NOTHING`: of concurrent requests with one key, exactly one
/// inserts the in-flight row (status NULL); the others read it.
final class PostgresIdempotencyKeys: IdempotencyKeyStore {
    let client: PostgresClient
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func begin(_ scope: IdempotencyScope, fingerprint: String) async throws -> IdempotencyBegin {
        while true {
            try await client.query("""
                DELETE FROM idempotency_keys WHERE scope = \(scope.callerAndPath) AND key = \(scope.key)
                AND created_at < now() - make_interval(secs => \(idempotencyRetention))
                """, logger: logger)
            let inserted = try await client.query("""
                INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (\(scope.callerAndPath), \(scope.key), \(fingerprint))
                ON CONFLICT (scope, key) DO NOTHING RETURNING key
                """, logger: logger).collect()
            if !inserted.isEmpty { return .started }
            // Released between the insert and this read: try again.
            if let record = try await lookup(scope) { return .existing(record) }
        }
    }

    func lookup(_ scope: IdempotencyScope) async throws -> IdempotencyRecord? {
        let rows = try await client.query("""
            SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = \(scope.callerAndPath) AND key = \(scope.key)
            AND created_at >= now() - make_interval(secs => \(idempotencyRetention))
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (fingerprint, status, body) = try row.decode((String, Int?, ByteBuffer?).self)
        let answer = status.map { StoredAnswer(status: $0, body: body.map { Array(buffer: $0) } ?? []) }
        return IdempotencyRecord(fingerprint: fingerprint, answer: answer)
    }

    func complete(_ scope: IdempotencyScope, fingerprint: String, answer: StoredAnswer) async throws {
        try await client.query("""
            INSERT INTO idempotency_keys (scope, key, fingerprint, status, body)
            VALUES (\(scope.callerAndPath), \(scope.key), \(fingerprint), \(answer.status), \(ByteBuffer(bytes: answer.body)))
            ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body
            """, logger: logger)
    }

    func release(_ scope: IdempotencyScope) async throws {
        try await client.query("DELETE FROM idempotency_keys WHERE scope = \(scope.callerAndPath) AND key = \(scope.key)", logger: logger)
    }
}
