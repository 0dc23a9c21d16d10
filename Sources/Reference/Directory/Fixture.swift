import Foundation

/// One fresh scheduled session with its four users, exactly as docs/contract/journey.md's fixture JSON, and
/// the optional non-scheduled session of the same pair.
public struct Fixture: Codable, Sendable, Equatable {
    public struct User: Codable, Sendable, Equatable {
        public var id: String
        public var token: String
        public init(id: String, token: String) {
            self.id = id
            self.token = token
        }
    }

    public var sessionId: String
    public var trainer: User
    public var student: User
    public var otherTrainer: User
    public var otherStudent: User
    public var studentHome: Coordinate
    /// A completed session of the same trainer and student: a start on it must answer 400.
    public var nonScheduledSessionId: String?

    public init(sessionId: String, trainer: User, student: User, otherTrainer: User, otherStudent: User, studentHome: Coordinate,
                nonScheduledSessionId: String? = nil) {
        self.sessionId = sessionId
        self.nonScheduledSessionId = nonScheduledSessionId
        self.trainer = trainer
        self.student = student
        self.otherTrainer = otherTrainer
        self.otherStudent = otherStudent
        self.studentHome = studentHome
    }
}

public struct Coordinate: Codable, Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Bengaluru, the seeds' example home.
    public static let defaultHome = Coordinate(latitude: 12.9716, longitude: 77.5946)

    public var isValid: Bool { (-90...90).contains(latitude) && (-180...180).contains(longitude) }

    /// Great-circle distance in metres (haversine, mean Earth radius 6 371 008.8 m).
    public func distance(to other: Coordinate) -> Double {
        let r = 6_371_008.8
        let toRad = Double.pi / 180
        let dLat = (other.latitude - latitude) * toRad
        let dLon = (other.longitude - longitude) * toRad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(latitude * toRad) * cos(other.latitude * toRad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}
