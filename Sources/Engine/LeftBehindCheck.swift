import Checks
import Foundation
import Probes
import Wire

/// After the audit, every session it used is read back: a journey still active means a scenario
/// (or the target) left one behind. Redis `EXISTS journey:active:{id}` when the auditor can read
/// the target's Redis, else live polling as the session's student. Bounded: at most `limit`
/// sessions, read 16 at a time.
enum LeftBehindCheck {
    static let limit = 1000

    static func run(_ system: ProbeSystem, sessions: [ProbeFixture]) async -> LeftBehind {
        var seen = Set<String>()
        // A non-scheduled session is read back too: a wrong start gives it a journey (JRN-SCHEDULED-001).
        let unique = sessions.flatMap { [$0] + ($0.nonScheduled.map { [$0] } ?? []) }.filter { seen.insert($0.sessionId).inserted }
        let checked = Array(unique.prefix(limit))
        if let url = system.redis, system.redisUnavailable == nil, let inspector = try? await RedisInspector.connect(url, tls: system.redisTLS) {
            defer { inspector.close() }
            let results = await read(checked) { f in try await inspector.exists(StateKeys.journeyActive(f.sessionId)) }
            return summary("EXISTS journey:active:{id}", checked, results, total: unique.count)
        }
        let results = await read(checked) { f in
            let response = try await system.api.client.send(system.api.request(.liveLocation, sessionId: f.sessionId, token: f.student.token))
            guard let data = response.json?["data"] as? [String: Any], let active = data["isActive"] as? Bool else {
                throw ProbeError("live polling answered \(response.status) without isActive")
            }
            return active
        }
        return summary("live polling as the student", checked, results, total: unique.count)
    }

    private static func read(_ fixtures: [ProbeFixture], _ body: @escaping @Sendable (ProbeFixture) async throws -> Bool) async -> [Result<Bool, Error>] {
        var results: [Result<Bool, Error>] = []
        var index = 0
        while index < fixtures.count {
            let chunk = Array(fixtures[index..<min(index + 16, fixtures.count)])
            index += chunk.count
            results += await withTaskGroup(of: (Int, Result<Bool, Error>).self) { group in
                for (offset, f) in chunk.enumerated() {
                    group.addTask {
                        do { return (offset, .success(try await body(f))) } catch { return (offset, .failure(error)) }
                    }
                }
                // Collected, then put back in order: assigning `out[offset]` inside this loop
                // trapped in release builds (Swift 6.3.1) although every offset is in range.
                var collected: [(offset: Int, result: Result<Bool, Error>)] = []
                for await item in group { collected.append(item) }
                return collected.sorted { $0.offset < $1.offset }.map(\.result)
            }
        }
        return results
    }

    private static func summary(_ method: String, _ fixtures: [ProbeFixture], _ results: [Result<Bool, Error>], total: Int) -> LeftBehind {
        var active: [String] = [], unverified: [String] = []
        for (fixture, result) in zip(fixtures, results) {
            switch result {
            case .success(true): active.append(fixture.sessionId)
            case .success(false): continue
            case .failure(let error): unverified.append("\(fixture.sessionId): \(WireErrors.plain(error))")
            }
        }
        if total > fixtures.count { unverified.append("\(total - fixtures.count) more sessions not read back (limit \(limit))") }
        return LeftBehind(method: method, sessionsChecked: fixtures.count, active: active, unverified: unverified)
    }
}
