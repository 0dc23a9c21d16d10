import Checks
import Foundation
import Wire

/// JRN-SCALE-001: K journeys started from fixtures, driven with the journey-shaped open-model
/// load for the configured duration, then all stopped. Runs alone: it is the load. It records
/// measurements; the rule judges them against the configured limits (in Checks).
struct ScaleProbe: Probe {
    let kind = "scale"
    let exclusive = true

    func plan(_ spec: ProbeSpec) -> [String] {
        ["with scale: configured — K fixtures (one batch request where supported), POST start-journey ×K",
         "for the duration: POST updates every updateInterval and GET live every pollInterval per journey (open model)",
         "POST stop-journey ×K"]
    }
    func fixturesNeeded(_ spec: ProbeSpec) -> Int { 0 }

    func run(_ spec: ProbeSpec, _ run: ProbeRun) async throws {
        if run.system.isReference { return } // judged against limits, not against a second load on this machine
        guard let scale = run.system.scale else {
            run.notChecked("no scale: configured")
            return
        }
        let run_ = try await ScaleRun.execute(api: run.system.api, fixtures: run.system.fixtures, spec: scale, shard: nil) { run.note("scale", $0) }
        run.countRequests(run_.requests)
        var result = run_.result
        result.targetJourneys = scale.targetJourneys
        for name in LoadResult.calls {
            guard let s = result.calls[name] else { continue }
            run.note("scale", String(format: "%@: %d intended, %d sent, p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %.2f %%",
                                     name, s.intended, s.sent, s.percentileMs(50), s.percentileMs(99), s.maxMs, 100 * s.errorRate))
        }
        // A driver that fell behind measured a quieter client, not the service: nothing is observed.
        let behind = result.driverShortfall.map { FactValue.unobserved("the driver could not keep the intended rate: \($0)") }
        func p99(_ call: String) -> FactValue {
            behind ?? result.calls[call].map { .number(($0.percentileMs(99) * 10).rounded() / 10) } ?? .unobserved("no \(call) was sent")
        }
        run.record("updateP99Ms", p99("locationUpdate"))
        run.record("pollP99Ms", p99("liveLocation"))
        run.record("errorRate", behind ?? .number(result.calls.values.map(\.errorRate).max() ?? 0))
        if run_.unstopped > 0 { run.note("scale", "\(run_.unstopped) journeys did not answer their stop with 200") }
        // The whole measurement, for the certification's scale section.
        if let data = try? JSONEncoder().encode(result) { run.record("loadResult", .string(String(decoding: data, as: UTF8.self))) }
    }
}
