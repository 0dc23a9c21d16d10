import Checks
import Foundation
import Probes
import Synchronization
import Wire

/// The deployment under audit, as the probes see it, plus what the engine opened for it.
struct TargetSystem {
    var system: ProbeSystem
    /// The endpoint and proxy this audit started (closed at the end); nil when the caller owns them.
    let ownedEvents: EventBridgeEndpoint?
    let ownedProxy: FaultProxy?
    let prefetch: PrefetchedFixtureSource
    /// Remarks for the report (what the auditor could not set up, and why).
    var warnings: [String] = []
    /// What is certified; the version is read from `target.versionURL` at preflight when given.
    var identity = TargetIdentity()
    var versionURL: URL?

    static func open(_ request: AuditRequest) async throws -> TargetSystem {
        let config = request.config
        var redis: RedisURL?
        if let text = config.redisURL {
            do { redis = try RedisURL(parsing: text) } catch { throw AuditError.badRedisURL("\(error)") }
        }
        let http = try AuditListeners.targetClient(config)
        let redisTLS = try config.redisTLS.map { try client($0, key: "redis.tls") } ?? http.tls
        var events = request.targetEvents
        var owned: EventBridgeEndpoint?
        var eventsUnavailable: String?
        var warnings: [String] = []
        if events == nil, let listen = config.eventBridgeListen {
            do {
                owned = try await AuditListeners.eventBridge(listen)
                events = owned
            } catch {
                // The rules that need it cannot observe events; the rest of the audit still runs.
                eventsUnavailable = "\(error)"
                warnings.append("\(error): rules that observe EventBridge are inconclusive.")
            }
        }
        var proxy = request.targetProxy
        var ownedProxy: FaultProxy?
        if proxy == nil, let settings = config.redisProxy {
            do {
                ownedProxy = try await AuditListeners.storeProxy(settings)
                proxy = ownedProxy
            } catch {
                await owned?.stop()
                throw error
            }
        }
        let paths = Dictionary(uniqueKeysWithValues: config.paths.compactMap { key, value in JourneyAPI.Call(rawValue: key).map { ($0, value) } })
        let prefetch = PrefetchedFixtureSource(source: FixtureSources.make(config.fixtures, client: http))
        var system = ProbeSystem(name: "the target", api: JourneyAPI(baseURL: config.baseURL, paths: paths, client: http), redis: redis,
                                 events: events, fixtures: prefetch, socketURL: config.socketURL)
        system.redisTLS = redisTLS
        system.eventsUnavailable = eventsUnavailable
        system.socketOrigin = config.socketOrigin
        system.socketHeaders = config.targetHeaders.merging(config.socketHeaders) { _, socket in socket }
        system.sourcePaths = config.sourcePaths
        system.instances = config.instances.map { JourneyAPI(baseURL: $0, paths: paths, client: http) }
        system.storeSwitch = proxy
        system.storeTimeoutMs = config.redisTimeoutMs
        system.storeCommandsPerCall = config.redisCommandsPerCall
        system.long = config.long
        system.scale = config.scale
        system.http2 = config.http2
        system.http2API = config.http2URL.map { JourneyAPI(baseURL: $0, paths: paths, client: http) }
        if config.pack == .trip {
            system.trip = tripAccess(config, client: http)
        } else {
            if config.redisURL == nil { warnings.append("No redis.url configured: rules that read Redis are inconclusive.") }
            if config.eventBridgeListen == nil, request.targetEvents == nil {
                warnings.append("No eventbridge.listen configured: rules that observe EventBridge are inconclusive.")
            }
        }
        var target = TargetSystem(system: system, ownedEvents: owned, ownedProxy: ownedProxy, prefetch: prefetch, warnings: warnings)
        target.identity = config.identity
        target.versionURL = config.versionURL
        return target
    }


    /// The trip pack's view of the target: its routes (with `target.paths`), fixtures from the
    /// configured supply, and the `trip:` settings.
    static func tripAccess(_ config: AuditConfig, client: HTTPClient) -> TripAccess {
        let paths = Dictionary(uniqueKeysWithValues: config.paths.compactMap { key, value in TripAPI.Call(rawValue: key).map { ($0, value) } })
        let api = TripAPI(baseURL: config.baseURL, paths: paths, client: client)
        var access = TripAccess(api: api, fixtures: TripFixtures(FixtureSources.documents(config.fixtures, client: client)),
                                replayHeader: config.trip.replayHeader)
        access.cacheSeconds = config.trip.cacheSeconds
        access.restart = config.trip.restartCommand.map { CommandRestart(command: $0, ready: HTTPRequestSpec(method: "GET", url: config.baseURL), client: client) }
        return access
    }

