/// Shared by the reference (which writes them) and the probes (which read them), so neither can drift.
/// The Redis keys and TTLs of docs/contract/journey.md's state table, in one place.
public enum StateKeys {
    public static func journeyActive(_ sessionId: String) -> String { "journey:active:\(sessionId)" }
    public static func location(trainerId: String, sessionId: String) -> String { "location:trainer:\(trainerId):session:\(sessionId)" }
    public static func rate(_ trainerId: String) -> String { "location:rate:\(trainerId)" }
    public static func journeyEnded(_ sessionId: String) -> String { "journey:ended:\(sessionId)" }
    public static func sessionMeta(_ sessionId: String) -> String { "session:meta:\(sessionId)" }

    public static let journeyTTL = 3600
    public static let locationTTL = 300
    public static let rateTTL = 5
    public static let endedTTL = 300
    public static let sessionMetaTTL = 3600
}

/// The contract's numeric limits.
public enum ContractLimits {
    /// At most one location update per trainer in this window (429 otherwise).
    public static let updateIntervalMs = 5000
    /// Implied speed between two consecutive points above this is spoofing (400).
    public static let maxSpeedKmh = 120.0
    /// `arrived` is accepted only this close to the student's home.
    public static let arrivalRadiusMeters = 150.0
    /// Longest a PutEvents call may hold anything up.
    public static let publishTimeoutSeconds = 2
}
