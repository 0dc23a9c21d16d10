import Checks
import Foundation
import Probes
import Reference
import Wire

/// `auditor demo --pack trip`: the trip reference (optionally faulted) audited like any
/// deployment, with an h2c listener so the accept race goes out as one packet.
public enum TripDemo {
    /// `cacheSeconds`: TRP-IDEM-004's wait (nil: the rule's 30 s); `forgetAfterSeconds`: when the
    /// `idempotency-in-cache` fault forgets a key. Tests shorten both, keeping the wait the longer.
    public static func run(faults: Set<TripFault>, catalogue: RuleCatalogue, only: [String] = [], cacheSeconds: Double? = nil,
                           forgetAfterSeconds: Double = 10, long: Bool = false, auditorVersion: String,
                           progress: @escaping @Sendable (String) -> Void) async throws -> AuditReport {
        var configuration = TripReferenceConfiguration(faults: faults)
        configuration.http2Port = 0
        configuration.idempotencyCacheSeconds = forgetAfterSeconds
        configuration.logLevel = .critical
        let target = try await TripReferenceServer.start(configuration)
        progress("demo target: trip reference \(target.addresses.baseURL)"
                 + (faults.isEmpty ? "" : " with faults \(faults.sorted().map(\.rawValue).joined(separator: ", "))"))
        var config = AuditConfig(baseURL: target.baseURL,
                                 fixtures: .http(url: target.baseURL.appendingPathComponent("__reference/fixtures"), method: "POST", headers: [:]))
        config.pack = .trip
        config.trip.cacheSeconds = cacheSeconds
        config.long = long
        config.http2URL = target.addresses.http2BaseURL.flatMap(URL.init(string:))
        config.identity = TargetIdentity(name: "trip reference", environment: "demo (one instance on loopback)")
        config.versionURL = target.baseURL.appendingPathComponent("__reference/version")
        var request = AuditRequest(config: config, catalogue: catalogue)
        request.only = only
        request.auditorVersion = auditorVersion
        do {
            let report = try await AuditRunner.run(request, progress: progress)
            await target.stop()
            return report
        } catch {
            await target.stop()
            throw error
        }
    }
}
