import Foundation

/// Where idempotency keys live (seed 004 §2: a table, so they survive cache expiry and restarts).
/// `begin` is the one atomic step that matters: of concurrent requests with one key exactly one
/// gets `.started`; the others see its in-flight record.
protocol IdempotencyKeyStore: Sendable {
    /// Records the key as in flight with this fingerprint, unless a live record exists: then
    /// that record. A record older than the store's retention counts as absent.
    func begin(_ scope: IdempotencyScope, fingerprint: String) async throws -> IdempotencyBegin
    /// The live record, if any, without writing (the `concurrent-key-double` fault's check).
    func lookup(_ scope: IdempotencyScope) async throws -> IdempotencyRecord?
    /// Stores the answer the request produced (inserting the record if `begin` never ran).
    func complete(_ scope: IdempotencyScope, fingerprint: String, answer: StoredAnswer) async throws
    /// Forgets the key: the request produced no answer worth replaying (429, 5xx, an error).
    func release(_ scope: IdempotencyScope) async throws
}

/// Who sent the key to which route: one caller's key never replays another's answer (IETF
/// httpapi Idempotency-Key draft §2.2), nor another endpoint's.
struct IdempotencyScope: Hashable, Sendable {
    var callerId: String
    var path: String
    var key: String

    /// The `scope` column: caller and route, the key kept in its own column.
    var callerAndPath: String { "\(callerId) \(path)" }
}

struct IdempotencyRecord: Sendable, Equatable {
    var fingerprint: String
    /// nil while the first request is still in flight.
    var answer: StoredAnswer?
}

enum IdempotencyBegin: Sendable, Equatable {
    case started
    case existing(IdempotencyRecord)
}

/// The answer a replay repeats byte for byte. Answers of the trip API carry no headers besides
/// Content-Type and the rate-limit ones (which belong to the replay's own request), so status
/// and body are the whole answer.
struct StoredAnswer: Sendable, Equatable {
    var status: Int
    var body: [UInt8]
}

/// Seed 004 §2: keys are kept 24 h.
let idempotencyRetention: TimeInterval = 24 * 3600