    /// Whether the audit can run at all, in plain words when it cannot: the target answers HTTP
    /// (its root, and a call of the contract without a token: any status will do, silence will not),
    /// and the fixture supply gives one fixture (kept for the first probe), which the target accepts
    /// as the scenarios will use it (FixtureCheck: every identity's token, no journey yet). Then it checks that the
    /// auditor can read the target's Redis; if not, Redis facts are unobserved with the reason,
    /// and the audit goes on.
    mutating func preflight() async -> String? {
        let client = system.api.client
        let (callName, call) = system.trip.map { ("trip details", $0.api.request(.tripDetails, tripId: "auditor-preflight", token: nil)) }
            ?? ("live polling", system.api.request(.liveLocation, sessionId: "auditor-preflight", token: nil))
        for (what, request) in [("its base URL", HTTPRequestSpec(method: "GET", url: system.api.baseURL)), (callName, call)] {
            let response: HTTPResponseData
            do { response = try await client.send(request) } catch {
                var certificate: String?
                if let endpoint = try? Endpoint(request.url, tls: client.tls) {
                    certificate = await TLSDiagnosis.explain(error, host: endpoint.host, port: endpoint.port, tls: endpoint.tls)
                }
                return "the target did not answer \(what) (\(request.method) \(request.url.absoluteString)): \(certificate ?? WireErrors.plain(error))"
            }
            // The contract's calls answer where they are asked; a redirect would be followed by
            // no app, so every status the audit saw would be the redirect's.
            if what == callName, (300..<400).contains(response.status) {
                let location = response.header("Location").map { " to \($0)" } ?? ""
                return "the target redirects \(callName) (\(response.status)\(location)); the auditor does not follow redirects: set target.baseURL to the address that answers"
            }
        }
        if let versionURL { await readVersion(versionURL) }
        do {
            if let trip = system.trip { try await trip.fixtures.prefetch() } else { try await prefetch.prefetch() }
        } catch {
            return "could not get a fixture: \((error as? FixtureError)?.description ?? WireErrors.plain(error))"
        }
        if system.trip == nil, let fixture = await prefetch.peek(), let problem = await FixtureCheck.problem(fixture, on: system) {
            return problem
        }
        if let url = system.redis, let problem = await RedisReadCheck.problem(url, tls: system.redisTLS) {
            system.redisUnavailable = "the auditor cannot read the target's Redis: \(problem)"
            warnings.append("\(system.redisUnavailable!): rules that read Redis are inconclusive.")
        }
        return nil
    }

    /// The build the target says it runs, from its version endpoint; on failure the configured
    /// `target.version` stays, and the report says the endpoint could not be read.
    mutating func readVersion(_ url: URL) async {
        do {
            let response = try await system.api.client.send(HTTPRequestSpec(method: "GET", url: url, headers: [("Accept", "application/json")]))
            guard (200..<300).contains(response.status), let version = TargetIdentity.version(fromBody: response.bodyText, json: response.json) else {
                warnings.append("target.versionURL answered \(response.status) without a version: the certified version is \(identity.version ?? "unknown").")
                return
            }
            identity.version = version
        } catch {
            warnings.append("target.versionURL could not be read (\(WireErrors.plain(error))): the certified version is \(identity.version ?? "unknown").")
        }
    }

    /// A usable TLS client, or a usage error naming the key (an unreadable CA file is the caller's to fix).
    static func client(_ spec: TLSSpec, key: String) throws -> TLSClient {
        do {
            return try TLSClient(caFile: spec.caFile, clientCert: spec.clientCert, clientKey: spec.clientKey,
                                 serverName: spec.serverName, insecureSkipVerify: spec.insecureSkipVerify)
        } catch var error as TLSSetupError {
            error.setting = key
            throw AuditError.badTLS(error.description)
        } catch {
            throw AuditError.badTLS("\(key): \(WireErrors.plain(error))")
        }
    }

    /// Every fixture the audit took from the target's supply, for the read-back at the end.
    func fixturesHandedOut() -> [ProbeFixture] { prefetch.handedOut }

    func close() async {
        await ownedEvents?.stop()
        await ownedProxy?.stop()
    }
}

/// A fixture source that fetched its first fixture early (to fail fast), hands it out first,
/// and remembers every fixture it handed out (the sessions the audit touched).
final class PrefetchedFixtureSource: FixtureSource {
    private let source: any FixtureSource
    private let held = HeldFixture()
    private let given = Mutex<[ProbeFixture]>([])

    init(source: any FixtureSource) { self.source = source }

    func prefetch() async throws {
        await held.put(try await source.next())
    }

    /// The fixture fetched early, still held for the first probe (the preflight checks it).
    func peek() async -> ProbeFixture? { await held.peek() }

    func next() async throws -> ProbeFixture {
        let fixture: ProbeFixture
        if let first = await held.take() { fixture = first } else { fixture = try await source.next() }
        given.withLock { $0.append(fixture) }
        return fixture
    }

    func batch(_ count: Int) async throws -> [ProbeFixture] {
        let fixtures = try await source.batch(count)
        given.withLock { $0 += fixtures }
        return fixtures
    }

    var handedOut: [ProbeFixture] { given.withLock { $0 } }
}

actor HeldFixture {
    private var fixture: ProbeFixture?
    func put(_ f: ProbeFixture) { fixture = f }
    func peek() -> ProbeFixture? { fixture }
    func take() -> ProbeFixture? {
        defer { fixture = nil }
        return fixture
    }
}

/// The fixture source a config names.
public enum FixtureSources {
    /// `client`: the target's TLS settings and headers, for fixtures over https.
    public static func make(_ spec: FixtureSpec, client: HTTPClient = HTTPClient()) -> any FixtureSource {
        documents(spec, client: client)
    }

    /// The same supply as documents, whatever the pack's fixture shape.
    public static func documents(_ spec: FixtureSpec, client: HTTPClient = HTTPClient()) -> any FixtureDocuments & FixtureSource {
        switch spec {
        case .http(let url, let method, let headers): return HTTPFixtureSource(url: url, method: method, headers: headers, client: client)
        case .command(let words): return CommandFixtureSource(command: words)
        case .fixed(let list): return StaticFixtureSource(fixtures: list)
        }
    }
}

