import Foundation

/// The trip API's request pipeline, in the order seed 004's Laravel stack runs it: authenticate
/// (401, not counted), rate limit (`throttle` before the controller: 429), idempotency (the
/// middleware: replay, 422, 409 in flight), then the call itself. Every answer of a limited route
/// but a 401 carries the `X-RateLimit-*` headers.
struct TripService: Sendable {
    let store: any TripStore
    let gate: IdempotencyGate
    let limiter: TripRateLimiter
    let rateAnswers: RateLimitAnswers
    let faults: Set<TripFault>
    /// What one store round trip takes, for the faulted read-then-write accept (see IdempotencyGate).
    let roundTrip: Duration

    init(store: any TripStore, keys: any IdempotencyKeyStore, faults: Set<TripFault>, roundTrip: Duration = .milliseconds(5)) {
        self.store = store
        self.gate = IdempotencyGate(keys: keys, faults: faults, roundTrip: roundTrip)
        self.limiter = TripRateLimiter(offByOne: faults.contains(.ratelimitOffByOne))
        self.rateAnswers = RateLimitAnswers(faults: faults)
        self.faults = faults
        self.roundTrip = roundTrip
    }

    func respond(to call: TripCall) async -> APIResponse {
        do {
            guard let caller = try await authenticate(call.authorization) else {
                return TripAnswer.message(401, "Unauthenticated: a valid Bearer token is required")
            }
            let window = limiter.count(caller: caller.id, call.route.rateClass(body: call.body))
            guard window.allowed else { return rateAnswers.refusal(window) }
            var answer: APIResponse
            if call.route.isIdempotent, !faults.contains(.idempotencyNotApplied), let key = call.idempotencyKey {
                answer = try await gate.run(IdempotencyScope(callerId: caller.id, path: call.path, key: key), body: call.body) {
                    await perform(call, by: caller)
                }
            } else {
                answer = await perform(call, by: caller)
            }
            answer.headers += rateAnswers.headers(window)
            return answer
        } catch {
            return TripAnswer.message(503, "The trip store is unavailable: \(error)")
        }
    }

    private func authenticate(_ authorization: String?) async throws -> TripUser? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        let token = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { return nil }
        return try await store.user(token: token)
    }

    /// The call itself: its refusals become answers (stored for replay like any other), a store
    /// error is thrown (503, and the idempotency key is released).
    private func perform(_ call: TripCall, by caller: TripUser) async -> APIResponse {
        do {
            switch call.route {
            case .create: return try await createTrip(call.body, by: caller)
            case .tripAction: return try await tripAction(call.body, by: caller)
            case .details(let tripId): return try await details(tripId, by: caller)
            case .onlineStatus: return try await onlineStatus(call.body, by: caller)
            case .location: return try await location(call.body, by: caller)
            }
        } catch let refusal as TripCallError {
            return refusal.answer
        } catch {
            return TripAnswer.message(503, "The trip store is unavailable: \(error)")
        }
    }

    /// 403 unless the caller has this role (a customer's token on a driver's call, and back).
    func require(_ role: TripRole, _ caller: TripUser) throws(TripCallError) {
        guard caller.role == role else { throw TripCallError(403, "Forbidden: this call is for \(role.rawValue)s") }
    }
}
