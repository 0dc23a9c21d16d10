import Checks
import Foundation
import Wire

/// JRN-SCALE-001: K journeys started from fixtures, driven with the journey-shaped open-model
/// load for the configured duration, then all stopped. Runs alone: it is the load.
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
        guard let scale = run.system.scale else {
            if run.system.isReference {
                // The oracle states the contract's expectation rather than loading the machine twice.
                for fact in ["driverKeptUp", "updateP99WithinLimit", "pollP99WithinLimit", "errorRateWithinLimit"] { run.record(fact, .bool(true)) }
                return
            }
            run.notApplicable("no scale: configured")
            return
        }
        let run_ = try await ScaleRun.execute(api: run.system.api, fixtures: run.system.fixtures, spec: scale, shard: nil) { run.note("scale", $0) }
        run.countRequests(run_.requests)
        let result = run_.result
        for name in LoadResult.calls {
            guard let s = result.calls[name] else { continue }
            run.note("scale", String(format: "%@: %d intended, %d sent, p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %.2f %%",
                                     name, s.intended, s.sent, s.percentileMs(50), s.percentileMs(99), s.maxMs, 100 * s.errorRate))
        }
        let judgement = LoadJudgement(result, scale)
        run.record("driverKeptUp", judgement.shortfall.map { .unobserved("the driver could not keep the intended rate: \($0)") } ?? .bool(true))
        run.record("updateP99WithinLimit", .bool(judgement.updateP99WithinLimit))
        run.record("pollP99WithinLimit", .bool(judgement.pollP99WithinLimit))
        run.record("errorRateWithinLimit", .bool(judgement.errorRateWithinLimit))
        // The whole measurement, for the certification's scale section.
        if let data = try? JSONEncoder().encode(result) { run.record("loadResult", .string(String(decoding: data, as: UTF8.self))) }
    }
}
