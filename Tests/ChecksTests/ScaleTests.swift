import Foundation
import Testing
@testable import Checks

@Suite("Scale: results, merge, judgement, shards")
struct ScaleTests {
    func result(_ latenciesMicros: [UInt64], journeys: Int = 10, statuses: [String: Int] = ["201": 0]) -> LoadResult {
        var result = LoadResult(journeys: journeys, durationSeconds: 60, shard: nil)
        var stats = LoadResult.CallStats()
        for value in latenciesMicros { _ = stats.latency.record(value) }
        stats.intended = latenciesMicros.count
        stats.sent = latenciesMicros.count
        stats.statuses = ["201": latenciesMicros.count]
        result.calls["locationUpdate"] = stats
        return result
    }

    @Test("merging shards equals one histogram of all values, exactly")
    func mergeIsExact() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<20_000).map { _ in UInt64.random(in: 200...900_000, using: &generator) }
        let whole = result(values, journeys: 30)
        let shards = [result(Array(values[0..<7000]), journeys: 10), result(Array(values[7000..<13000]), journeys: 10), result(Array(values[13000...]), journeys: 10)]
        let merged = try #require(LoadResult.merge(shards))
        let a = try #require(whole.calls["locationUpdate"]), b = try #require(merged.calls["locationUpdate"])
        #expect(merged.journeys == 30 && merged.shardsMerged == 3)
        #expect(a.latency.totalCount == b.latency.totalCount)
        for p in [50.0, 90, 99, 99.9, 100] { #expect(a.latency.valueAtPercentile(p) == b.latency.valueAtPercentile(p), "p\(p)") }
        #expect(a.latency.max == b.latency.max && a.latency.min == b.latency.min)
        #expect(b.sent == 20_000 && b.statuses["201"] == 20_000)
        // It survives the JSON round trip `auditor load --out` / `auditor merge` make.
        let decoded = try JSONDecoder().decode(LoadResult.self, from: JSONEncoder().encode(merged))
        #expect(decoded.calls["locationUpdate"]?.latency.valueAtPercentile(99) == b.latency.valueAtPercentile(99))
    }

    @Test("judgement: limits, errors, and a driver that fell behind is inconclusive")
    func judgement() {
        var spec = ScaleSpec(journeys: 10, durationSeconds: 60)
        spec.p99Milliseconds = ["locationUpdate": 50, "liveLocation": 50]
        #expect(LoadJudgement(result(Array(repeating: 10_000, count: 100)), spec).passed)
        #expect(!LoadJudgement(result(Array(repeating: 80_000, count: 100)), spec).updateP99WithinLimit)
        var errors = result(Array(repeating: 10_000, count: 100))
        errors.calls["locationUpdate"]?.statuses = ["201": 90, "500": 10]
        #expect(!LoadJudgement(errors, spec).errorRateWithinLimit)
        var behind = result(Array(repeating: 10_000, count: 100))
        behind.calls["locationUpdate"]?.intended = 200
        let judged = LoadJudgement(behind, spec)
        #expect(judged.shortfall != nil && !judged.passed)
        #expect(judged.summary.hasPrefix("INCONCLUSIVE"))
    }

    @Test func shards() throws {
        #expect(try Shard(parsing: "2/3").share(of: 10) == 3)
        #expect(try Shard(parsing: "1/3").share(of: 10) == 4)
        #expect((try (1...3).map { try Shard(parsing: "\($0)/3").share(of: 10_001) }).reduce(0, +) == 10_001)
        #expect(throws: ConfigError.self) { try Shard(parsing: "4/3") }
        #expect(throws: ConfigError.self) { try Shard(parsing: "x") }
    }

    @Test("scale: in audit.yml")
    func config() throws {
        let loader = ConfigLoader(environment: [:])
        let config = try loader.parse("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nscale: {journeys: 10000, duration: 2m, pollInterval: 3, p99: {liveLocation: 80}, maxErrorRate: 0.005}", file: "a.yml")
        let scale = try #require(config.scale)
        #expect(scale.journeys == 10_000 && scale.durationSeconds == 120 && scale.pollIntervalSeconds == 3)
        #expect(scale.p99Milliseconds["liveLocation"] == 80 && scale.maxErrorRate == 0.005)
        let tooFast = #expect(throws: ConfigError.self) {
            try loader.parse("target: {baseURL: http://x}\nfixtures: {static: [{}]}\nscale: {journeys: 5, updateInterval: 2}", file: "a.yml")
        }
        #expect(tooFast?.key == "scale.updateInterval")
    }
}
