import Checks
import Foundation
import Probes
import Reference
import Wire

/// `auditor demo`: the built-in reference (optionally faulted) audited like any deployment.
///
/// The target is the whole setup a production deployment has, in process and on loopback: a
/// shared store (the embedded store, served over RESP as a small Redis), the auditor's fault proxy
/// in front of it, two reference instances reaching the store through the proxy, and their
/// EventBridge publishing to the auditor's endpoint. So every rule runs, none is not-applicable.
public enum Demo {
    public static func run(faults: Set<Fault>, variants: Set<Variant> = [], catalogue: RuleCatalogue, only: [String] = [], skip: [String] = [],
                           long: Bool = false, auditorVersion: String, progress: @escaping @Sendable (String) -> Void) async throws -> AuditReport {
        let setup = try await DemoTarget.start(faults: faults, variants: variants)
        progress("demo target: reference instances \(setup.instances.map(\.addresses.baseURL).joined(separator: ", "))"
                 + (faults.isEmpty ? "" : " with faults \(faults.sorted().map(\.rawValue).joined(separator: ", "))")
                 + (variants.isEmpty ? "" : " with variants \(variants.sorted().map(\.rawValue).joined(separator: ", "))"))
        var config = setup.config(faults: faults)
        config.long = long
        var request = AuditRequest(config: config, catalogue: catalogue)
        request.only = only
        request.skip = skip
        request.targetEvents = setup.events
        request.targetProxy = setup.proxy
        request.auditorVersion = auditorVersion
        do {
            let report = try await AuditRunner.run(request, progress: progress)
            await setup.stop()
            return report
        } catch {
            await setup.stop()
            throw error
        }
    }
}

/// The demo's deployment: store, proxy, two instances, EventBridge endpoint. Also what the race
/// benchmark audits: its store is reached over TCP, so a check-then-set has real round trips.
public struct DemoTarget: Sendable {
    public let storeServer: EmbeddedStoreServer
    public let proxy: FaultProxy
    public let events: EventBridgeEndpoint
    public let instances: [RunningReference]

    public static func start(faults: Set<Fault>, variants: Set<Variant> = []) async throws -> DemoTarget {
        let storeServer = try await EmbeddedStoreServer.start(store: EmbeddedStore(), allowWrites: true)
        let proxy = try await FaultProxy.start(upstreamHost: "127.0.0.1", upstreamPort: storeServer.port)
        let events = try await EventBridgeEndpoint.start()
        var instances: [RunningReference] = []
        do {
            for _ in 0..<2 {
                var configuration = ReferenceConfiguration(redisURL: RedisURL(host: "127.0.0.1", port: proxy.port),
                                                           eventBridgeEndpoint: events.url, faults: faults)
                configuration.variants = variants
                configuration.logLevel = .critical
                configuration.http2Port = 0   // an h2c listener too: the race's single packet
                instances.append(try await ReferenceServer.start(configuration))
            }
        } catch {
            for instance in instances { await instance.stop() }
            await proxy.stop()
            await events.stop()
            await storeServer.stop()
            throw error
        }
        return DemoTarget(storeServer: storeServer, proxy: proxy, events: events, instances: instances)
    }

    public func config(faults: Set<Fault>) -> AuditConfig {
        let first = instances[0]
        var config = AuditConfig(baseURL: first.baseURL,
                                 fixtures: .http(url: first.baseURL.appendingPathComponent("__reference/fixtures"), method: "POST", headers: [:]))
        config.instances = instances.map(\.baseURL)
        config.redisURL = "redis://127.0.0.1:\(storeServer.port)"
        config.redisProxy = (HostPort(host: "127.0.0.1", port: proxy.port), HostPort(host: "127.0.0.1", port: storeServer.port))
        config.redisTimeoutMs = first.storeTimeoutMilliseconds   // as a deployment states its own
        config.eventBridgeListen = HostPort(host: "127.0.0.1", port: events.port)
        config.socketURL = URL(string: first.addresses.socketURL)
        config.sourcePaths = SourceView.paths(for: faults)
        config.scale = DemoTarget.scale
        config.identity = TargetIdentity(name: "journey reference", environment: "demo (two instances on loopback)")
        config.versionURL = first.baseURL.appendingPathComponent("__reference/version")
        config.http2URL = first.addresses.http2BaseURL.flatMap(URL.init(string:))
        return config
    }

    /// A small journey-shaped load: enough to show the scale section and to catch `slow-store`
    /// (an update then takes six store commands × 120 ms), short enough for a demo, and with limits
    /// loose enough that a busy 2-core machine running other audits does not fail a clean one.
    public static var scale: ScaleSpec {
        var spec = ScaleSpec(journeys: 20, durationSeconds: 6)
        spec.p99Milliseconds = ["locationUpdate": 400, "liveLocation": 400]
        return spec
    }

    public func stop() async {
        for instance in instances { await instance.stop() }
        await proxy.stop()
        await events.stop()
        await storeServer.stop()
    }
}
