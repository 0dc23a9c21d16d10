import Checks
import Foundation
import Synchronization
import Wire

/// One run of one scenario on one system: sends the requests, records every step as evidence,
/// collects the facts, and stops every journey it started when it ends.
public final class ProbeRun: Sendable {
    public let system: ProbeSystem
    private let state = Mutex(State())
    private let inspectorSlot = InspectorSlot()

    struct State {
        var notApplicable: String?
        var untranscribed = 0
        var facts: [String: FactValue] = [:]
        var transcript: [Exchange] = []
        var started: [ProbeFixture] = []
    }

    init(system: ProbeSystem) { self.system = system }

    // MARK: facts and evidence

    public func record(_ fact: String, _ value: FactValue) {
        state.withLock { $0.facts[fact] = value }
    }

    public func note(_ label: String, _ text: String) {
        state.withLock { $0.transcript.append(Exchange(kind: .note, label: label, request: "", result: text)) }
    }

    func observation() -> Observation {
        state.withLock { state in
            var observation = Observation(facts: state.facts, transcript: state.transcript, notApplicable: state.notApplicable)
            observation.untranscribedRequests = state.untranscribed > 0 ? state.untranscribed : nil
            return observation
        }
    }

    /// Requests sent in bulk (a load run) that are counted but not each written to the transcript.
    public func countRequests(_ count: Int) {
        state.withLock { $0.untranscribed += count }
    }

    /// The rule does not apply to this system (e.g. it has no Socket.IO endpoint configured).
    public func notApplicable(_ reason: String) {
        state.withLock { $0.notApplicable = reason }
    }

    /// Records a step that is neither HTTP nor Redis (a Socket.IO emit, an event seen).
    public func log(_ kind: Exchange.Kind, _ label: String, _ request: String, credential: String? = nil, result: String) {
        state.withLock { $0.transcript.append(Exchange(kind: kind, label: label, request: request, credential: credential, result: result)) }
    }

    // MARK: fixtures and HTTP

    public func fixture() async throws -> ProbeFixture {
        try await system.fixtures.next()
    }

    /// Sends one call of the contract as `role` and records it; throws only when no answer came.
    @discardableResult
    public func call(_ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role,
                     sessionId: String? = nil, body: [String: Any]? = nil, via api: JourneyAPI? = nil) async throws -> HTTPResponseData {
        let session = sessionId ?? fixture.sessionId
        let api = api ?? system.api
        let request = api.request(call, sessionId: session, token: fixture.token(role), body: body)
        let clock = ContinuousClock()
        let started = clock.now
        let pathAndQuery = HTTPClient.target(of: request.url)
        do {
            let response = try await api.client.send(request)
            let ms = (clock.now - started).inMilliseconds
            var result = "\(response.status)"
            if let retryAfter = response.header("Retry-After") { result += " (Retry-After: \(retryAfter))" }
            state.withLock {
                $0.transcript.append(Exchange(kind: .http, label: label, request: "\(request.method) \(pathAndQuery)", credential: role.rawValue,
                                              body: body.map { JSONText.encode($0) }, result: result, milliseconds: ms))
                if call == .startJourney, response.status == 201, role == .trainer, !$0.started.contains(fixture) { $0.started.append(fixture) }
            }
            return response
        } catch {
            state.withLock {
                $0.transcript.append(Exchange(kind: .http, label: label, request: "\(request.method) \(pathAndQuery)", credential: role.rawValue,
                                              body: body.map { JSONText.encode($0) }, result: "no answer: \(error)"))
            }
            throw ProbeError("\(label): no answer from \(system.name) (\(error))")
        }
    }

    /// The same call sent `count` times at once, with last-byte synchronization (or, `naive`, from
    /// `count` tasks that each connect and send); returns the responses.
    public func race(_ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role, count: Int,
                     naive: Bool = false) async throws -> [HTTPResponseData] {
        let request = system.api.request(call, sessionId: fixture.sessionId, token: fixture.token(role))
        let responses: [HTTPResponseData]
        do {
            if naive {
                responses = try await NaiveSender.send(request, count: count, client: system.api.client)
            } else {
                responses = try await RaceSender().send(Array(repeating: request, count: count))
            }
        } catch {
            throw ProbeError("\(label): the burst to \(system.name) failed (\(error))")
        }
        let pathAndQuery = HTTPClient.target(of: request.url)
        state.withLock { state in
            for _ in responses where !naive {
                state.transcript.append(Exchange(kind: .http, label: "\(label) (warm-up)", request: "GET /", credential: Role.none.rawValue, result: "answered"))
            }
            for response in responses {
                state.transcript.append(Exchange(kind: .http, label: label, request: "\(request.method) \(pathAndQuery)",
                                                 credential: role.rawValue, result: "\(response.status)"))
            }
            if call == .startJourney, role == .trainer, responses.contains(where: { $0.status == 201 }), !state.started.contains(fixture) {
                state.started.append(fixture)
            }
        }
        if let spread = RaceSpread.microseconds(responses) {
            note(label, String(format: "server-side spread of the burst: %.0f µs (first to last request begun)", spread))
        }
        return responses
    }

