import Foundation

/// The service's "database": sessions and users. It lives in the shared store under
/// `reference:db:*` (never in process memory), so every instance on one Redis knows every fixture.
/// It is not journey state: the contract's keys are written by the journey calls alone.
public struct SessionDirectory: Sendable {
    public struct Session: Codable, Sendable {
        public var sessionId: String
        public var trainerId: String
        public var studentId: String
        public var status: String
        public var studentHomeLocation: Coordinate
    }

    public struct User: Codable, Sendable {
        public var id: String
        public var role: String
    }

    let store: any JourneyStore
    /// Fixtures are for test deployments: a day is ample and keeps a shared Redis from filling up.
    static let recordTTL = 86_400

    public init(store: any JourneyStore) { self.store = store }

    public func user(forToken token: String) async throws -> User? {
        try await read(User.self, "reference:db:token:\(token)")
    }

    public func session(_ id: String) async throws -> Session? {
        try await read(Session.self, "reference:db:session:\(id)")
    }

    public func save(_ session: Session) async throws {
        try await write(session, "reference:db:session:\(session.sessionId)")
    }

    /// A fresh scheduled session, its trainer and student, two strangers to it, and a completed
    /// session of the same trainer and student.
    public func makeFixture(studentHome: Coordinate) async throws -> Fixture {
        func newUser(_ role: String) -> Fixture.User {
            Fixture.User(id: "\(role)-\(UUID().uuidString.prefix(8).lowercased())", token: Self.randomToken())
        }
        let fixture = Fixture(
            sessionId: "session-\(UUID().uuidString.lowercased())",
            trainer: newUser("trainer"), student: newUser("student"),
            otherTrainer: newUser("trainer"), otherStudent: newUser("student"),
            studentHome: studentHome,
            nonScheduledSessionId: "session-\(UUID().uuidString.lowercased())"
        )
        for (user, role) in [(fixture.trainer, "trainer"), (fixture.student, "student"), (fixture.otherTrainer, "trainer"), (fixture.otherStudent, "student")] {
            try await write(User(id: user.id, role: role), "reference:db:token:\(user.token)")
        }
        try await save(Session(sessionId: fixture.sessionId, trainerId: fixture.trainer.id, studentId: fixture.student.id,
                               status: "scheduled", studentHomeLocation: studentHome))
        if let done = fixture.nonScheduledSessionId {
            try await save(Session(sessionId: done, trainerId: fixture.trainer.id, studentId: fixture.student.id,
                                   status: "completed", studentHomeLocation: studentHome))
        }
        return fixture
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    private func read<T: Decodable>(_ type: T.Type, _ key: String) async throws -> T? {
        guard let text = try await store.get(key) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    private func write<T: Encodable>(_ value: T, _ key: String) async throws {
        let data = try JSONEncoder.sorted.encode(value)
        try await store.set(key, String(decoding: data, as: UTF8.self), ttl: Self.recordTTL)
    }
}

extension JSONEncoder {
    /// Sorted keys: the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
