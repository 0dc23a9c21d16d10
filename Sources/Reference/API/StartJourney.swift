import Wire

/// Call 1: `POST /api/v1/admin/sessions/{sessionId}/start-journey`.
extension JourneyService {
    public func startJourney(sessionId: String, authorization: String?) async -> APIResponse {
        await respond {
            do {
                return try await start(sessionId: sessionId, authorization: authorization)
            } catch is StoreUnavailable where faults.contains(.failOpen409) {
                // seeds/001: the SETNX timeout comes back as "not set", read as "already started".
                throw APIError(409, "Journey already started for this session")
            }
        }
    }

    /// The fault `ws-start-handler`: a Socket.IO `startTravel` handler that starts the journey for
    /// the socket's (already authenticated) user, answering nothing.
    func startFromSocket(sessionId: String, caller: SessionDirectory.User) async {
        _ = try? await start(sessionId: sessionId, caller: caller)
    }

    private func start(sessionId: String, authorization: String?) async throws -> APIResponse {
        try await start(sessionId: sessionId, caller: try await authenticate(authorization))
    }

    private func start(sessionId: String, caller: SessionDirectory.User) async throws -> APIResponse {
        guard let session = try await directory.session(sessionId) else {
            throw faults.contains(.unknownSession403) ? APIError(403, "Only this session's trainer can start its journey") : APIError(404, "Session not found")
        }
        guard isTrainer(caller, of: session.trainerId, student: session.studentId) else { throw APIError(403, "Only this session's trainer can start its journey") }
        guard session.status == "scheduled" || faults.contains(.startAnySession) else { throw APIError(400, "Session is \(session.status), not scheduled") }

        let startedAt = Timestamp.string(now())
        let record = JourneyRecord(sessionId: sessionId, trainerId: session.trainerId, studentId: session.studentId,
                                   startedAt: startedAt, status: "active")
        let key = StateKeys.journeyActive(sessionId)
        let ttl = faults.contains(.journeyNoTTL) ? nil : StateKeys.journeyTTL
        let claimed: Bool
        if faults.contains(.checkThenSet) {
            // seeds/002 §Race condition: two round trips; another start can pass the check in between.
            claimed = try await !journeyState.exists(key)
            if claimed { try await journeyState.set(key, record.jsonText, ttl: ttl) }
        } else {
            claimed = try await journeyState.setIfAbsent(key, record.jsonText, ttl: ttl)
        }
        guard claimed else { throw APIError(409, "Journey already started for this session") }

        let meta = SessionMeta(trainerId: session.trainerId, studentId: session.studentId, status: session.status,
                               studentHomeLocation: session.studentHomeLocation)
        if !faults.contains(.noSessionCache) {
            try await store.set(StateKeys.sessionMeta(sessionId), meta.jsonText, ttl: StateKeys.sessionMetaTTL)
        }
        try await journeyState.delete([StateKeys.journeyEnded(sessionId)])

        try await events.publish("TrainerJourneyStarted", detail: [
            "trainerId": session.trainerId, "studentId": session.studentId, "sessionId": sessionId, "startTime": startedAt,
        ])
        return .success(201, "Journey started", data: [
            "sessionId": sessionId, "trainerId": session.trainerId, "studentId": session.studentId, "startedAt": startedAt,
        ])
    }
}

/// The value of `session:meta:{sessionId}`: what live polling needs without the database.
struct SessionMeta: Codable, Sendable {
    var trainerId: String
    var studentId: String
    var status: String
    var studentHomeLocation: Coordinate
}
