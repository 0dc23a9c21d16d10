import Wire
import Foundation

/// The journey API of docs/contract/journey.md as plain async functions: request values in, `APIResponse` out.
/// The router only translates HTTP to these calls, so the logic is the same whatever serves it.
public struct JourneyService: Sendable {
    /// The shared store: the directory, and the contract's keys unless `in-memory-state` is on.
    let store: any JourneyStore
    /// Where journey and location keys go: `store`, or a process-local store under `in-memory-state`.
    let journeyState: any JourneyStore
    let directory: SessionDirectory
    let events: EventPublisher
    let faults: Set<Fault>
    let variants: Set<Variant>
    let now: @Sendable () -> Date
    /// Under `ws-subscribe-push`: where accepted updates are pushed over the socket.
    let pushes: LocationPushes?

    /// `ttlScale`: every TTL written times this (the reference's own tests; 1 in any real use).
    public init(store: any JourneyStore, events: EventPublisher, faults: Set<Fault>, variants: Set<Variant> = [],
                now: @escaping @Sendable () -> Date = Date.init, ttlScale: Double = 1) {
        var store: any JourneyStore = faults.contains(.slowStore) ? SlowStore(base: store) : store
        if variants.contains(.storeReadsRetried) { store = RetriedReads(base: store) }
        if ttlScale != 1 { store = ScaledTTLStore(base: store, scale: ttlScale) }
        self.store = store
        let state: any JourneyStore = faults.contains(.inMemoryState) ? ProcessLocalReads(shared: store) : store
        self.journeyState = faults.contains(.staleLocation) ? StaleLocationReads(base: state) : state
        self.directory = SessionDirectory(store: store)
        self.events = events
        self.faults = faults
        self.variants = variants
        self.now = now
        self.pushes = faults.contains(.wsSubscribePush) ? LocationPushes() : nil
    }

    /// Runs one call: contract errors become their status, a store failure becomes 503 (fail closed).
    func respond(_ body: () async throws -> APIResponse) async -> APIResponse {
        reshaped(await answer(body))
    }

    private func answer(_ body: () async throws -> APIResponse) async -> APIResponse {
        do {
            return try await body()
        } catch let error as APIError {
            return .failure(error)
        } catch let error as StoreUnavailable {
            return .failure(APIError(503, "State store unavailable, try again: \(error.reason)"))
        } catch {
            return .failure(APIError(500, "Internal error: \(error)"))
        }
    }

    /// `Authorization: Bearer <token>` → the user, or 401 for a missing or unknown token.
    func authenticate(_ authorization: String?) async throws -> SessionDirectory.User {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { throw APIError.unauthorized }
        let token = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw APIError.unauthorized }
        guard let user = try await directory.user(forToken: token) else {
            // The fault: a token that cannot be verified passes as an unknown user.
            if faults.contains(.anyBearerAccepted) { return SessionDirectory.User(id: "unverified-\(token.prefix(6))", role: "unknown") }
            throw APIError.unauthorized
        }
        return user
    }

    /// The active journey record, if `journey:active:{id}` exists (and, under
    /// `journey-kept-as-ended`, is not marked ended).
    func activeJourney(_ sessionId: String) async throws -> JourneyRecord? {
        guard let text = try await journeyState.get(StateKeys.journeyActive(sessionId)),
              let record = try? JSONDecoder().decode(JourneyRecord.self, from: Data(text.utf8)) else { return nil }
        return record.status == "ended" ? nil : record
    }

    /// The trainer's last point for a session, however the location key is stored.
    func location(trainerId: String, sessionId: String) async throws -> LocationRecord? {
        let key = StateKeys.location(trainerId: trainerId, sessionId: sessionId)
        if variants.contains(.locationHash) { return try await journeyState.getHash(key).flatMap(LocationRecord.init(hash:)) }
        return try await journeyState.get(key).flatMap(LocationRecord.decode)
    }

    /// Whether `caller` may act as the journey's trainer (always, under `no-trainer-ownership`;
    /// the session's student too, under `party-ownership`).
    func isTrainer(_ caller: SessionDirectory.User, of trainerId: String, student studentId: String) -> Bool {
        caller.id == trainerId || faults.contains(.noTrainerOwnership) || (faults.contains(.partyOwnership) && caller.id == studentId)
    }

    /// The implied speed above which an update is refused (the contract's 120 km/h, or a fault's).
    var speedLimitKmh: Double {
        if faults.contains(.speedLimit130) { return 130 }
        if faults.contains(.speedLimit110) { return 110 }
        if faults.contains(.speedLimitMph) { return ContractLimits.maxSpeedKmh * 1.609344 }
        return ContractLimits.maxSpeedKmh
    }

    /// How close to the student's home arrival is accepted (the contract's 150 m, or a fault's).
    var arrivalRadiusMeters: Double {
        if faults.contains(.arrivalRadius15m) { return ContractLimits.arrivalRadiusMeters / 10 }
        if faults.contains(.arrivalRadius165) { return 165 }
        if faults.contains(.arrivalRadius135) { return 135 }
        return ContractLimits.arrivalRadiusMeters
    }
}

