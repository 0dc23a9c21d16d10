import Wire
import Foundation

/// Call 2: `POST /api/v1/admin/location-tracking/journey/updates`, checks in the contract's order:
/// authenticate → validate body → journey active (404/410) → ownership → rate limit → speed → write.
extension JourneyService {
    public func updateLocation(body: [UInt8], authorization: String?) async -> APIResponse {
        await respond {
            let caller = try await authenticate(authorization)
            let update = try LocationUpdateBody.parse(body)
            guard let journey = try await activeJourney(update.sessionId) else {
                if !faults.contains(.goneAs404), try await journeyState.exists(StateKeys.journeyEnded(update.sessionId)) {
                    throw APIError(410, "Journey has ended")
                }
                throw APIError(404, "No active journey for this session")
            }
            guard journey.trainerId == caller.id else { throw APIError(403, "Only this journey's trainer can update its location") }

            let at = now()
            let nowMs = Int(at.timeIntervalSince1970 * 1000)
            let rateKey = StateKeys.rate(caller.id)
            if !faults.contains(.noRateLimit), let last = try await journeyState.get(rateKey).flatMap(Int.init) {
                let waitMs = ContractLimits.updateIntervalMs - (nowMs - last)
                if waitMs > 0 {
                    let retryAfter = String((waitMs + 999) / 1000)
                    throw APIError(429, "Location update too frequent: at most one per 5 s", headers: [("Retry-After", retryAfter)])
                }
            }

            let locationKey = StateKeys.location(trainerId: caller.id, sessionId: update.sessionId)
            if !faults.contains(.noSpeedCheck), let previous = try await journeyState.get(locationKey).flatMap(LocationRecord.decode),
               let previousAt = Timestamp.parse(previous.timestamp) {
                let seconds = max(at.timeIntervalSince(previousAt), 0.001)
                let kmh = previous.coordinate.distance(to: update.coordinate) / seconds * 3.6
                if kmh > ContractLimits.maxSpeedKmh {
                    throw APIError(400, "Implausible movement: \(Int(kmh.rounded())) km/h since the previous point (limit 120 km/h)")
                }
            }

            let timestamp = Timestamp.string(at)
            let record = LocationRecord(latitude: update.latitude, longitude: update.longitude, accuracy: update.accuracy,
                                        speed: update.speed, heading: update.heading, timestamp: timestamp)
            let ttl = faults.contains(.locationTTL3600) ? 3600 : StateKeys.locationTTL
            try await journeyState.set(locationKey, record.jsonText, ttl: ttl)
            if !faults.contains(.noRateLimit) {
                try await journeyState.set(rateKey, String(nowMs), ttl: StateKeys.rateTTL)
            }
            return .success(201, "Location updated", data: ["sessionId": update.sessionId, "timestamp": timestamp, "ttl": StateKeys.locationTTL])
        }
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

    static func parse(_ body: [UInt8]) throws -> LocationUpdateBody {
        let update: LocationUpdateBody
        do {
            update = try JSONDecoder().decode(LocationUpdateBody.self, from: Data(body))
        } catch {
            throw APIError(400, "Invalid body: expected {sessionId, latitude, longitude, accuracy?, speed?, heading?}")
        }
        guard !update.sessionId.isEmpty else { throw APIError(400, "Invalid body: sessionId is empty") }
        guard update.coordinate.isValid else { throw APIError(400, "Coordinates out of range") }
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
