import Checks
import Foundation
import Probes
import Wire

/// Runs an audit end to end: starts the oracle, runs every selected rule's scenario on the
/// target and on the oracle, judges each pair, and assembles the report.
public enum AuditRunner {
    public static func run(_ request: AuditRequest, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> AuditReport {
        let rules = try request.selectedRules()
        let probes = try rules.map { rule -> (Rule, any Probe) in
            guard let probe = ProbeCatalog.probe(rule.probe.kind) else { throw AuditError.unknownProbe(rule: rule.id, kind: rule.probe.kind) }
            return (rule, probe)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let generatedAt = Date().formatted(.iso8601)

        let target = try await TargetSystem.open(request)
        let oracle: Oracle
        do { oracle = try await Oracle.start() } catch {
            await target.close()
            throw error
        }
        do {
            progress("auditing \(request.config.baseURL.absoluteString) with \(rules.count) rules (\(request.catalogue.name) \(request.catalogue.version))")
            try await target.preflight()
            let findings = await judgeAll(probes, target: target.system, oracle: oracle.system, parallelism: request.parallelism, progress: progress)
            await oracle.stop()
            await target.close()
            let elapsed = clock.now - started
            var warnings = request.config.warnings
            if request.config.redisURL == nil { warnings.append("No redis.url configured: rules that read Redis are inconclusive.") }
            if request.config.eventBridgeListen == nil, request.targetEvents == nil {
                warnings.append("No eventbridge.listen configured: rules that observe EventBridge are inconclusive.")
            }
            return AuditReport(
                target: request.config.baseURL.absoluteString, generatedAt: generatedAt, auditorVersion: request.auditorVersion,
                catalogue: request.catalogue, durationSeconds: elapsed.inSeconds,
                findings: findings, gate: request.config.gate, warnings: warnings
            )
        } catch {
            await oracle.stop()
            await target.close()
            throw error
        }
    }

    /// Shared rules run `parallelism` at a time; exclusive ones afterwards, one by one.
    static func judgeAll(_ probes: [(Rule, any Probe)], target: ProbeSystem, oracle: ProbeSystem, parallelism: Int,
                         progress: @escaping @Sendable (String) -> Void) async -> [Finding] {
        let total = probes.count
        let shared = probes.enumerated().filter { !$0.element.1.exclusive }
        let exclusive = probes.enumerated().filter { $0.element.1.exclusive }
        var results: [Int: Finding] = [:]
        await withTaskGroup(of: (Int, Finding).self) { group in
            var pending = shared.makeIterator()
            func launch() {
                guard let (index, (rule, probe)) = pending.next() else { return }
                group.addTask { (index, await judge(rule, probe, target: target, oracle: oracle)) }
            }
            for _ in 0..<max(1, parallelism) { launch() }
            while let (index, finding) = await group.next() {
                results[index] = finding
                progress(line(finding, done: results.count, total: total))
                launch()
            }
        }
        for (index, (rule, probe)) in exclusive {
            let finding = await judge(rule, probe, target: target, oracle: oracle)
            results[index] = finding
            progress(line(finding, done: results.count, total: total))
        }
        return (0..<total).compactMap { results[$0] }
    }

    /// One rule: the same scenario on both systems at once, then the comparison.
    static func judge(_ rule: Rule, _ probe: any Probe, target: ProbeSystem, oracle: ProbeSystem) async -> Finding {
        async let observedTarget = Prober.observe(probe, rule.probe, on: target)
        async let observedOracle = Prober.observe(probe, rule.probe, on: oracle)
        return Judge.judge(rule, target: await observedTarget, oracle: await observedOracle)
    }

    static func line(_ finding: Finding, done: Int, total: Int) -> String {
        "[\(done)/\(total)] \(finding.ruleID) \(finding.status.rawValue) (\(String(format: "%.1f", finding.target.seconds)) s)"
    }
}
