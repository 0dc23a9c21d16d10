import Foundation
import Logging

/// How to run the trip reference: where it listens, which store, which faults.
public struct TripReferenceConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 0
    /// Also serve HTTP/2 with prior knowledge (h2c) on this port (0: any), with the same router
    /// and state: the auditor's single-packet race sends there. nil: none.
    public var http2Port: Int?
    public var faults: Set<TripFault> = []
    /// `idempotency-in-cache` forgets keys after this many seconds (the cache's TTL).
    public var idempotencyCacheSeconds: Double = 10
    /// A PostgreSQL URL (`postgres://user:password@host:port/database`): users, drivers, trips and
    /// idempotency keys are kept there, so they survive a restart. nil: the embedded in-memory store.
    public var postgresURL: String?
    public var logLevel: Logger.Level = .notice

    public init(faults: Set<TripFault> = []) {
        self.faults = faults
    }
}

/// The ready line of a running trip reference: where it listens and what it is.
public struct TripReferenceAddresses: Codable, Sendable, Equatable {
    /// Which contract this reference implements (the journey reference's line has none).
    public var pack = "trip"
    public var baseURL: String
    /// `http://host:port` of the h2c listener, when `http2Port` is set.
    public var http2BaseURL: String?
    /// Sorted raw names.
    public var faults: [String]
    /// "embedded", or the PostgreSQL URL with its password masked.
    public var store: String

    init(baseURL: String, http2BaseURL: String?, faults: [String], store: String) {
        self.baseURL = baseURL
        self.http2BaseURL = http2BaseURL
        self.faults = faults
        self.store = store
    }

    /// One JSON line, sorted keys.
    public var jsonLine: String {
        (try? JSONEncoder.sorted.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
