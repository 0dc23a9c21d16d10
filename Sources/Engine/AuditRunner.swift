import Checks
import Foundation
import Probes
import Synchronization
import Wire

/// Runs an audit end to end: starts the oracle, runs every selected rule's scenario on the
/// target and on the oracle, judges each pair, reads every used session back, and assembles the
/// report. Only a usage error throws: an audit that cannot run still returns a report, with the
/// verdict INCOMPLETE and the reason in plain words (issue 10 §6).
public enum AuditRunner {
    public static func run(_ request: AuditRequest, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> AuditReport {
        let selected = try request.selectedRules()
        let probes = try selected.map { rule -> (Rule, any Probe) in
            guard let probe = ProbeCatalog.probe(rule.probe.kind) else { throw AuditError.unknownProbe(rule: rule.id, kind: rule.probe.kind) }
            return (rule, probe)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let now = Date()
        let day = String(now.formatted(.iso8601.year().month().day()))
        let (exclusions, expired) = Exclusion.inForce(request.config.exclusions, on: day)
        let excluded = Dictionary(exclusions.map { ($0.rule, $0) }, uniquingKeysWith: { a, _ in a })
        var warnings = request.config.warnings + expired
        var identity = request.config.identity

        func report(_ findings: [Finding], incomplete: String? = nil, leftBehind: LeftBehind? = nil) -> AuditReport {
            var report = AuditReport(target: request.config.baseURL.absoluteString, generatedAt: now.formatted(.iso8601), auditorVersion: request.auditorVersion,
                                     catalogue: request.catalogue, durationSeconds: (clock.now - started).inSeconds,
                                     findings: findings, gate: request.config.gate, warnings: warnings, incomplete: incomplete, leftBehind: leftBehind)
            let transport = Transport.of(request.config)
            report.transport = transport.tls ? transport : nil
            report.identity = identity.isEmpty ? nil : identity
            return report
        }
        /// Every rule of the pack, in catalogue order: run ones from `ran`, the rest not checked or excluded.
        func allFindings(_ ran: [String: Finding], notRun: String? = nil) -> [Finding] {
            request.catalogue.rules.map { rule in
                if excluded[rule.id] == nil, let finding = ran[rule.id] { return finding }
                let why = request.isSelected(rule) ? (notRun ?? "not run") : request.unselectedReason(rule)
                return Finding.notRun(rule.id, excludedBy: excluded[rule.id], otherwise: why)
            }
        }

        var target: TargetSystem
        do {
            target = try await TargetSystem.open(request)
        } catch let error as AuditError where error.isUsageError {
            throw error
        } catch {
            let reason = (error as? AuditError)?.description ?? WireErrors.plain(error)
            return report(allFindings([:], notRun: "the audit could not run"), incomplete: reason)
        }
        let oracle: Oracle
        do { oracle = try await Oracle.start(request.config.pack) } catch {
            await target.close()
            return report(allFindings([:], notRun: "the audit could not run"), incomplete: AuditError.referenceFailed(WireErrors.plain(error)).description)
        }
        progress("auditing \(request.config.baseURL.absoluteString) with \(probes.count) rules (\(request.catalogue.name) \(request.catalogue.version))")
        if let reason = await target.preflight() {
            await oracle.stop()
            await target.close()
            progress("the audit could not run: \(reason)")
            return report(allFindings([:], notRun: "the audit could not run"), incomplete: reason)
        }
        identity = target.identity
        warnings += target.warnings
        for warning in target.warnings { progress("warning: \(warning)") }
        let runnable = probes.filter { excluded[$0.0.id] == nil }
        let limits = request.config.scale?.limits ?? [:]
        var oracleSystem = oracle.system
        oracleSystem.long = target.system.long   // a long probe runs on both, or on neither
        if let trip = target.system.trip {
            // The same wait on both; a restart of the target is matched by the reference's store.
            oracleSystem.trip?.cacheSeconds = trip.cacheSeconds
            oracleSystem.trip?.restart = trip.restart == nil ? nil : ReferenceKeepsKeys()
        }
        let findings = await judgeAll(runnable, target: target.system, oracle: oracleSystem, limits: limits,
                                      parallelism: request.parallelism, progress: progress)
        // Journeys are stopped and read back; the trip contract has no call that removes a trip.
        var leftBehind: LeftBehind?
        if request.config.pack == .journey {
            let check = await LeftBehindCheck.run(target.system, sessions: target.fixturesHandedOut())
            progress(check.line())
            leftBehind = check
        }
        await oracle.stop()
        await target.close()
        return report(allFindings(Dictionary(findings.map { ($0.ruleID, $0) }, uniquingKeysWith: { a, _ in a })), leftBehind: leftBehind)
    }

    /// Shared rules run `parallelism` at a time; exclusive ones afterwards, one by one, and those
    /// that take something shared away (the store) last of all.
    static func judgeAll(_ probes: [(Rule, any Probe)], target: ProbeSystem, oracle: ProbeSystem, limits: [String: Double], parallelism: Int,
                         progress: @escaping @Sendable (String) -> Void) async -> [Finding] {
        let total = probes.count
        let shared = probes.enumerated().filter { !$0.element.1.exclusive }
        let exclusive = probes.enumerated().filter { $0.element.1.exclusive }.sorted { !$0.element.1.runsLast && $1.element.1.runsLast }
        var results: [Int: Finding] = [:]
        await withTaskGroup(of: (Int, Finding).self) { group in
            var pending = shared.makeIterator()
            func launch() {
                guard let (index, (rule, probe)) = pending.next() else { return }
                group.addTask { (index, await judge(rule, probe, target: target, oracle: oracle, limits: limits)) }
            }
            for _ in 0..<max(1, parallelism) { launch() }
            while let (index, finding) = await group.next() {
                results[index] = finding
                progress(line(finding, done: results.count, total: total))
                launch()
            }
        }
        // Fixtures for the probes that take the store away, fetched before the first of them runs:
        // a service that does not recover from one must not leave the next without fixtures (the
        // supply often needs the same store), or the next rule's verdict would be the first's.
        var reserved: [Int: (target: ProbeSystem, oracle: ProbeSystem)] = [:]
        for (index, (rule, probe)) in exclusive where probe.runsLast {
            let count = probe.fixturesNeeded(rule.probe)
            reserved[index] = (await ReservedFixtures.reserve(count, from: target), await ReservedFixtures.reserve(count, from: oracle))
        }
        for (index, (rule, probe)) in exclusive {
            let finding = await judge(rule, probe, target: reserved[index]?.target ?? target, oracle: reserved[index]?.oracle ?? oracle, limits: limits)
            results[index] = finding
            progress(line(finding, done: results.count, total: total))
        }
        return (0..<total).compactMap { results[$0] }
    }

    /// One rule: the same scenario on both systems at once, then the comparison.
    static func judge(_ rule: Rule, _ probe: any Probe, target: ProbeSystem, oracle: ProbeSystem, limits: [String: Double]) async -> Finding {
        async let observedTarget = Prober.observe(probe, rule.probe, on: target)
        async let observedOracle = Prober.observe(probe, rule.probe, on: oracle)
        return Judge.judge(rule, target: await observedTarget, oracle: await observedOracle, limits: limits)
    }

    static func line(_ finding: Finding, done: Int, total: Int) -> String {
        "[\(done)/\(total)] \(finding.ruleID) \(finding.status.rawValue) (\(String(format: "%.1f", finding.target.seconds)) s)"
    }
}

/// Fixtures taken from a system's supply ahead of time, handed out first; then the supply itself.
final class ReservedFixtures: FixtureSource {
    private let held: Mutex<[ProbeFixture]>
    private let supply: any FixtureSource

    init(_ fixtures: [ProbeFixture], then supply: any FixtureSource) {
        held = Mutex(fixtures)
        self.supply = supply
    }

    /// `system` with `count` fixtures fetched now (as many as the supply gives: a probe that
    /// finds it short fetches the rest itself, and says so if that fails).
    static func reserve(_ count: Int, from system: ProbeSystem) async -> ProbeSystem {
        var fixtures: [ProbeFixture] = []
        for _ in 0..<count {
            guard let fixture = try? await system.fixtures.next() else { break }
            fixtures.append(fixture)
        }
        var copy = system
        copy.fixtures = ReservedFixtures(fixtures, then: system.fixtures)
        return copy
    }

    func next() async throws -> ProbeFixture {
        if let fixture = held.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return fixture }
        return try await supply.next()
    }
}
