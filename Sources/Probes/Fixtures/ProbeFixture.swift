import Checks
import Foundation

/// One fresh session and its four users, in docs/contract/journey.md's fixture shape (encoded again, with its
/// tokens, only for the child of `auditor reproduce`).
public struct ProbeFixture: Codable, Sendable, Equatable {
    public struct User: Codable, Sendable, Equatable {
        public var id: String
        public var token: String
    }

    public struct Point: Codable, Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double

        /// A point `meters` due north (1° of latitude ≈ 111 195 m): how probes place the trainer.
        public func north(_ meters: Double) -> Point {
            Point(latitude: latitude + meters / 111_195, longitude: longitude)
        }
    }

    /// Where probes place a trainer who has arrived: well inside the 150 m radius, so a scenario
    /// that needs an arrival does not depend on how the radius is measured.
    public static let atHomeMeters = 5.0

    public var sessionId: String
    public var trainer: User
    public var student: User
    public var otherTrainer: User
    public var otherStudent: User
    public var studentHome: Point
    /// Optional: a session of the same trainer and student that is not `scheduled` (completed or
    /// cancelled), for JRN-SCHEDULED-001; without it that rule is not checked.
    public var nonScheduledSessionId: String?

    /// The fixture's non-scheduled session as a fixture of its own (same users), so a journey a
    /// wrong start gives it is tracked and stopped like any other.
    public var nonScheduled: ProbeFixture? {
        guard let id = nonScheduledSessionId else { return nil }
        var other = self
        other.sessionId = id
        other.nonScheduledSessionId = nil
        return other
    }

    public static func decode(_ text: String, source: String) throws -> ProbeFixture {
        do {
            return try JSONDecoder().decode(ProbeFixture.self, from: Data(text.utf8))
        } catch {
            throw FixtureError("\(source) did not give a fixture in docs/contract/journey.md's shape (sessionId, trainer, student, otherTrainer, otherStudent, studentHome): \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, let context) = error {
            return "missing '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        }
        return "not valid JSON of that shape"
    }

    /// The token of a role, for the request; never recorded.
    func token(_ role: Role) -> String? {
        switch role {
        case .trainer: return trainer.token
        case .student: return student.token
        case .otherTrainer: return otherTrainer.token
        case .otherStudent: return otherStudent.token
        case .none: return nil
        case .invalid: return Exchange.invalidToken
        }
    }
}

/// Who sends a request. Reports show the role, never the token.
public enum Role: String, Sendable, CaseIterable {
    case trainer, student, otherTrainer, otherStudent, none, invalid
}

public struct FixtureError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
