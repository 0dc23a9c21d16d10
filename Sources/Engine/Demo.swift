import Checks
import Foundation
import Probes
import Reference

/// `auditor demo`: a reference (optionally faulted) as the target, on the embedded store, its
/// EventBridge wired to the auditor's endpoint, audited like any deployment.
public enum Demo {
    public static func run(faults: Set<Fault>, catalogue: RuleCatalogue, only: [String] = [], skip: [String] = [],
                           auditorVersion: String, progress: @escaping @Sendable (String) -> Void) async throws -> AuditReport {
        let events = try await EventBridgeEndpoint.start()
        var configuration = ReferenceConfiguration(eventBridgeEndpoint: events.url, faults: faults)
        configuration.logLevel = .critical
        let target: RunningReference
        do { target = try await ReferenceServer.start(configuration) } catch {
            await events.stop()
            throw error
        }
        progress("demo target: reference at \(target.addresses.baseURL)" + (faults.isEmpty ? "" : " with faults \(faults.sorted().map(\.rawValue).joined(separator: ", "))"))
        var config = AuditConfig(baseURL: target.baseURL,
                                 fixtures: .http(url: target.baseURL.appendingPathComponent("__reference/fixtures"), method: "POST", headers: [:]))
        config.redisURL = target.addresses.redisURL
        config.eventBridgeListen = HostPort(host: "127.0.0.1", port: events.port)
        config.socketURL = URL(string: target.addresses.socketURL)
        config.sourcePaths = SourceView.paths(for: faults)
        var request = AuditRequest(config: config, catalogue: catalogue)
        request.only = only
        request.skip = skip
        request.targetEvents = events
        request.auditorVersion = auditorVersion
        defer {
            Task {
                await target.stop()
                await events.stop()
            }
        }
        return try await AuditRunner.run(request, progress: progress)
    }
}
