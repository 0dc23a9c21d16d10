import Wire
import Foundation

/// Call 3: `GET /api/v1/admin/location-tracking/journey/live?sessionId=…` (the student polls).
extension JourneyService {
    public func liveLocation(sessionId: String?, authorization: String?) async -> APIResponse {
        await respond {
            let caller: SessionDirectory.User?
            do {
                caller = try await authenticate(authorization)
            } catch is APIError where faults.contains(.noAuthOnLive) {
                caller = nil // the fault: an anonymous caller is let through
            }
            guard let sessionId, !sessionId.isEmpty else { throw APIError(400, "sessionId query parameter is required") }
            guard let meta = try await sessionMeta(sessionId) else {
                throw faults.contains(.unknownSession403) ? APIError(403, "Only this session's student can follow its journey") : APIError(404, "Session not found")
            }
            let party = faults.contains(.partyOwnership) && caller?.id == meta.trainerId
            if let caller, !faults.contains(.leakyLive), !party, meta.studentId != caller.id {
                throw APIError(403, "Only this session's student can follow its journey")
            }
            let journey = try await activeJourney(sessionId)
            var location: LocationRecord?
            // Under `no-cleanup`, seeds/003's polling: whatever the location key holds, active or not.
            if journey != nil || faults.contains(.noCleanup) {
                location = try await self.location(trainerId: meta.trainerId, sessionId: sessionId)
            }
            return .success(200, "Live location", data: [
                "sessionId": sessionId,
                "trainerId": meta.trainerId,
                "location": location?.object ?? NSNull(),
                "isActive": journey != nil,
                "lastUpdate": location?.timestamp ?? NSNull(),
            ])
        }
    }

    /// `session:meta:{id}` first (written at start), the database only when it is absent (or, under
    /// `store-reads-retried`, when the cache read fails: it fails open to the database).
    private func sessionMeta(_ sessionId: String) async throws -> SessionMeta? {
        let cached: String?
        do { cached = try await store.get(StateKeys.sessionMeta(sessionId)) } catch is StoreUnavailable where variants.contains(.storeReadsRetried) { cached = nil }
        if let text = cached,
           let meta = try? JSONDecoder().decode(SessionMeta.self, from: Data(text.utf8)) {
            return meta
        }
        return try await directory.session(sessionId).map {
            SessionMeta(trainerId: $0.trainerId, studentId: $0.studentId, status: $0.status, studentHomeLocation: $0.studentHomeLocation)
        }
    }
}
