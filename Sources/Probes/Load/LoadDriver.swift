import Checks
import Foundation
import Synchronization
import Wire

/// A journey-shaped open-model load: every trainer sends an update every `updateInterval` and
/// every student polls every `pollInterval`, each on a fixed schedule that does not wait for
/// answers (so a slow server cannot slow the offered load). Latency is measured from each
/// request's *intended* send time, the correction for coordinated omission.
public struct LoadDriver: Sendable {
    public var api: JourneyAPI
    public var spec: ScaleSpec

    public init(api: JourneyAPI, spec: ScaleSpec) {
        self.api = api
        self.spec = spec
    }

    struct Event {
        var at: Double
        var journey: Int
        var isUpdate: Bool
        var sequence: Int
    }

    /// The schedule: phases spread evenly across each interval so the load is smooth, not bursty.
    func schedule(journeys: Int) -> [Event] {
        var events: [Event] = []
        for journey in 0..<journeys {
            let phase = Double(journey) / Double(max(journeys, 1))
            for (interval, isUpdate) in [(spec.updateIntervalSeconds, true), (spec.pollIntervalSeconds, false)] {
                var at = phase * interval, sequence = 0
                while at < spec.durationSeconds {
                    events.append(Event(at: at, journey: journey, isUpdate: isUpdate, sequence: sequence))
                    at += interval
                    sequence += 1
                }
            }
        }
        return events.sorted { $0.at < $1.at }
    }

    /// Drives the load over journeys that are already started; returns what it measured.
    public func run(_ fixtures: [ProbeFixture], shard: String? = nil) async -> LoadResult {
        let events = schedule(journeys: fixtures.count)
        let state = LoadState(LoadResult(journeys: fixtures.count, durationSeconds: spec.durationSeconds, shard: shard))
        let clock = ContinuousClock()
        let (api, maxInFlight) = (self.api, spec.maxInFlight)
        // Kept-alive connections, as the app's HTTP stack has them: a handshake per request would
        // measure the driver's connection churn, not the service.
        // A base URL no client can reach was refused by the preflight; nothing sent is inconclusive.
        guard let client = try? KeepAliveHTTPClient(baseURL: api.baseURL, tls: api.client.tls, extraHeaders: api.client.extraHeaders) else {
            return state.result.withLock { $0 }
        }
        defer { Task { await client.close() } }
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            while next < events.count {
                let due = start + .milliseconds(Int64(events[next].at * 1000))
                if clock.now < due { try? await Task.sleep(until: due, clock: clock) }
                let now = clock.now
                while next < events.count, start + .milliseconds(Int64(events[next].at * 1000)) <= now {
                    let event = events[next]
                    next += 1
                    let name = event.isUpdate ? "locationUpdate" : "liveLocation"
                    state.result.withLock { $0.calls[name]?.intended += 1 }
                    // At the in-flight bound the request is not sent: the driver, not the target, fell short.
                    guard state.inFlight.withLock({ count in count < maxInFlight ? { count += 1; return true }() : false }) else { continue }
                    let intended = start + .milliseconds(Int64(event.at * 1000))
                    let request = Self.request(api, event, fixtures[event.journey])
                    group.addTask { [state] in
                        let late = (clock.now - intended).inMilliseconds > LoadResult.lateThresholdMs
                        let response = try? await client.send(request)
                        let latency = UInt64(max(0, (clock.now - intended).inMilliseconds * 1000))
                        state.inFlight.withLock { $0 -= 1 }
                        state.result.withLock { result in
                            guard var stats = result.calls[name] else { return }
                            stats.sent += 1
                            if late { stats.late += 1 }
                            if let response { stats.statuses[String(response.status), default: 0] += 1 } else { stats.failures += 1 }
                            _ = stats.latency.record(min(latency, 60_000_000))
                            result.calls[name] = stats
                        }
                    }
                }
            }
        }
        return state.result.withLock { $0 }
    }

    /// An update moves the trainer 20 m toward the student's home (about 14 km/h at 5.1 s: never
    /// tripping the speed check); a poll asks for the live location as the student.
    static func request(_ api: JourneyAPI, _ event: Event, _ f: ProbeFixture) -> HTTPRequestSpec {
        guard event.isUpdate else { return api.request(.liveLocation, sessionId: f.sessionId, token: f.student.token) }
        let point = f.studentHome.north(max(0, 2000 - 20 * Double(event.sequence)))
        return api.request(.locationUpdate, sessionId: f.sessionId, token: f.trainer.token,
                           body: ["sessionId": f.sessionId, "latitude": point.latitude, "longitude": point.longitude])
    }
}

/// The measurements and the in-flight count, shared by the dispatcher and every request task.
final class LoadState: Sendable {
    let result: Mutex<LoadResult>
    let inFlight = Mutex(0)

    init(_ result: LoadResult) { self.result = Mutex(result) }
}
