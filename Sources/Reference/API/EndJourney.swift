import Wire
import Foundation

/// Calls 4 and 5: `arrived` and `stop-journey` both end the journey; they differ in the arrival
/// radius check, the OTP and the event's `reason`.
extension JourneyService {
    public func arrived(sessionId: String, authorization: String?) async -> APIResponse {
        await respond {
            if try await endsWithoutJourney(sessionId, authorization) { throw APIError(400, "No location reported yet: cannot confirm arrival") }
            let (journey, location) = try await endableJourney(sessionId: sessionId, authorization: authorization)
            if !faults.contains(.noArrivalRadius) {
                guard let session = try await directory.session(sessionId) else { throw APIError(404, "Session not found") }
                guard let location else { throw APIError(400, "No location reported yet: cannot confirm arrival") }
                let meters = location.coordinate.distance(to: session.studentHomeLocation)
                if meters > arrivalRadiusMeters {
                    throw APIError(400, "Too far from the student's home to arrive: \(Int(meters.rounded())) m (limit \(Int(arrivalRadiusMeters)) m)")
                }
            }
            let arrivedAt = Timestamp.string(now())
            try await end(journey, reason: "arrived", at: arrivedAt)
            if var session = try await directory.session(sessionId) {
                session.status = "arrived"
                try await directory.save(session)
            }
            let otp = String(format: "%04d", Int.random(in: 0...9999))
            return .success(200, "Arrival confirmed", data: ["sessionId": sessionId, "otp": otp, "arrivedAt": arrivedAt])
        }
    }

    public func stopJourney(sessionId: String, authorization: String?) async -> APIResponse {
        await respond {
            if try await endsWithoutJourney(sessionId, authorization) {
                return .success(200, "Journey stopped", data: ["sessionId": sessionId, "stoppedAt": Timestamp.string(now())])
            }
            let (journey, _) = try await endableJourney(sessionId: sessionId, authorization: authorization)
            let stoppedAt = Timestamp.string(now())
            try await end(journey, reason: "cancelled", at: stoppedAt)
            return .success(200, "Journey stopped", data: ["sessionId": sessionId, "stoppedAt": stoppedAt])
        }
    }

    /// The fault `end-without-journey-200`: an authenticated caller and no journey active, which
    /// the faulted calls answer without the contract's 404.
    private func endsWithoutJourney(_ sessionId: String, _ authorization: String?) async throws -> Bool {
        guard faults.contains(.endWithoutJourney200), try await activeJourney(sessionId) == nil else { return false }
        _ = try await authenticate(authorization)
        return true
    }

    /// Authenticate → journey active (404) → ownership (403); also returns the last known location.
    private func endableJourney(sessionId: String, authorization: String?) async throws -> (JourneyRecord, LocationRecord?) {
        let caller = try await authenticate(authorization)
        guard let journey = try await activeJourney(sessionId) else { throw APIError(404, "No active journey for this session") }
        guard isTrainer(caller, of: journey.trainerId, student: journey.studentId) else { throw APIError(403, "Only this journey's trainer can end it") }
        return (journey, try await location(trainerId: journey.trainerId, sessionId: sessionId))
    }

    /// Deletes the journey and location keys, leaves the ended marker (410 for late updates), publishes.
    private func end(_ journey: JourneyRecord, reason: String, at time: String) async throws {
        let sessionId = journey.sessionId
        var ended = journey
        ended.status = "ended"
        switch (faults.contains(.noCleanup), faults.contains(.journeyKeptAsEnded)) {
        case (true, _):
            try await journeyState.delete([StateKeys.journeyActive(sessionId)])
        case (false, true):
            try await journeyState.set(StateKeys.journeyActive(sessionId), ended.jsonText, ttl: StateKeys.journeyTTL)
            try await journeyState.delete([StateKeys.location(trainerId: journey.trainerId, sessionId: sessionId)])
        case (false, false):
            try await journeyState.delete([
                StateKeys.journeyActive(sessionId), StateKeys.location(trainerId: journey.trainerId, sessionId: sessionId),
            ])
        }
        if !faults.contains(.goneAs404) {
            try await journeyState.set(StateKeys.journeyEnded(sessionId), reason, ttl: faults.contains(.endedNoTTL) ? nil : StateKeys.endedTTL)
        }
        try await events.publish("TrainerJourneyEnded", detail: [
            "trainerId": journey.trainerId, "studentId": journey.studentId, "sessionId": sessionId, "endTime": time,
            "reason": faults.contains(.wrongEndReason) ? "cancelled" : reason,
        ])
    }
}
