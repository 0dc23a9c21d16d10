/// Why the trip reference could not start, in plain words.
public enum TripReferenceError: Error, CustomStringConvertible {
    case invalidPostgresURL(String)
    case postgresUnreachable(url: String, reason: String)
    case schemaCreationFailed(url: String, reason: String)
    case stoppedBeforeReady

    public var description: String {
        switch self {
        case .invalidPostgresURL(let url):
            return "not a PostgreSQL URL: \(url) (expected postgres://user:password@host:port/database)"
        case .postgresUnreachable(let url, let reason): return "cannot reach PostgreSQL at \(url): \(reason)"
        case .schemaCreationFailed(let url, let reason): return "cannot create the trip tables in PostgreSQL at \(url): \(reason)"
        case .stoppedBeforeReady: return "the trip reference stopped before it was listening"
        }
    }
}
