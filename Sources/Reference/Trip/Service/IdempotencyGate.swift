/// Seed 004 §2's middleware: the first request with a key runs and its answer is stored; a
/// retry with the same body gets that answer again, marked `X-Idempotent-Replay: true`, without
/// running; a retry with another body is 422; one that arrives while the first is still in
/// flight is 409 (IETF httpapi Idempotency-Key draft §2.6).
struct IdempotencyGate: Sendable {
    var keys: any IdempotencyKeyStore
    var faults: Set<TripFault>
    /// What one store round trip takes: the faulted check-then-store path waits it between the
    /// check and the work, so concurrent requests reliably overlap as they do against a database.
    var roundTrip: Duration

    static let replayHeader = "X-Idempotent-Replay"

    func run(_ scope: IdempotencyScope, body: [UInt8], execute: () async throws -> APIResponse) async throws -> APIResponse {
        let fingerprint = RequestFingerprint.of(body)
        if faults.contains(.concurrentKeyDouble) {
            if let record = try await keys.lookup(scope) { return answer(to: record, fingerprint: fingerprint) }
            try await Task.sleep(for: roundTrip)
            let answer = try await execute()
            if Self.isStorable(answer) { try await keys.complete(scope, fingerprint: fingerprint, answer: StoredAnswer(answer)) }
            return answer
        }
        if case .existing(let record) = try await keys.begin(scope, fingerprint: fingerprint) {
            if faults.contains(.mismatchRunsThen422), record.fingerprint != fingerprint {
                _ = try await execute()
            }
            return answer(to: record, fingerprint: fingerprint)
        }
        // The claim's commit: one round trip to the database, during which a concurrent retry finds
        // the key in flight (so that answer is observed on every run, not only on a slow one).
        try await Task.sleep(for: roundTrip)
        let answer: APIResponse
        do {
            answer = try await execute()
        } catch {
            try? await keys.release(scope)
            throw error
        }
        if Self.isStorable(answer) {
            try await keys.complete(scope, fingerprint: fingerprint, answer: StoredAnswer(answer))
        } else {
            try await keys.release(scope)
        }
        return answer
    }

    /// An answer the request produced and a retry should see again: every 2xx–4xx but 429. A
    /// 429 or 5xx says the request was not carried out, so the key is free for the retry.
    static func isStorable(_ answer: APIResponse) -> Bool {
        answer.status < 500 && answer.status != 429
    }

    private func answer(to record: IdempotencyRecord, fingerprint: String) -> APIResponse {
        guard record.fingerprint == fingerprint || faults.contains(.replayOtherBody) else {
            return TripAnswer.message(422, "Idempotency-Key reused with a different request body")
        }
        guard let stored = record.answer else {
            if faults.contains(.concurrentKey500) { return TripAnswer.message(500, "Integrity constraint violation: duplicate idempotency key") }
            return TripAnswer.message(409, "A request with this Idempotency-Key is in progress")
        }
        let headers = faults.contains(.noReplayHeader) ? [] : [(Self.replayHeader, "true")]
        return APIResponse(status: stored.status, body: stored.body, headers: headers)
    }
}

extension StoredAnswer {
    init(_ answer: APIResponse) {
        self.init(status: answer.status, body: answer.body)
    }
}
