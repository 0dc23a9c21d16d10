import PostgresNIO

/// What went wrong with PostgreSQL, in plain words. PSQLError's own description hides every
/// detail on purpose (a query may carry secrets); the server's message and the network error
/// carry none.
enum PostgresErrorText {
    static func plain(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            guard let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError else { return "the transaction failed" }
            return plain(inner)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return [error.serverInfo?[.sqlState].map { "\($0):" }, message].compactMap { $0 }.joined(separator: " ")
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    /// `40P01`: PostgreSQL broke a deadlock by aborting this transaction; running it again is right.
    static func isDeadlock(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.commitError { return isDeadlock(inner) }
        return (error as? PSQLError)?.serverInfo?[.sqlState] == "40P01"
    }
}
