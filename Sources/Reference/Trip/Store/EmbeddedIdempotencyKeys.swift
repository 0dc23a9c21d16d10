import Foundation

/// Idempotency keys in process memory, forgotten after `retention` seconds: with 24 h the
/// embedded store's keys; with the `idempotency-in-cache` fault's few seconds the cache seed 004
/// §2 replaced (and being in memory, a restart forgets them as well).
actor EmbeddedIdempotencyKeys: IdempotencyKeyStore {
    private struct Entry {
        var record: IdempotencyRecord
        var createdAt: Date
    }

    private let retention: TimeInterval
    private var entries: [IdempotencyScope: Entry] = [:]

    init(retention: TimeInterval = idempotencyRetention) {
        self.retention = retention
    }

    func begin(_ scope: IdempotencyScope, fingerprint: String) -> IdempotencyBegin {
        if let record = lookup(scope) { return .existing(record) }
        entries[scope] = Entry(record: IdempotencyRecord(fingerprint: fingerprint, answer: nil), createdAt: Date())
        return .started
    }

    func lookup(_ scope: IdempotencyScope) -> IdempotencyRecord? {
        guard let entry = entries[scope] else { return nil }
        guard Date().timeIntervalSince(entry.createdAt) < retention else {
            entries[scope] = nil
            return nil
        }
        return entry.record
    }

    func complete(_ scope: IdempotencyScope, fingerprint: String, answer: StoredAnswer) {
        let createdAt = entries[scope]?.createdAt ?? Date()
        entries[scope] = Entry(record: IdempotencyRecord(fingerprint: fingerprint, answer: answer), createdAt: createdAt)
    }

    func release(_ scope: IdempotencyScope) {
        entries[scope] = nil
    }
}
