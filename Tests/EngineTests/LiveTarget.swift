import Checks
import Engine
import Foundation
import Probes
import Reference
import TestSupport
import Wire

/// The audited target as a user has it, built in one call: two reference instances reaching a
/// real redis-server through the auditor's fault proxy, publishing to the auditor's EventBridge endpoint.
struct LiveTarget {
    let redis: RedisServer
    let proxy: FaultProxy
    let instances: [RunningReference]
    let events: EventBridgeEndpoint
    let faults: Set<Fault>

    var reference: RunningReference { instances[0] }

    /// `ttlScale`: every TTL the instances write times this (the long rules' tests only).
    static func start(faults: Set<Fault> = [], variants: Set<Variant> = [], ttlScale: Double = 1) async throws -> LiveTarget {
        let redis = try await RedisServer.start()
        let proxy = try await FaultProxy.start(upstreamHost: "127.0.0.1", upstreamPort: redis.url.port)
        let events = try await EventBridgeEndpoint.start()
        var configuration = ReferenceConfiguration(redisURL: RedisURL(host: "127.0.0.1", port: proxy.port), eventBridgeEndpoint: events.url, faults: faults)
        configuration.variants = variants
        configuration.ttlScale = ttlScale
        configuration.logLevel = .critical
        let instances = [try await ReferenceServer.start(configuration), try await ReferenceServer.start(configuration)]
        return LiveTarget(redis: redis, proxy: proxy, instances: instances, events: events, faults: faults)
    }

    var config: AuditConfig {
        var config = AuditConfig(baseURL: reference.baseURL,
                                 fixtures: .http(url: reference.baseURL.appendingPathComponent("__reference/fixtures"), method: "POST", headers: [:]))
        config.redisURL = "redis://127.0.0.1:\(redis.url.port)"
        config.eventBridgeListen = HostPort(host: "127.0.0.1", port: events.port)
        config.socketURL = URL(string: reference.addresses.socketURL)
        config.sourcePaths = SourceView.paths(for: faults)
        config.instances = instances.map(\.baseURL)
        config.scale = DemoTarget.scale
        config.redisProxy = (HostPort(host: "127.0.0.1", port: proxy.port), HostPort(host: "127.0.0.1", port: redis.url.port))
        config.redisTimeoutMs = reference.storeTimeoutMilliseconds
        return config
    }

    func audit(only: [String] = [], long: Bool = false, catalogue: RuleCatalogue? = nil) async throws -> AuditReport {
        var config = self.config
        config.long = long
        var request = AuditRequest(config: config, catalogue: try catalogue ?? RuleCatalogue.bundled())
        request.only = only
        request.targetEvents = events
        request.targetProxy = proxy
        return try await AuditRunner.run(request)
    }

    /// One fixture from the target's supply, as the JSON a static list would hold.
    func freshFixtureJSON() async throws -> String {
        let response = try await HTTPClient().send(HTTPRequestSpec(method: "POST", url: reference.baseURL.appendingPathComponent("__reference/fixtures")))
        return response.bodyText
    }

    func stop() async {
        for instance in instances { await instance.stop() }
        await proxy.stop()
        await events.stop()
        redis.kill()
    }
}

/// Starts a target, runs `body`, always stops it.
func withLiveTarget<T>(faults: Set<Fault> = [], variants: Set<Variant> = [], ttlScale: Double = 1,
                       _ body: (LiveTarget) async throws -> T) async throws -> T {
    let target = try await LiveTarget.start(faults: faults, variants: variants, ttlScale: ttlScale)
    do {
        let result = try await body(target)
        await target.stop()
        return result
    } catch {
        await target.stop()
        throw error
    }
}
