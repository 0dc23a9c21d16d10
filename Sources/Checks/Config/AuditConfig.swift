import Foundation

/// What to audit and how to gate: the typed form of `audit.yml`.
public struct AuditConfig: Sendable {
    /// Which system this is (`pack:`): the journey service (docs/contract/journey.md) or the trip service
    /// (docs/contract/trip.md). It picks the rule file, the reference, the calls and the fixture shape.
    public var pack: Pack = .journey
    public var baseURL: URL
    /// More base URLs of the same deployment (for the statelessness probe).
    public var instances: [URL] = []
    /// Overrides of the contract's paths, by call name (the pack's `calls`).
    public var paths: [String: String] = [:]
    /// What is certified: name, version, environment (shown in every format).
    public var identity = TargetIdentity()
    /// Read at the start of the audit for the version (a `/version` or build-info endpoint).
    public var versionURL: URL?
    /// Headers sent with every request to the target (API, fixtures, race, load, Socket.IO
    /// upgrade): a `Host` override, a WAF bypass token. Values never appear in a report.
    public var targetHeaders: [String: String] = [:]
    /// How the race rule sends its burst: the single-packet HTTP/2 sender where it can (`auto`:
    /// when TLS offers h2 by ALPN, or at `http2URL`), always (`always`: failing otherwise), or
    /// last-byte sync over HTTP/1.1 only (`never`).
    public var http2: HTTP2Mode = .auto
    /// Where the deployment speaks HTTP/2 when not at `baseURL` (an h2c listener of its own).
    public var http2URL: URL?
    /// How the auditor verifies `https://` and `wss://`; nil: the system's CAs, full verification.
    public var tls: TLSSpec?
    /// The deployment's Redis, read-only; nil makes the Redis rules inconclusive.
    public var redisURL: String?
    /// TLS for a `rediss://` URL; nil: the `tls:` settings (else the system's CAs).
    public var redisTLS: TLSSpec?
    /// The journey-shaped load of JRN-SCALE-001; nil makes that rule not applicable.
    public var scale: ScaleSpec?
    /// A waivers file (accepted risks, each with an expiry).
    public var waiversFile: String?
    /// The auditor's fault proxy: it listens on `listen`, forwards to `upstream` (the real Redis),
    /// and the target reaches its Redis through it, so the store can be cut during a probe.
    public var redisProxy: (listen: HostPort, upstream: HostPort)?
    /// The deployment's own store command timeout (ms), as it states it: the bound of
    /// JRN-SLOWSTORE-001 (nil: that rule is not checked).
    public var redisTimeoutMs: Double?
    /// The most store commands one call waits on in sequence, each bounded by `redisTimeoutMs`
    /// (nil: the rule's default): JRN-SLOWSTORE-001's bound is this many timeouts plus a margin.
    public var redisCommandsPerCall: Int?
    /// Run the long probes too (`long: true`, or `--long`): minutes of waiting on a TTL.
    public var long = false
    /// Where the auditor's EventBridge endpoint listens (host:port); the target publishes there.
    public var eventBridgeListen: HostPort?
    public var socketURL: URL?
    /// The `Origin` the Socket.IO client sends; nil: the socket URL's own `http(s)://host:port`.
    public var socketOrigin: String?
    /// More headers for the Socket.IO upgrade request (e.g. a cookie or an API gateway key).
    public var socketHeaders: [String: String] = [:]
    /// The trip pack's settings (`trip:`); defaults for any other pack.
    public var trip = TripSettings()
    /// Rules left out on purpose, each with why, who and until when.
    public var exclusions: [Exclusion] = []
    public var sourcePaths: [String] = []
    public var fixtures: FixtureSpec
    public var gate = Gate()
    /// Non-fatal remarks found while loading (unknown keys).
    public var warnings: [String] = []

    public init(baseURL: URL, fixtures: FixtureSpec) {
        self.baseURL = baseURL
        self.fixtures = fixtures
    }

    /// Whether every TLS connection of the audit is verified (false under `insecureSkipVerify`).
    public var verifiesTLS: Bool { !(tls?.insecureSkipVerify ?? false) && !(redisTLS?.insecureSkipVerify ?? false) }
}

/// `target.http2`: whether the race may, must or must not use the single-packet HTTP/2 sender.
public enum HTTP2Mode: String, Sendable, CaseIterable, Codable {
    case auto, always, never
}

public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Where fresh sessions come from: exactly one of these.
public enum FixtureSpec: Sendable, Equatable {
    /// Each fixture is the JSON answer of one request.
    case http(url: URL, method: String, headers: [String: String])
    /// Each fixture is the stdout of one run of the command.
    case command([String])
    /// A fixed list, consumed in order; each is one JSON object.
    case fixed([String])
}

