import Foundation
import Histogram

/// What a load run measured, per call: intended vs sent, answers by status, and latency from the
/// *intended* send time (so a stalled driver or server shows as latency, not as fewer requests).
/// Shards merge exactly: counts add, and histograms add bucket by bucket.
public struct LoadResult: Sendable, Codable {
    public struct CallStats: Sendable, Codable {
        public var intended = 0
        public var sent = 0
        /// Sent more than `lateThresholdMs` after their intended time: the driver fell behind.
        public var late = 0
        public var statuses: [String: Int] = [:]
        /// No answer at all (refused, timed out).
        public var failures = 0
        /// Microseconds from intended send to answer.
        public var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

        public init() {}

        public var errors: Int { statuses.filter { !(200..<300).contains(Int($0.key) ?? 0) }.map(\.value).reduce(0, +) + failures }
        public var errorRate: Double { sent == 0 ? 0 : Double(errors) / Double(sent) }
        public func percentileMs(_ p: Double) -> Double { Double(latency.valueAtPercentile(p)) / 1000 }
        public var maxMs: Double { Double(latency.max) / 1000 }

        mutating func merge(_ other: CallStats) {
            intended += other.intended
            sent += other.sent
            late += other.late
            failures += other.failures
            statuses.merge(other.statuses, uniquingKeysWith: +)
            latency.add(other.latency)
        }
    }

    public static let lateThresholdMs = 100.0
    public static let calls = LoadResultCalls.names

    public var journeys: Int
    public var durationSeconds: Double
    /// The scale production must carry (`scale.targetJourneys`), when the config states it.
    public var targetJourneys: Int?
    /// "i/N" for a shard, nil for a whole run or a merge.
    public var shard: String?
    public var shardsMerged = 1
    public var calls: [String: CallStats]

    public init(journeys: Int, durationSeconds: Double, shard: String?) {
        self.journeys = journeys
        self.durationSeconds = durationSeconds
        self.shard = shard
        calls = Dictionary(uniqueKeysWithValues: Self.calls.map { ($0, CallStats()) })
    }

    /// One result of all shards: journeys and counts add, histograms add exactly.
    public static func merge(_ results: [LoadResult]) -> LoadResult? {
        guard var merged = results.first else { return nil }
        merged.shard = nil
        for other in results.dropFirst() {
            merged.journeys += other.journeys
            merged.durationSeconds = max(merged.durationSeconds, other.durationSeconds)
            merged.shardsMerged += other.shardsMerged
            for (name, stats) in other.calls { merged.calls[name, default: CallStats()].merge(stats) }
        }
        return merged
    }

    /// Why the driver did not apply the intended load, or nil when it did.
    public var driverShortfall: String? {
        for name in Self.calls {
            guard let stats = calls[name], stats.intended > 0 else { continue }
            if stats.sent < stats.intended { return "\(name): sent \(stats.sent) of \(stats.intended) intended requests" }
            // 1 % late, but at least 2: in a small load one scheduling hiccup of the machine
            // running the driver would otherwise void the whole measurement.
            if Double(stats.late) > max(0.01 * Double(stats.intended), 2) {
                return "\(name): \(stats.late) of \(stats.intended) requests left more than \(Int(Self.lateThresholdMs)) ms after their intended time"
            }
        }
        return nil
    }

    /// "tested at 20 journeys for 6 s (target scale: 10000 journeys, not reached)": what a run shows, never more.
    public var scope: String {
        let tested = "tested at \(journeys) journeys for \(Judge.format(durationSeconds)) s"
        guard let target = targetJourneys else { return "\(tested) (target scale: not stated; set scale.targetJourneys)" }
        return "\(tested) (target scale: \(target) journeys\(journeys < target ? ", not reached" : ""))"
    }

    /// The Markdown table (and Mermaid chart) of the certification's scale section and `auditor load`.
    public var markdown: String {
        var lines = ["| call | intended/s | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |",
                     "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for name in Self.calls {
            guard let s = calls[name] else { continue }
            let errors = s.statuses.filter { !(200..<300).contains(Int($0.key) ?? 0) }.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
                + (s.failures > 0 ? ["no answer×\(s.failures)"] : [])
            lines.append("| \(name) | \(f(Double(s.intended) / durationSeconds)) | \(f(Double(s.sent) / durationSeconds)) | \(f(s.percentileMs(50))) | \(f(s.percentileMs(90))) | \(f(s.percentileMs(99))) | \(f(s.percentileMs(99.9))) | \(f(s.maxMs)) | \(errors.isEmpty ? "none" : errors.joined(separator: ", ")) (\(f(100 * s.errorRate)) %) |")
        }
        // Named lines with a legend (Mermaid draws it where it can; the names stay readable in the text).
        lines += ["", "```mermaid", "---", "config:", "  xyChart:", "    showLegend: true", "---", "xychart-beta",
                  "    title \"Latency percentiles (ms), \(journeys) journeys\"",
                  "    x-axis [\"p50\", \"p90\", \"p99\", \"p99.9\"]", "    y-axis \"ms\""]
        for name in Self.calls {
            if let s = calls[name] { lines.append("    line \"\(name)\" [\([50, 90, 99, 99.9].map { f(s.percentileMs($0)) }.joined(separator: ", "))]") }
        }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    private func f(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}

/// The calls the load drives, by their config names.
public enum LoadResultCalls {
    public static let names = ["locationUpdate", "liveLocation"]
}

extension Observation {
    /// The load measurement the scale probe attached, if any.
    public var loadResult: LoadResult? {
        guard case .string(let json) = facts["loadResult"] else { return nil }
        return try? JSONDecoder().decode(LoadResult.self, from: Data(json.utf8))
    }
}

/// A load result judged against `scale:` limits; what JRN-SCALE-001, `auditor load` and `auditor merge` report.
public struct LoadJudgement: Sendable {
    /// Nil when the driver kept the schedule; otherwise why the result proves nothing.
    public var shortfall: String?
    public var updateP99WithinLimit: Bool
    public var pollP99WithinLimit: Bool
    public var errorRateWithinLimit: Bool

    public init(_ result: LoadResult, _ spec: ScaleSpec) {
        shortfall = result.driverShortfall
        func within(_ call: String) -> Bool {
            guard let stats = result.calls[call], let limit = spec.p99Milliseconds[call] else { return true }
            return stats.percentileMs(99) <= limit
        }
        updateP99WithinLimit = within("locationUpdate")
        pollP99WithinLimit = within("liveLocation")
        errorRateWithinLimit = (result.calls.values.map(\.errorRate).max() ?? 0) <= spec.maxErrorRate
    }

    public var passed: Bool { shortfall == nil && updateP99WithinLimit && pollP99WithinLimit && errorRateWithinLimit }

    public var summary: String {
        if let shortfall { return "INCONCLUSIVE — the driver could not keep the intended rate: \(shortfall)" }
        var failed: [String] = []
        if !updateP99WithinLimit { failed.append("locationUpdate p99 over its limit") }
        if !pollP99WithinLimit { failed.append("liveLocation p99 over its limit") }
        if !errorRateWithinLimit { failed.append("error rate over maxErrorRate") }
        return failed.isEmpty ? "PASS — within every limit" : "FAIL — " + failed.joined(separator: "; ")
    }
}
