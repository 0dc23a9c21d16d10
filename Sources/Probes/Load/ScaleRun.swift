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
        /// Journeys whose stop did not answer 200 (404 for one that never started is fine).
        public var unstopped: Int
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
        // Every fixture is stopped, started or not: a start that answered 500 may still have started one.
        let stopped = try await forEach(fixtures) { f in
            let status = (try? await api.client.send(api.request(.stopJourney, sessionId: f.sessionId, token: f.trainer.token)))?.status
            return status == 200 || status == 404
        }
        let unstopped = stopped.filter { !$0 }.count
        progress(unstopped == 0 ? "stopped all \(fixtures.count) journeys" : "\(unstopped) of \(fixtures.count) journeys did not answer their stop with 200 or 404")
        guard starts.allSatisfy({ $0 }) else { throw ProbeError("only \(starts.filter { $0 }.count) of \(fixtures.count) journeys started") }
        let sent = result.calls.values.map(\.sent).reduce(0, +)
        return Outcome(result: result, requests: 2 * fixtures.count + sent, unstopped: unstopped)
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
