/// `scale:` in audit.yml: the journey-shaped load JRN-SCALE-001 applies, and what it must meet.
public struct ScaleSpec: Sendable, Equatable, Codable {
    /// Concurrent journeys (each: a trainer updating, a student polling).
    public var journeys: Int
    public var durationSeconds: Double
    /// The concurrent journeys production must carry (`scale.targetJourneys`): the report says
    /// what was tested against it, so a 20-journey run is never read as proof of 10 000.
    public var targetJourneys: Int?
    /// The contract allows one update per 5 s; the default keeps a 100 ms margin so scheduling
    /// jitter never turns a plausible trainer into a rate-limited one.
    public var updateIntervalSeconds: Double = 5.1
    /// Students poll every 3–5 s.
    public var pollIntervalSeconds: Double = 4
    /// p99 latency limits by call (`locationUpdate`, `liveLocation`), in milliseconds.
    public var p99Milliseconds: [String: Double] = ["locationUpdate": 250, "liveLocation": 250]
    /// Largest share of failed calls (non-2xx or no answer) allowed.
    public var maxErrorRate: Double = 0.01
    /// Requests the driver keeps in flight at most; beyond it, sends are late and the result inconclusive.
    public var maxInFlight: Int = 4096

    /// The stated limits by the names rules use in `limitFrom`.
    public var limits: [String: Double] {
        var limits = ["scale.maxErrorRate": maxErrorRate]
        for (call, p99) in p99Milliseconds { limits["scale.p99.\(call)"] = p99 }
        return limits
    }

    public init(journeys: Int, durationSeconds: Double) {
        self.journeys = journeys
        self.durationSeconds = durationSeconds
    }
}
