import Checks
import Probes
import Wire

/// What the target reaches only while the auditor runs: its EventBridge endpoint and the fault
/// proxy in front of its Redis. An audit and a reproduction open them the same way, from the
/// same config keys, so a reproduction meets the target exactly as the audit did.
enum AuditListeners {
    /// The endpoint on `eventbridge.listen`, accepting (a probe or a script sets another mode).
    static func eventBridge(_ listen: HostPort) async throws -> EventBridgeEndpoint {
        do { return try await EventBridgeEndpoint.start(host: listen.host, port: listen.port) } catch {
            throw AuditError.cannotListen("\(listen): \(WireErrors.plain(error))")
        }
    }

    /// The proxy on `redis.proxy.listen`, relaying to `redis.proxy.upstream`.
    static func storeProxy(_ settings: (listen: HostPort, upstream: HostPort)) async throws -> FaultProxy {
        do {
            return try await FaultProxy.start(listenHost: settings.listen.host, listenPort: settings.listen.port,
                                              upstreamHost: settings.upstream.host, upstreamPort: settings.upstream.port)
        } catch {
            throw AuditError.cannotProxy("\(settings.listen): \(WireErrors.plain(error))")
        }
    }

    /// One client for every request to the target: its TLS settings and `target.headers`.
    static func targetClient(_ config: AuditConfig) throws -> HTTPClient {
        var http = HTTPClient(timeout: .seconds(10), tls: try config.tls.map { try TargetSystem.client($0, key: "tls") })
        http.extraHeaders = config.targetHeaders.sorted { $0.key < $1.key }
        return http
    }
}
