import ArgumentParser
import Checks
import Engine
import Foundation
import Probes

struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run only the journey-shaped load (JRN-SCALE-001) and print its latency table.",
        discussion: """
        Uses `scale:` from the config (journeys, duration, intervals, limits). With --shard i/N this \
        driver runs 1/N of the journeys; merge the shards' results with `auditor merge`. \
        Exit 0 within every limit, 1 over a limit, 2 when the driver could not keep the intended rate \
        or the run could not complete.
        """
    )

    @Option(help: "The audit configuration (audit.yml) with a scale: section.") var config: String
    @Option(help: "Journeys (overrides scale.journeys).") var journeys: Int?
    @Option(help: "Duration in seconds (overrides scale.duration).") var duration: Double?
    @Option(help: "This driver's share, i/N with 1 ≤ i ≤ N (e.g. a Kubernetes Indexed Job's JOB_COMPLETION_INDEX+1 of N).") var shard: String?
    @Option(help: "Where to write the result (JSON with the exact histograms).") var out = "load-result.json"

    func validate() throws {
        if let journeys, journeys < 1 { throw ValidationError("--journeys must be at least 1") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        let loaded: AuditConfig
        do { loaded = try ConfigLoader().load(file: config) } catch let error as ConfigError { throw ValidationError(error.description) }
        guard loaded.pack == .journey else { throw ValidationError("auditor load is for the journey pack; the trip pack's findings are re-checked with `auditor check RULE --config`") }
        guard var spec = loaded.scale ?? journeys.map({ ScaleSpec(journeys: $0, durationSeconds: duration ?? 60) }) else {
            throw ValidationError("\(config): no scale: section (or give --journeys)")
        }
        if let journeys { spec.journeys = journeys }
        if let duration { spec.durationSeconds = duration }
        let part = shard.flatMap { try? Shard(parsing: $0) }
        if let part { spec.journeys = part.share(of: spec.journeys) }
        progressLine("driving \(spec.journeys) journeys for \(Judge.format(spec.durationSeconds)) s\(part.map { " (shard \($0))" } ?? "")")
        let outcome: ScaleRun.Outcome
        do {
            outcome = try await ScaleRun.execute(api: JourneyAPI(baseURL: loaded.baseURL), fixtures: FixtureSources.make(loaded.fixtures),
                                                 spec: spec, shard: part?.description, progress: progressLine)
        } catch {
            progressLine("\(error)")
            throw ExitCodes.couldNotComplete
        }
        try LoadOutput.finish(outcome.result, spec: spec, out: out)
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results of sharded `auditor load` runs exactly (histograms, not averaged percentiles).",
        discussion: "Exit codes as for `auditor load`, judged against the limits of --config's scale: section (or the defaults)."
    )

    @Argument(help: "Result files written by `auditor load --out`.") var results: [String]
    @Option(help: "The audit configuration whose scale: limits apply.") var config: String?
    @Option(help: "Where to write the merged result.") var out = "load-merged.json"

    func run() throws {
        var loaded: [LoadResult] = []
        for file in results {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read it") }
            do { loaded.append(try JSONDecoder().decode(LoadResult.self, from: data)) } catch {
                throw ValidationError("\(file): not an `auditor load` result (\(error))")
            }
        }
        guard let merged = LoadResult.merge(loaded) else { throw ValidationError("give at least one result file") }
        var spec = ScaleSpec(journeys: merged.journeys, durationSeconds: merged.durationSeconds)
        if let config {
            do { spec = try ConfigLoader().load(file: config).scale ?? spec } catch let error as ConfigError { throw ValidationError(error.description) }
        }
        try LoadOutput.finish(merged, spec: spec, out: out)
    }
}

enum LoadOutput {
    static func finish(_ result: LoadResult, spec: ScaleSpec, out: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(result).write(to: URL(fileURLWithPath: out))
        let judgement = LoadJudgement(result, spec)
        print("\(result.journeys) journeys, \(Judge.format(result.durationSeconds)) s\(result.shardsMerged > 1 ? ", \(result.shardsMerged) shards merged" : "")")
        print(result.markdown)
        print(judgement.summary)
        print("wrote \(out)")
        if judgement.shortfall != nil { throw ExitCodes.couldNotComplete }
        if !judgement.passed { throw ExitCodes.gateFailed }
    }
}
