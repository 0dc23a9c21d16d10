import Checks
import Foundation
import Wire

/// One journey-shaped load run, start to finish: fixtures, every journey started, the open-model
/// load, every journey stopped. Shared by JRN-SCALE-001 and `auditor load`.
public enum ScaleRun {
    public struct Outcome: Sendable {
        public var result: LoadResult
        /// Every HTTP request sent to the target (fixtures, starts, load, stops).
        public var requests: Int
    }

    public static func execute(api: JourneyAPI, fixtures source: any FixtureSource, spec: ScaleSpec, shard: String?,
                               progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Outcome {
        let fixtures: [ProbeFixture]
        do { fixtures = try await source.batch(spec.journeys) } catch {
            throw ProbeError("could not get \(spec.journeys) fixtures: \(error)")
        }
        let starts = try await forEach(fixtures) { f in
            (try? await api.client.send(api.request(.startJourney, sessionId: f.sessionId, token: f.trainer.token)))?.status == 201
        }
        progress("started \(starts.filter { $0 }.count) of \(fixtures.count) journeys")
        let result = await LoadDriver(api: api, spec: spec).run(fixtures, shard: shard)
        _ = try await forEach(fixtures) { f in
            _ = try? await api.client.send(api.request(.stopJourney, sessionId: f.sessionId, token: f.trainer.token))
            return true
        }
        progress("stopped all \(fixtures.count) journeys")
        guard starts.allSatisfy({ $0 }) else { throw ProbeError("only \(starts.filter { $0 }.count) of \(fixtures.count) journeys started") }
        let sent = result.calls.values.map(\.sent).reduce(0, +)
        return Outcome(result: result, requests: 2 * fixtures.count + sent)
    }

    /// Runs `body` for every fixture, 32 at a time.
    static func forEach(_ fixtures: [ProbeFixture], _ body: @escaping @Sendable (ProbeFixture) async throws -> Bool) async throws -> [Bool] {
        var results: [Bool] = []
        var index = 0
        while index < fixtures.count {
            let chunk = fixtures[index..<min(index + 32, fixtures.count)]
            index += chunk.count
            results += try await withThrowingTaskGroup(of: Bool.self) { group in
                for f in chunk { group.addTask { try await body(f) } }
                var out: [Bool] = []
                for try await ok in group { out.append(ok) }
                return out
            }
        }
        return results
    }
}
