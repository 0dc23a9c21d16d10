import Checks
import Foundation
import Probes
import Wire

/// What `auditor reproduce` provides while a reproduction runs. The target publishes its events
/// to the auditor's EventBridge endpoint and reaches its Redis through the auditor's fault proxy,
/// and outside an audit neither listens; so they are opened here from audit.yml exactly as an
/// audit opens them, with a control server the script calls for fixtures and faults. The script
/// finds all of it in its environment.
public final class ReproductionEnvironment: Sendable {
    public let events: EventBridgeEndpoint?
    public let proxy: FaultProxy?
    public let control: ControlServer
    /// Added to the command's environment. `REDIS_URL` may carry a password: never printed.
    public let variables: [String: String]
    /// One line naming what listens where, without secrets.
    public let summary: String
    /// The private directory of the curl settings the audit's own clients use (`CURL_HOME`).
    let curlHome: String?

    private init(events: EventBridgeEndpoint?, proxy: FaultProxy?, control: ControlServer, variables: [String: String], summary: String,
                 curlHome: String?) {
        self.events = events
        self.proxy = proxy
        self.control = control
        self.variables = variables
        self.summary = summary
        self.curlHome = curlHome
    }

    /// Opens what the config names; on any failure, closes what it opened and throws an `AuditError`.
    public static func start(_ config: AuditConfig) async throws -> ReproductionEnvironment {
        let fixtures = FixtureSources.make(config.fixtures, client: try AuditListeners.targetClient(config))
        var events: EventBridgeEndpoint?
        var proxy: FaultProxy?
        do {
            if let listen = config.eventBridgeListen { events = try await AuditListeners.eventBridge(listen) }
            if let settings = config.redisProxy { proxy = try await AuditListeners.storeProxy(settings) }
            let routes = ReproductionControl(fixtures: fixtures, events: events, store: proxy)
            let control: ControlServer
            do { control = try await ControlServer.start(answer: routes.answer) } catch {
                throw AuditError.cannotServeControl(WireErrors.plain(error))
            }
            var parts: [String] = []
            if let events, let listen = config.eventBridgeListen {
                parts.append("EventBridge endpoint on \(HostPort(host: listen.host, port: events.port))")
            }
            if let proxy, let settings = config.redisProxy {
                parts.append("store proxy \(HostPort(host: settings.listen.host, port: proxy.port)) → \(settings.upstream)")
            }
            parts.append("control on \(HostPort(host: control.host, port: control.port))")
            var variables = variables(config, control: control.url)
            let curlHome = try CurlSettings.write(config)
            if let curlHome { variables["CURL_HOME"] = curlHome }
            return ReproductionEnvironment(events: events, proxy: proxy, control: control, variables: variables,
                                           summary: parts.joined(separator: ", "), curlHome: curlHome)
        } catch {
            await events?.stop()
            await proxy?.stop()
            throw error
        }
    }

    /// `AUDITOR` (the control server), `BASE` and `INSTANCE_1…` (the origins of the target's base
    /// URLs: a certification's paths are recorded whole, a gateway prefix included, so a script
    /// writes `"$BASE/prod/api/…"`), `REDIS_URL` (`redis.url`, to read keys with redis-cli) and
    /// `CURL_CA_BUNDLE` (`tls.caFile`, so curl trusts a private CA).
    static func variables(_ config: AuditConfig, control: String) -> [String: String] {
        func origin(_ url: URL) -> String {
            guard let scheme = url.scheme, let host = url.host else { return url.absoluteString }
            let shown = host.contains(":") ? "[\(host)]" : host
            return "\(scheme)://\(shown)\(url.port.map { ":\($0)" } ?? "")"
        }
        var variables = ["AUDITOR": control, "BASE": origin(config.baseURL)]
        for (index, url) in config.instances.enumerated() { variables["INSTANCE_\(index + 1)"] = origin(url) }
        variables["REDIS_URL"] = config.redisURL
        variables["CURL_CA_BUNDLE"] = config.tls?.caFile
        return variables
    }

    /// The command's environment: the auditor's own, without the names this environment owns (an
    /// inherited `REDIS_URL` would send redis-cli to another store than the audited one), plus `variables`.
    public func childEnvironment(from inherited: [String: String]) -> [String: String] {
        func owned(_ name: String) -> Bool {
            ["AUDITOR", "BASE", "REDIS_URL", "CURL_HOME"].contains(name) || (name.hasPrefix("INSTANCE_") && Int(name.dropFirst(9)) != nil)
        }
        return inherited.filter { !owned($0.key) }.merging(variables) { _, own in own }
    }

    public func stop() async {
        if let curlHome { try? FileManager.default.removeItem(atPath: curlHome) }
        await control.stop()
        await proxy?.stop()
        await events?.stop()
    }
}
