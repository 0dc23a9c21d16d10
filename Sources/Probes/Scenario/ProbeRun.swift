import Checks
import Foundation
import Synchronization
import Wire

/// One run of one scenario on one system: sends the requests, records every step as evidence,
/// collects the facts, and stops every journey it started when it ends.
public final class ProbeRun: Sendable {
    public let system: ProbeSystem
    let state = Mutex(State())
    private let inspectorSlot = InspectorSlot()

    struct State {
        var notChecked: String?
        var unscriptable: String?
        var untranscribed = 0
        var facts: [String: FactValue] = [:]
        var transcript: [Exchange] = []
        /// Journeys a 201 started, with the role whose start it was: each is stopped at the end.
        var started: [(fixture: ProbeFixture, role: Role)] = []
    }

    init(system: ProbeSystem) { self.system = system }

    // MARK: facts and evidence

    public func record(_ fact: String, _ value: FactValue) {
        state.withLock { $0.facts[fact] = value }
    }

    public func note(_ label: String, _ text: String) {
        state.withLock { $0.transcript.append(Exchange(kind: .note, label: label, request: "", result: text)) }
    }

    /// A condition the probe set on the target's surroundings (`eventbridge throttle`, `store down`),
    /// recorded so a reproduction sets it too.
    public func control(_ label: String, _ request: String, _ text: String) {
        state.withLock { $0.transcript.append(Exchange(kind: .control, label: label, request: request, result: text)) }
    }

    /// Waits as the scenario needs (past a rate window), recorded so a reproduction waits too.
    public func pause(_ seconds: Double, _ why: String) async throws {
        control("wait", "wait \(Judge.format(seconds))", why)
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }

    /// Lets `seconds` pass for the store's TTLs: the target waits them out in real time, the oracle
    /// moves its store clock. Recorded as a wait, so a reproduction waits too.
    public func elapse(_ seconds: Double, _ why: String) async throws {
        guard let clock = system.storeClock else { return try await pause(seconds, why) }
        control("wait", "wait \(Judge.format(seconds))", why)
        await clock.advance(seconds: seconds)
    }

    func observation() -> Observation {
        state.withLock { state in
            var observation = Observation(facts: state.facts, transcript: state.transcript, notChecked: state.notChecked)
            observation.untranscribedRequests = state.untranscribed > 0 ? state.untranscribed : nil
            observation.unscriptable = state.unscriptable
            return observation
        }
    }

    /// Requests sent in bulk (a load run) that are counted but not each written to the transcript.
    public func countRequests(_ count: Int) {
        state.withLock { $0.untranscribed += count }
    }

    /// The audit lacks what the rule needs (e.g. no Socket.IO URL configured): not checked.
    public func notChecked(_ reason: String) {
        state.withLock { $0.notChecked = reason }
    }

    /// Says that no shell block can show what this probe compares (see `Observation.unscriptable`).
    public func unscriptable(_ reason: String) {
        state.withLock { $0.unscriptable = reason }
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
        let outcome = await send(label, call, fixture, as: role, sessionId: sessionId, body: body, via: api, within: nil)
        switch outcome {
        case .answered(let response):
            if let refused = FixtureCheck.refusal(role, response.status, label: label) { throw refused }
            return response
        case .noAnswer(let why), .failed(let why): throw ProbeError("\(label): no answer from \(system.name) (\(why))")
        }
    }

    /// The status of one call as a fact, where the contract bounds the answer: no answer within
    /// `seconds` is an observation (it fails the rule), not a reason to give up. Used while the
    /// scenario breaks something (the store, EventBridge), so a 401 here is the service's answer
    /// to that, never taken for a refused fixture (the fixture was accepted before). Other transport
    /// errors (refused, reset) still end the scenario: they say nothing about the service's logic.
    public func status(_ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role, body: [String: Any]? = nil,
                       via api: JourneyAPI? = nil, within seconds: Double) async throws -> (fact: FactValue, response: HTTPResponseData?) {
        switch await send(label, call, fixture, as: role, sessionId: nil, body: body, via: api, within: seconds) {
        case .answered(let response): return (.int(response.status), response)
        case .noAnswer: return (.string("no answer within \(Judge.format(seconds)) s"), nil)
        case .failed(let why): throw ProbeError("\(label): no answer from \(system.name) (\(why))")
        }
    }