/// When CI should fail. By default exactly when the verdict is not READY (exit code = verdict);
/// `accept: not-ready`, `failOn` and `--fail-on-new` loosen or shift it, explicitly.
public struct Gate: Sendable, Equatable, Codable {
    public enum FailOn: String, Sendable, Codable, CaseIterable {
        case blocker, important, advisory, none
    }

    /// Which verdicts pass the gate.
    public enum Accept: String, Sendable, Codable, CaseIterable {
        case ready
        /// READY or NOT READY: only DO NOT DEPLOY (and INCOMPLETE) fail.
        case notReady = "not-ready"
    }

    public var accept: Accept = .ready
    public var minScore: Double = 90
    public var failOn: FailOn = .blocker
    /// Gate on new failures only (against the baseline); a still-failing blocker fails unless waived.
    public var failOnNew = false

    public init(accept: Accept = .ready, minScore: Double = 90, failOn: FailOn = .blocker, failOnNew: Bool = false) {
        self.accept = accept
        self.minScore = minScore
        self.failOn = failOn
        self.failOnNew = failOnNew
    }

    enum CodingKeys: String, CodingKey { case accept, minScore, failOn, failOnNew }

    /// Reports written before `accept` and `failOnNew` existed still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accept = try c.decodeIfPresent(Accept.self, forKey: .accept) ?? .ready
        minScore = try c.decode(Double.self, forKey: .minScore)
        failOn = try c.decode(FailOn.self, forKey: .failOn)
        failOnNew = try c.decodeIfPresent(Bool.self, forKey: .failOnNew) ?? false
    }

    /// Why the gate fails, or an empty list when it passes. Waived findings never fail it.
    public func failures(_ findings: [Finding], scorecard: Scorecard, rules: [Rule], baseline: BaselineComparison? = nil) -> [String] {
        if scorecard.verdict == .incomplete {
            return ["the audit is INCOMPLETE: \(scorecard.verdictReasons.joined(separator: "; "))"]
        }
        var reasons: [String] = []
        func add(_ reason: String) { if !reasons.contains(reason) { reasons.append(reason) } }
        // Waived rules leave the gate's verdict and score as excluded ones do; the certification
        // itself stays as measured.
        let waived = findings.contains { $0.waiver != nil }
        let card = waived ? Scorecard(findings: findings.filter { $0.waiver == nil }, rules: rules) : scorecard
        let byID = Dictionary(rules.map { ($0.id, $0.severity) }, uniquingKeysWith: { a, _ in a })
        if failOnNew {
            // A blocker that was decided last time and is not now is a new gap in coverage: it fails
            // the gate as a new failure would. One that was not verified last time either is not new.
            for finding in findings where finding.waiver == nil && byID[finding.ruleID] == .blocker
                && (finding.status == .inconclusive || finding.status == .notChecked) {
                let before = baseline?.entries.first { $0.ruleID == finding.ruleID }?.before
                if before == nil || before == .pass || before == .fail {
                    add("\(finding.ruleID) not verified (blocker, \(finding.status.rawValue)), new")
                }
            }
        } else {
            let accepted: [Scorecard.Verdict] = accept == .ready ? [.ready] : [.ready, .notReady]
            if !accepted.contains(card.verdict) { card.verdictReasons.forEach(add) }
        }
        if card.measuredScore < minScore {
            add("score \(Judge.format(card.measuredScore))\(waived ? " (waived rules left out)" : "") is below the gate's minimum \(Judge.format(minScore))")
        }
        let severities: Set<Severity>
        switch failOn {
        case .blocker: severities = [.blocker]
        case .important: severities = [.blocker, .important]
        case .advisory: severities = Set(Severity.allCases)
        case .none: severities = []
        }
        for finding in findings where finding.status == .fail && finding.waiver == nil {
            guard let severity = byID[finding.ruleID] else { continue }
            let isNew = baseline?.change(of: finding.ruleID).map { $0 == .new } ?? true
            if failOnNew, !isNew {
                if severity == .blocker { add("\(finding.ruleID) still fails (blocker, not waived)") }
                continue
            }
            if severities.contains(severity) {
                add(failOnNew ? "\(finding.ruleID) failed (\(severity.rawValue)), new" : "\(finding.ruleID) failed (\(severity.rawValue))")
            }
        }
        return reasons
    }
}

/// `trip:` in audit.yml: the deployment's choices docs/contract/trip.md leaves to configuration.
public struct TripSettings: Sendable, Equatable {
    /// The replay header's name (`X-Idempotent-Replay` as seed 004; Stripe's is `Idempotent-Replayed`).
    public var replayHeader = "X-Idempotent-Replay"
    /// How long TRP-IDEM-004 waits before it replays a key (longer than any cache in front of the
    /// store would keep it); nil: the rule's 30 s.
    public var cacheSeconds: Double?
    /// A command that restarts the target and returns (TRP-IDEM-004 replays a key after it);
    /// nil: the restart is not tried.
    public var restartCommand: [String]?

    public init() {}
}
