import Checks
import Foundation
import Probes
import Wire

/// The deployment under audit, as the probes see it, plus what the engine opened for it.
struct TargetSystem {
    let system: ProbeSystem
    /// The endpoint and proxy this audit started (closed at the end); nil when the caller owns them.
    let ownedEvents: EventBridgeEndpoint?
    let ownedProxy: FaultProxy?
    let prefetch: PrefetchedFixtureSource

    static func open(_ request: AuditRequest) async throws -> TargetSystem {
        let config = request.config
        var redis: RedisURL?
        if let text = config.redisURL {
            do { redis = try RedisURL(parsing: text) } catch { throw AuditError.badRedisURL("\(error)") }
        }
        var events = request.targetEvents
        var owned: EventBridgeEndpoint?
        if events == nil, let listen = config.eventBridgeListen {
            do {
                owned = try await EventBridgeEndpoint.start(host: listen.host, port: listen.port)
                events = owned
            } catch {
                throw AuditError.cannotListen("\(listen): \(error)")
            }
        }
        var proxy = request.targetProxy
        var ownedProxy: FaultProxy?
        if proxy == nil, let settings = config.redisProxy {
            do {
                ownedProxy = try await FaultProxy.start(listenHost: settings.listen.host, listenPort: settings.listen.port,
                                                        upstreamHost: settings.upstream.host, upstreamPort: settings.upstream.port)
                proxy = ownedProxy
            } catch {
                await owned?.stop()
                throw AuditError.cannotProxy("\(settings.listen): \(error)")
            }
        }
        let paths = Dictionary(uniqueKeysWithValues: config.paths.compactMap { key, value in JourneyAPI.Call(rawValue: key).map { ($0, value) } })
        let prefetch = PrefetchedFixtureSource(source: FixtureSources.make(config.fixtures))
        var system = ProbeSystem(name: "the target", api: JourneyAPI(baseURL: config.baseURL, paths: paths), redis: redis, events: events,
                                 fixtures: prefetch, socketURL: config.socketURL)
        system.sourcePaths = config.sourcePaths
        system.instances = config.instances.map { JourneyAPI(baseURL: $0, paths: paths) }
        system.storeSwitch = proxy
        system.scale = config.scale
        return TargetSystem(system: system, ownedEvents: owned, ownedProxy: ownedProxy, prefetch: prefetch)
    }


    /// The target answers HTTP at all, and the fixture supply gives one fixture (kept for the first probe).
    func preflight() async throws {
        do {
            _ = try await HTTPClient(timeout: .seconds(10)).send(HTTPRequestSpec(method: "GET", url: system.api.baseURL))
        } catch {
            throw AuditError.targetUnreachable("\(system.api.baseURL.absoluteString): \(error)")
        }
        do { try await prefetch.prefetch() } catch { throw AuditError.fixturesFailed("\(error)") }
    }

    func close() async {
        await ownedEvents?.stop()
        await ownedProxy?.stop()
    }
}

/// A fixture source that fetched its first fixture early (to fail fast) and hands it out first.
final class PrefetchedFixtureSource: FixtureSource {
    private let source: any FixtureSource
    private let held = HeldFixture()

    init(source: any FixtureSource) { self.source = source }

    func prefetch() async throws {
        await held.put(try await source.next())
    }

    func next() async throws -> ProbeFixture {
        if let fixture = await held.take() { return fixture }
        return try await source.next()
    }
}

actor HeldFixture {
    private var fixture: ProbeFixture?
    func put(_ f: ProbeFixture) { fixture = f }
    func take() -> ProbeFixture? {
        defer { fixture = nil }
        return fixture
    }
}

/// The fixture source a config names.
public enum FixtureSources {
    public static func make(_ spec: FixtureSpec) -> any FixtureSource {
        switch spec {
        case .http(let url, let method, let headers): return HTTPFixtureSource(url: url, method: method, headers: headers)
        case .command(let words): return CommandFixtureSource(command: words)
        case .fixed(let list): return StaticFixtureSource(fixtures: list)
        }
    }
}