    enum Outcome {
        case answered(HTTPResponseData)
        case noAnswer(String)
        case failed(String)
    }

    private func send(_ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role, sessionId: String?,
                      body: [String: Any]?, via api: JourneyAPI?, within seconds: Double?) async -> Outcome {
        let session = sessionId ?? fixture.sessionId
        let api = api ?? system.api
        let request = api.request(call, sessionId: session, token: fixture.token(role), body: body)
        let clock = ContinuousClock()
        let started = clock.now
        let pathAndQuery = HTTPClient.target(of: request.url)
        let instance = system.instances.firstIndex { $0.baseURL == api.baseURL && api.baseURL != system.api.baseURL }.map { $0 + 1 }
        func record(_ result: String, _ ms: Double?) {
            state.withLock {
                $0.transcript.append(Exchange(kind: .http, label: label, request: "\(request.method) \(pathAndQuery)", credential: role.rawValue,
                                              body: body.map { JSONText.encode($0) }, result: result, milliseconds: ms, instance: instance,
                                              withinSeconds: seconds))
            }
        }
        do {
            var client = api.client
            if let seconds { client.timeout = .milliseconds(Int64(seconds * 1000)) }
            let response = try await client.send(request)
            var result = "\(response.status)"
            if let retryAfter = response.header("Retry-After") { result += " (Retry-After: \(retryAfter))" }
            record(result, (clock.now - started).inMilliseconds)
            // Anything but a refusal (4xx) may have started a journey, even a 500 or 503.
            if call == .startJourney, !(400..<500).contains(response.status) { trackStart(fixture, role) }
            return .answered(response)
        } catch let error as HTTPClientError {
            let why = WireErrors.plain(error)
            record("no answer: \(why)", nil)
            if call == .startJourney { trackStart(fixture, role) }
            if case .timedOut = error, seconds != nil { return .noAnswer(why) }
            return .failed(why)
        } catch {
            let why = WireErrors.plain(error)
            record("no answer: \(why)", nil)
            return .failed(why)
        }
    }

    /// Remembers a journey this run started (by whoever's token), so it is stopped at the end.
    func trackStart(_ fixture: ProbeFixture, _ role: Role) {
        state.withLock { state in
            if !state.started.contains(where: { $0.fixture == fixture && $0.role == role }) { state.started.append((fixture, role)) }
        }
    }

    /// The same call sent `count` times at once: by the single-packet HTTP/2 sender where
    /// `target.http2` allows and the server speaks HTTP/2, else with last-byte synchronization over
    /// HTTP/1.1 (or, `naive`, from `count` tasks that each connect and send); returns the responses.
    /// The evidence names the sender used, and why when it is not the single packet.
    public func race(_ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role, count: Int,
                     naive: Bool = false) async throws -> [HTTPResponseData] {
        let request = system.api.request(call, sessionId: fixture.sessionId, token: fixture.token(role))
        let h2 = http2Target().map { base, why in
            (Array(repeating: JourneyAPI(baseURL: base, paths: system.api.paths).request(call, sessionId: fixture.sessionId, token: fixture.token(role)), count: count), why)
        }
        let responses = try await burst(label, Array(repeating: request, count: count), credentials: Array(repeating: role.rawValue, count: count),
                                        http2: h2, naive: naive)
        if call == .startJourney, responses.contains(where: { $0.status == 201 }) { trackStart(fixture, role) }
        if let refused = responses.lazy.compactMap({ FixtureCheck.refusal(role, $0.status, label: label) }).first { throw refused }
        return responses
    }