    /// A location update at `point`, as the fixture's trainer unless told otherwise.
    @discardableResult
    public func update(_ label: String, _ fixture: ProbeFixture, at point: ProbeFixture.Point, as role: Role = .trainer,
                       via api: JourneyAPI? = nil) async throws -> HTTPResponseData {
        try await call(label, .locationUpdate, fixture, as: role,
                       body: ["sessionId": fixture.sessionId, "latitude": point.latitude, "longitude": point.longitude], via: api)
    }

    /// Starts a journey and fails the scenario if it does not start: later steps would mean nothing.
    public func startJourney(_ fixture: ProbeFixture) async throws {
        let response = try await call("start", .startJourney, fixture, as: .trainer)
        guard response.status == 201 else {
            throw ProbeError("could not start a journey on \(system.name): start-journey answered \(response.status)")
        }
    }

    /// Stops every journey this run started (best-effort; a 404 means it already ended).
    func cleanUp() async {
        let started = state.withLock { $0.started }
        for fixture in started {
            _ = try? await call("cleanup: stop", .stopJourney, fixture, as: .trainer)
        }
        await inspectorSlot.close()
    }

    // MARK: Redis (read-only)

    /// `TTL key` as a fact: -2 missing, -1 no expiry; unobserved without Redis access.
    public func ttl(_ key: String) async -> FactValue {
        await redisFact("TTL \(key)") { try await $0.ttl(key) }.map { .int($0) } ?? .unobserved(noRedis)
    }

    public func exists(_ key: String) async -> FactValue {
        await redisFact("EXISTS \(key)") { try await $0.exists(key) ? 1 : 0 }.map { .bool($0 == 1) } ?? .unobserved(noRedis)
    }

    private var noRedis: String { system.redis == nil ? "no redis.url configured" : "Redis read failed (see evidence)" }

    private func redisFact(_ request: String, _ read: (RedisInspector) async throws -> Int) async -> Int? {
        guard let url = system.redis else { return nil }
        do {
            let inspector = try await inspectorSlot.inspector(url)
            let value = try await read(inspector)
            state.withLock { $0.transcript.append(Exchange(kind: .redis, label: "read", request: request, result: String(value))) }
            return value
        } catch {
            state.withLock { $0.transcript.append(Exchange(kind: .redis, label: "read", request: request, result: "failed: \(error)")) }
            return nil
        }
    }

    // MARK: EventBridge

    /// Entries received for a session so far, of one detail type.
    public func events(sessionId: String, detailType: String) -> [EventBridgeEndpoint.Received] {
        system.events?.received.filter { $0.detail["sessionId"] == sessionId && $0.detailType == detailType } ?? []
    }

    /// Waits (bounded) until `count` events of a type arrived for a session; returns what arrived.
    public func awaitEvents(sessionId: String, detailType: String, count: Int = 1, within seconds: Double) async -> [EventBridgeEndpoint.Received] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline, events(sessionId: sessionId, detailType: detailType).count < count {
            try? await Task.sleep(for: .milliseconds(25))
        }
        let found = events(sessionId: sessionId, detailType: detailType)
        state.withLock {
            $0.transcript.append(Exchange(kind: .event, label: "EventBridge", request: "\(detailType) for the session",
                                          result: "\(found.count) received"))
        }
        return found
    }
}

/// One inspector connection per run, opened on first use.
actor InspectorSlot {
    private var inspector: RedisInspector?

    func inspector(_ url: RedisURL) async throws -> RedisInspector {
        if let inspector { return inspector }
        let fresh = try await RedisInspector.connect(url)
        inspector = fresh
        return fresh
    }

    func close() {
        inspector?.close()
        inspector = nil
    }
}

public struct ProbeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