/// The value of `journey:active:{sessionId}`.
struct JourneyRecord: Codable, Sendable {
    var sessionId: String
    var trainerId: String
    var studentId: String
    var startedAt: String
    var status: String
}

/// The value of the location key: the last accepted point.
struct LocationRecord: Codable, Sendable {
    var latitude: Double
    var longitude: Double
    var accuracy: Double?
    var speed: Double?
    var heading: Double?
    var timestamp: String

    var coordinate: Coordinate { Coordinate(latitude: latitude, longitude: longitude) }

    /// The variant `location-hash`: every field a string, plus two the contract does not name.
    var hash: [String: String] {
        var fields = ["latitude": String(latitude), "longitude": String(longitude), "timestamp": timestamp, "source": "gps", "schema": "2"]
        if let accuracy { fields["accuracy"] = String(accuracy) }
        if let speed { fields["speed"] = String(speed) }
        if let heading { fields["heading"] = String(heading) }
        return fields
    }

    init?(hash: [String: String]) {
        guard let latitude = hash["latitude"].flatMap(Double.init), let longitude = hash["longitude"].flatMap(Double.init),
              let timestamp = hash["timestamp"] else { return nil }
        self.init(latitude: latitude, longitude: longitude, accuracy: hash["accuracy"].flatMap(Double.init),
                  speed: hash["speed"].flatMap(Double.init), heading: hash["heading"].flatMap(Double.init), timestamp: timestamp)
    }

    init(latitude: Double, longitude: Double, accuracy: Double?, speed: Double?, heading: Double?, timestamp: String) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracy = accuracy
        self.speed = speed
        self.heading = heading
        self.timestamp = timestamp
    }

    /// The JSON object the live-polling answer shows (absent optionals omitted).
    var object: [String: Any] {
        var object: [String: Any] = ["latitude": latitude, "longitude": longitude, "timestamp": timestamp]
        if let accuracy { object["accuracy"] = accuracy }
        if let speed { object["speed"] = speed }
        if let heading { object["heading"] = heading }
        return object
    }
}

extension Encodable {
    var jsonText: String {
        (try? JSONEncoder.sorted.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension JourneyService {
    /// The faults that change an answer's shape, not its status: `snake-case-times`,
    /// `live-point-rounded`, `no-success-flag`. The body is re-encoded only under one of them.
    func reshaped(_ response: APIResponse) -> APIResponse {
        guard !faults.isDisjoint(with: [.snakeCaseTimes, .livePointRounded, .noSuccessFlag]),
              var object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else { return response }
        if faults.contains(.noSuccessFlag) { object["success"] = nil }
        if var data = object["data"] as? [String: Any] {
            if faults.contains(.snakeCaseTimes) {
                let renamed = ["startedAt": "started_at", "stoppedAt": "stopped_at", "arrivedAt": "arrived_at", "lastUpdate": "last_update",
                               "timestamp": "created_at"]
                for (from, to) in renamed { if let value = data.removeValue(forKey: from) { data[to] = value } }
            }
            if faults.contains(.livePointRounded), var location = data["location"] as? [String: Any] {
                for key in ["latitude", "longitude"] {
                    if let value = location[key] as? Double { location[key] = (value * 1000).rounded() / 1000 }
                }
                data["location"] = location
            }
            object["data"] = data
        }
        var copy = response
        copy.body = APIResponse.encode(object)
        return copy
    }
}