    /// Requests released together, recorded one step each with the credential that sent it. `http2`
    /// holds the same requests addressed to the HTTP/2 listener, and why it applies (nil: last-byte
    /// sync). A burst that fails after its release is never resent: the scenario ends.
    func burst(_ label: String, _ requests: [HTTPRequestSpec], credentials: [String], http2: ([HTTPRequestSpec], String)?,
               naive: Bool = false) async throws -> [HTTPResponseData] {
        let count = requests.count
        let responses: [HTTPResponseData]
        var sender = "last-byte sync over HTTP/1.1"
        var warmUps = count   // last-byte sync warms each connection with a GET /; one for HTTP/2
        do {
            if naive {
                sender = "\(count) concurrent connections (naive)"
                warmUps = 0
                responses = try await NaiveSender.send(requests, client: system.api.client)
            } else if let (h2Requests, why) = http2 {
                do {
                    responses = try await SinglePacketSender(tls: system.api.client.tls).send(h2Requests)
                    sender = "single packet over HTTP/2 (\(why))"
                    warmUps = 1
                } catch let error as SinglePacketNotSent where system.http2 == .auto {
                    // auto: a server that does not speak HTTP/2 is raced as before; nothing was sent.
                    sender = "last-byte sync over HTTP/1.1 (\(error))"
                    responses = try await RaceSender(for: system.api.client).send(requests)
                }
            } else {
                responses = try await RaceSender(for: system.api.client).send(requests)
            }
        } catch {
            throw ProbeError("\(label): the burst to \(system.name) failed (\(error))")
        }
        note(label, "sender: \(sender)")
        state.withLock { state in
            for _ in 0..<warmUps {
                state.transcript.append(Exchange(kind: .http, label: "\(label) (warm-up)", request: "GET /", credential: Role.none.rawValue, result: "answered"))
            }
            for (index, response) in responses.enumerated() {
                let request = requests[index]
                state.transcript.append(Exchange(kind: .http, label: label, request: "\(request.method) \(HTTPClient.target(of: request.url))",
                                                 credential: credentials[index], body: request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self),
                                                 result: "\(response.status)"))
            }
        }
        if let spread = RaceSpread.microseconds(responses) {
            note(label, String(format: "server-side spread of the burst: %.0f µs (first to last request begun)", spread))
        }
        return responses
    }

    /// Where the single-packet sender goes and why, or nil for last-byte sync: `never`; or `auto`
    /// on plain HTTP without an `http2URL` (h2c is never guessed).
    func http2Target() -> (base: URL, why: String)? {
        let base = system.http2API?.baseURL ?? system.api.baseURL
        let secure = base.scheme == "https"
        switch system.http2 {
        case .never: return nil
        case .auto where !secure && system.http2API == nil: return nil
        default: return (base, secure ? "ALPN h2" : "h2c at \(base.absoluteString)")
        }
    }

    /// A location update at `point`, as the fixture's trainer unless told otherwise.
    @discardableResult
    public func update(_ label: String, _ fixture: ProbeFixture, at point: ProbeFixture.Point, as role: Role = .trainer,
                       via api: JourneyAPI? = nil) async throws -> HTTPResponseData {
        try await call(label, .locationUpdate, fixture, as: role, body: Self.updateBody(fixture, point), via: api)
    }

    /// Starts a journey and fails the scenario if it does not start: later steps would mean nothing.
    public func startJourney(_ fixture: ProbeFixture, via api: JourneyAPI? = nil) async throws {
        try await require(201, "start", .startJourney, fixture, via: api)
    }

    /// A step the scenario needs (a start, an update to place the trainer): anything but `status`
    /// ends the scenario as inconclusive for this rule — what it says is another rule's business.
    @discardableResult
    public func require(_ status: Int, _ label: String, _ call: JourneyAPI.Call, _ fixture: ProbeFixture, as role: Role = .trainer,
                        body: [String: Any]? = nil, via api: JourneyAPI? = nil) async throws -> HTTPResponseData {
        let response = try await self.call(label, call, fixture, as: role, body: body, via: api)
        guard response.status == status else {
            throw ProbeError("\(label) answered \(response.status) on \(system.name), not \(status): the scenario cannot go on")
        }
        return response
    }

    /// Places the trainer at `point` with an update the scenario needs to be accepted (201).
    public func place(_ label: String, _ fixture: ProbeFixture, at point: ProbeFixture.Point, via api: JourneyAPI? = nil) async throws {
        try await require(201, label, .locationUpdate, fixture, body: Self.updateBody(fixture, point), via: api)
    }

    public static func updateBody(_ fixture: ProbeFixture, _ point: ProbeFixture.Point) -> [String: Any] {
        ["sessionId": fixture.sessionId, "latitude": point.latitude, "longitude": point.longitude]
    }

    /// Stops every journey this run started: as the role that started it and, when that is not
    /// the session's trainer, as the trainer too. Bounded: one stop per started journey and role.
    /// (A 404 means it had ended already; the engine reads every used session back at the end.)
    func cleanUp() async {
        let started = state.withLock { $0.started }
        for (fixture, role) in started {
            for stopper in role == .trainer ? [Role.trainer] : [role, .trainer] {
                if let response = try? await call("cleanup: stop as \(stopper.rawValue)", .stopJourney, fixture, as: stopper),
                   response.status == 200 || response.status == 404 { break }
            }
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

    private var noRedis: String {
        if let reason = system.redisUnavailable { return reason }
        return system.redis == nil ? "no redis.url configured" : "the auditor could not read the target's Redis (see evidence)"
    }

    private func redisFact(_ request: String, _ read: (RedisInspector) async throws -> Int) async -> Int? {
        guard let url = system.redis, system.redisUnavailable == nil else { return nil }
        do {
            let inspector = try await inspectorSlot.inspector(url, tls: system.redisTLS)
            let value = try await read(inspector)
            state.withLock { $0.transcript.append(Exchange(kind: .redis, label: "read", request: request, result: String(value))) }
            return value
        } catch {
            await inspectorSlot.close()
            state.withLock { $0.transcript.append(Exchange(kind: .redis, label: "read", request: request, result: "failed: \(WireErrors.plain(error))")) }
            return nil
        }
    }

    // MARK: EventBridge

    /// Why event facts cannot be observed on this system, or nil when they can.
    public var eventsMissing: String? {
        if let reason = system.eventsUnavailable { return reason }
        return system.events == nil ? "no eventbridge.listen configured" : nil
    }

    /// How many events of a type arrived for a session (waiting up to `seconds` for `count`), as a fact.
    public func eventCount(sessionId: String, detailType: String, upTo count: Int, within seconds: Double) async -> FactValue {
        if let missing = eventsMissing { return .unobserved(missing) }
        return .int(await awaitEvents(sessionId: sessionId, detailType: detailType, count: count, within: seconds).count)
    }

    /// Entries received for a session so far, of one detail type.
    public func events(sessionId: String, detailType: String) -> [EventBridgeEndpoint.Received] {
        system.events?.received.filter { $0.detail["sessionId"] == sessionId && $0.detailType == detailType } ?? []
    }

    /// One detail field of the first event of a type for a session, as a step of the transcript
    /// (a reproduction prints the same field: a wrong value shows there, not only in a count).
    public func eventField(_ key: String, of detailType: String, for sessionId: String) {
        let value = events(sessionId: sessionId, detailType: detailType).first?.detail[key] ?? "(none)"
        state.withLock {
            $0.transcript.append(Exchange(kind: .event, label: "EventBridge", request: "detail.\(key) of \(detailType) for \(sessionId)", result: value))
        }
    }

    /// Waits (bounded) until `count` events of a type arrived for a session; returns what arrived.
    public func awaitEvents(sessionId: String, detailType: String, count: Int = 1, within seconds: Double) async -> [EventBridgeEndpoint.Received] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline, events(sessionId: sessionId, detailType: detailType).count < count {
            try? await Task.sleep(for: .milliseconds(25))
        }
        let found = events(sessionId: sessionId, detailType: detailType)
        state.withLock {
            $0.transcript.append(Exchange(kind: .event, label: "EventBridge", request: "\(detailType) for \(sessionId)",
                                          result: "\(found.count) received"))
        }
        return found
    }
}

/// One inspector connection per run, opened on first use.
actor InspectorSlot {
    private var inspector: RedisInspector?

    func inspector(_ url: RedisURL, tls: TLSClient?) async throws -> RedisInspector {
        if let inspector { return inspector }
        let fresh = try await RedisInspector.connect(url, tls: tls)
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
