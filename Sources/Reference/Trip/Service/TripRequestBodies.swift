import Foundation

/// The request bodies of docs/contract/trip.md's calls, decoded strictly: a missing field or one of
/// another JSON type (a string for a number, a number for a boolean) is a 400.
enum TripRequestBodies {
    struct Create: Decodable {
        var pickup: TripPoint
        var destination: TripPoint
    }

    struct TripAction: Decodable {
        var action: String
        var tripRequestId: String
        var version: Int?

        enum CodingKeys: String, CodingKey {
            case action, version
            case tripRequestId = "trip_request_id"
        }
    }

    struct OnlineStatus: Decodable {
        var isOnline: Bool
        var availabilityStatus: String

        enum CodingKeys: String, CodingKey {
            case isOnline = "is_online"
            case availabilityStatus = "availability_status"
        }
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from body: [UInt8], expected: String) throws(TripCallError) -> Body {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw TripCallError(400, "Invalid body: expected \(expected)")
        }
    }
}

/// A refusal a call answers with: its status and `{"message": …}`.
struct TripCallError: Error, Sendable {
    var status: Int
    var message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    var answer: APIResponse { TripAnswer.message(status, message) }
}

/// The bodies of the trip API's answers.
enum TripAnswer {
    static func message(_ status: Int, _ text: String) -> APIResponse {
        APIResponse.json(status, ["message": text])
    }

    /// `{trip_request_id, driver_id | null, current_status, version}`.
    static func trip(_ status: Int, _ trip: TripRecord) -> APIResponse {
        APIResponse.json(status, [
            "trip_request_id": trip.id, "driver_id": trip.driverId.map { $0 as Any } ?? NSNull(),
            "current_status": trip.status.rawValue, "version": trip.version,
        ] as [String: Any])
    }
}
