import Wire
import Foundation

/// Call 2: `POST /api/v1/admin/location-tracking/journey/updates`, checks in the contract's order:
/// authenticate → validate body → journey active (404/410) → ownership → rate limit → speed → write.
extension JourneyService {
    public func updateLocation(body: [UInt8], authorization: String?) async -> APIResponse {
        await respond {
            if faults.contains(.bodyBeforeAuth) { _ = try LocationUpdateBody.parse(body, checkRange: true) }
            let caller = try await authenticate(authorization)
            // `body-after-journey`: only the sessionId is read before the journey is looked up.
            if faults.contains(.bodyAfterJourney), let sessionId = LocationUpdateBody.sessionId(body), try await activeJourney(sessionId) == nil {
                throw try await missingJourney(sessionId)
            }
            let update = try LocationUpdateBody.parse(body, checkRange: !faults.contains(.noRangeCheck))
            guard let journey = try await activeJourney(update.sessionId) else {
                throw try await missingJourney(update.sessionId)
            }
            guard isTrainer(caller, of: journey.trainerId, student: journey.studentId) else { throw APIError(403, "Only this journey's trainer can update its location") }

            let at = now()
            let nowMs = Int(at.timeIntervalSince1970 * 1000)
            let rateKey = StateKeys.rate(caller.id)
            let limited = !faults.contains(.noRateLimit)
            if limited, let last = try await journeyState.get(rateKey).flatMap(Int.init) {
                let waitMs = ContractLimits.updateIntervalMs - (nowMs - last)
                if waitMs > 0 {
                    if faults.contains(.writeBeforeRateCheck) {
                        try await writeLocation(record(update, at), key: StateKeys.location(trainerId: caller.id, sessionId: update.sessionId))
                    }
                    throw tooFrequent(waitMs: waitMs, at: at)
                }
            }
            if limited, variants.contains(.rateKeyAtCheck) { try await writeRateKey(rateKey, nowMs) }

            if !faults.contains(.noSpeedCheck), let previous = try await location(trainerId: caller.id, sessionId: update.sessionId),
               let previousAt = Timestamp.parse(previous.timestamp) {
                let seconds = max(at.timeIntervalSince(previousAt), 0.001)
                // The fault reads metres per hour as km/h: 1000 times too strict.
                let kmh = previous.coordinate.distance(to: update.coordinate) / seconds * (faults.contains(.speedUnitBug) ? 3600 : 3.6)
                if kmh > speedLimitKmh {
                    throw APIError(400, "Implausible movement: \(Int(kmh.rounded())) km/h since the previous point (limit \(Int(speedLimitKmh)) km/h)")
                }
            }

            let stored = record(update, at)
            try await writeLocation(stored, key: StateKeys.location(trainerId: caller.id, sessionId: update.sessionId))
            if limited, !variants.contains(.rateKeyAtCheck) { try await writeRateKey(rateKey, nowMs) }
            await pushes?.push(stored, trainerId: caller.id, to: journey.studentId)
            return .success(201, "Location updated", data: ["sessionId": update.sessionId, "timestamp": stored.timestamp, "ttl": StateKeys.locationTTL])
        }
    }

    /// 410 when the journey has ended (its marker exists), else 404: no journey was ever active.
    private func missingJourney(_ sessionId: String) async throws -> APIError {
        if faults.contains(.always410) { return APIError(410, "Journey has ended") }
        if !faults.contains(.goneAs404), try await journeyState.exists(StateKeys.journeyEnded(sessionId)) {
            return APIError(410, "Journey has ended")
        }
        return APIError(404, "No active journey for this session")
    }

    /// The stored form of an accepted update, stamped with the server's time.
    private func record(_ update: LocationUpdateBody, _ at: Date) -> LocationRecord {
        LocationRecord(latitude: update.latitude, longitude: update.longitude, accuracy: update.accuracy,
                       speed: update.speed, heading: update.heading, timestamp: Timestamp.string(at))
    }

    /// 429 with `Retry-After` as delay-seconds, or as an HTTP-date under `retry-after-date`.
    private func tooFrequent(waitMs: Int, at: Date) -> APIError {
        var headers: [(String, String)] = []
        if !faults.contains(.noRetryAfter) {
            let seconds = faults.contains(.retryAfter60) ? 60 : (waitMs + 999) / 1000
            let value = variants.contains(.retryAfterDate) ? HTTPDate.string(at.addingTimeInterval(Double(seconds))) : String(seconds)
            headers.append(("Retry-After", faults.contains(.retryAfterMs) ? String(waitMs) : value))
        }
        return APIError(429, "Location update too frequent: at most one per 5 s", headers: headers)
    }

    private func writeRateKey(_ key: String, _ nowMs: Int) async throws {
        try await journeyState.set(key, String(nowMs), ttl: faults.contains(.rateKeyTTL60) ? 60 : StateKeys.rateTTL)
    }

    /// The location key, refreshed to 300 s on every update (a JSON string, or a hash under `location-hash`).
    private func writeLocation(_ record: LocationRecord, key: String) async throws {
        let ttl = faults.contains(.locationTTL3600) ? 3600 : StateKeys.locationTTL
        if variants.contains(.locationHash) {
            try await journeyState.setHash(key, record.hash, ttl: ttl)
        } else if faults.contains(.locationTTLNotRefreshed), try await journeyState.exists(key) {
            try await journeyState.setKeepingTTL(key, record.jsonText)
        } else {
            try await journeyState.set(key, record.jsonText, ttl: ttl)
        }
    }
}

/// RFC 9110 §5.6.7 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    static func string(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// The update's body, validated: 400 for anything that is not the contract's shape or range.
struct LocationUpdateBody: Decodable {
    var sessionId: String
    var latitude: Double
    var longitude: Double
    var accuracy: Double?
    var speed: Double?
    var heading: Double?

    var coordinate: Coordinate { Coordinate(latitude: latitude, longitude: longitude) }

    /// Just the sessionId of a body that may be invalid otherwise (the fault `body-after-journey`).
    static func sessionId(_ body: [UInt8]) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["sessionId"] as? String
    }

    /// `checkRange`: false under the fault `no-range-check`.
    static func parse(_ body: [UInt8], checkRange: Bool = true) throws -> LocationUpdateBody {
        let update: LocationUpdateBody
        do {
            update = try JSONDecoder().decode(LocationUpdateBody.self, from: Data(body))
        } catch {
            throw APIError(400, "Invalid body: expected {sessionId, latitude, longitude, accuracy?, speed?, heading?}")
        }
        guard !update.sessionId.isEmpty else { throw APIError(400, "Invalid body: sessionId is empty") }
        guard update.coordinate.isValid || !checkRange else { throw APIError(400, "Coordinates out of range") }
        if let accuracy = update.accuracy, !(accuracy >= 0) { throw APIError(400, "accuracy must be ≥ 0") }
        if let speed = update.speed, !(speed >= 0) { throw APIError(400, "speed must be ≥ 0") }
        if let heading = update.heading, !(0...360).contains(heading) { throw APIError(400, "heading must be within 0–360") }
        return update
    }
}

extension LocationRecord {
    static func decode(_ text: String) -> LocationRecord? {
        try? JSONDecoder().decode(LocationRecord.self, from: Data(text.utf8))
    }
}
