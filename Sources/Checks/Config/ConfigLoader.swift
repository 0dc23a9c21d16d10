import Foundation
import Yams

/// Reads `audit.yml` (or JSON, which is YAML too): `${VAR}` from the environment in any string,
/// errors that name the file, the key and what was expected, warnings for unknown keys.
public struct ConfigLoader {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func load(file: String) throws -> AuditConfig {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfigError(file: file, key: "", expected: "a readable config file", found: "\(error.localizedDescription)")
        }
        return try parse(text, file: file)
    }

    public func parse(_ text: String, file: String) throws -> AuditConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigError(file: file, key: "", expected: "valid YAML or JSON", found: "\(error)")
        }
        let doc = Reader(node: root ?? Node.mapping(Node.Mapping([])), path: "", file: file, environment: environment)
        var warnings: [String] = []
        try doc.mapping(allowed: ["target", "tls", "redis", "eventbridge", "socket", "source", "fixtures", "gate", "scale", "waivers", "exclude", "long", "pack", "trip"], warnings: &warnings)

        let target = try doc.required("target")
        try target.mapping(allowed: ["baseURL", "instances", "paths", "headers", "name", "version", "versionURL", "environment", "http2", "http2URL"],
                           warnings: &warnings)
        let baseURL = try target.required("baseURL").url()
        let fixtures = try fixtureSpec(try doc.required("fixtures"), warnings: &warnings)
        var config = AuditConfig(baseURL: baseURL, fixtures: fixtures)
        if let pack = doc.optional("pack") {
            let text = try pack.string()
            guard let parsed = Pack(rawValue: text) else { throw ConfigError(file: file, key: pack.path, expected: "one of \(Pack.names)", found: "'\(text)'") }
            config.pack = parsed
        }
        if let trip = doc.optional("trip") { config.trip = try tripSettings(trip, pack: config.pack, warnings: &warnings) }
        config.instances = try target.optional("instances")?.list().map { try $0.url() } ?? []
        if let paths = target.optional("paths") {
            let allowed = config.pack.calls
            for (key, value) in try paths.entries() {
                guard allowed.contains(key) else {
                    throw ConfigError(file: file, key: "target.paths.\(key)", expected: "one of \(allowed.joined(separator: ", ")) (the calls of the \(config.pack.rawValue) pack)", found: "'\(key)'")
                }
                let path = try value.string()
                guard path.hasPrefix("/") else { throw ConfigError(file: file, key: value.path, expected: "a path starting with /", found: "'\(path)'") }
                config.paths[key] = path
            }
        }
        config.identity = TargetIdentity(name: try target.optional("name")?.string(), version: try target.optional("version")?.string(),
                                         environment: try target.optional("environment")?.string())
        if let long = doc.optional("long") { config.long = try long.bool() }
        config.versionURL = try target.optional("versionURL")?.url()
        if let mode = target.optional("http2") {
            let text = try mode.string()
            guard let parsed = HTTP2Mode(rawValue: text) else {
                throw ConfigError(file: file, key: mode.path, expected: "one of \(HTTP2Mode.allCases.map(\.rawValue).joined(separator: ", "))", found: "'\(text)'")
            }
            config.http2 = parsed
        }
        config.http2URL = try target.optional("http2URL")?.url()
        if config.http2URL != nil, config.http2 == .never {
            throw ConfigError(file: file, key: "target.http2URL", expected: "no http2URL with http2: never", found: "both")
        }
        for (key, value) in try target.optional("headers")?.entries() ?? [] {
            guard Self.isToken(key) else { throw ConfigError(file: file, key: value.path, expected: "a header name", found: "'\(key)'") }
            config.targetHeaders[key] = try value.string()
        }
        if let tls = doc.optional("tls") {
            config.tls = try tlsSpec(tls, warnings: &warnings)
            if config.tls?.insecureSkipVerify == true {
                warnings.append("tls.insecureSkipVerify: the target's certificate is not verified; the certification says \"TLS not verified\".")
            }
        }
        if let redis = doc.optional("redis") {
            try redis.mapping(allowed: ["url", "proxy", "tls", "timeoutMs", "commandsPerCall"], warnings: &warnings)
            if let commands = redis.optional("commandsPerCall") {
                let count = try commands.number()
                guard count >= 1, count <= 20, count == count.rounded() else {
                    throw ConfigError(file: file, key: commands.path, expected: "a whole number within 1–20 (the most store commands one call waits on in sequence)",
                                      found: "\(Judge.format(count))")
                }
                config.redisCommandsPerCall = Int(count)
            }
            if let timeout = redis.optional("timeoutMs") {
                let ms = try timeout.number()
                guard ms >= 1, ms <= 60_000 else {
                    throw ConfigError(file: file, key: timeout.path, expected: "milliseconds within 1–60000 (the deployment's store command timeout)", found: "\(Judge.format(ms))")
                }
                config.redisTimeoutMs = ms
            }
            if let tls = redis.optional("tls") {
                config.redisTLS = try tlsSpec(tls, warnings: &warnings)
                if config.redisTLS?.insecureSkipVerify == true {
                    warnings.append("redis.tls.insecureSkipVerify: the Redis certificate is not verified; the certification says \"TLS not verified\".")
                }
            }
            if let proxy = redis.optional("proxy") {
                try proxy.mapping(allowed: ["listen", "upstream"], warnings: &warnings)
                config.redisProxy = (try proxy.required("listen").hostPort(), try proxy.required("upstream").hostPort())
            }
            if let url = redis.optional("url") {
                let text = try url.string()
                guard text.hasPrefix("redis://") || text.hasPrefix("rediss://") else {
                    throw ConfigError(file: file, key: url.path, expected: "a redis:// or rediss:// URL", found: "another scheme")
                }
                config.redisURL = text
            }
        }
        if let eventbridge = doc.optional("eventbridge") {
            try eventbridge.mapping(allowed: ["listen"], warnings: &warnings)
            config.eventBridgeListen = try eventbridge.optional("listen")?.hostPort()
        }
        if let socket = doc.optional("socket") {
            try socket.mapping(allowed: ["url", "origin", "headers"], warnings: &warnings)
            config.socketURL = try socket.optional("url")?.url(schemes: ["ws", "wss", "http", "https"])
            // python-engineio accepts only its own origin by default; say which one the app sends.
            config.socketOrigin = try socket.optional("origin")?.string()
            for (key, value) in try socket.optional("headers")?.entries() ?? [] { config.socketHeaders[key] = try value.string() }
        }
        if let source = doc.optional("source") {
            try source.mapping(allowed: ["paths"], warnings: &warnings)
            config.sourcePaths = try source.optional("paths")?.list().map { try $0.string() } ?? []
        }
        config.waiversFile = try doc.optional("waivers")?.string()
        config.exclusions = try doc.optional("exclude")?.list().map(exclusion) ?? []
        if let scale = doc.optional("scale") { config.scale = try scaleSpec(scale, warnings: &warnings) }
        if let gate = doc.optional("gate") {
            try gate.mapping(allowed: ["accept", "minScore", "failOn"], warnings: &warnings)
            if let accept = gate.optional("accept") {
                let text = try accept.string()
                guard let value = Gate.Accept(rawValue: text) else {
                    throw ConfigError(file: file, key: accept.path, expected: "one of \(Gate.Accept.allCases.map(\.rawValue).joined(separator: ", "))", found: "'\(text)'")
                }
                config.gate.accept = value
            }
            if let minScore = gate.optional("minScore") {
                let value = try minScore.number()
                guard (0...100).contains(value) else { throw ConfigError(file: file, key: minScore.path, expected: "a score within 0–100", found: "\(value)") }
                config.gate.minScore = value
            }
            if let failOn = gate.optional("failOn") {
                let text = try failOn.string()
                guard let value = Gate.FailOn(rawValue: text) else {
                    throw ConfigError(file: file, key: failOn.path, expected: "one of blocker, important, advisory, none", found: "'\(text)'")
                }
                config.gate.failOn = value
            }
        }
        config.warnings = warnings
        return config
    }

    /// `trip:` (only with `pack: trip`): the replay header's name, the wait of TRP-IDEM-004 and the
    /// command that restarts the target.
    private func tripSettings(_ node: Reader, pack: Pack, warnings: inout [String]) throws -> TripSettings {
        guard pack == .trip else { throw ConfigError(file: node.file, key: node.path, expected: "trip: only with pack: trip", found: "pack: \(pack.rawValue)") }
        try node.mapping(allowed: ["replayHeader", "cacheSeconds", "restartCommand"], warnings: &warnings)
        var settings = TripSettings()
        if let header = node.optional("replayHeader") {
            let name = try header.string()
            guard Self.isToken(name) else { throw ConfigError(file: node.file, key: header.path, expected: "a header name", found: "'\(name)'") }
            settings.replayHeader = name
        }
        if let wait = node.optional("cacheSeconds") {
            let seconds = try wait.seconds()
            guard seconds >= 1, seconds <= 86_400 else {
                throw ConfigError(file: node.file, key: wait.path, expected: "seconds within 1–86400 (longer than a cache would keep a key)", found: "\(Judge.format(seconds))")
            }
            settings.cacheSeconds = seconds
        }
        if let command = node.optional("restartCommand") {
            let words = try command.list().map { try $0.string() }
            guard !words.isEmpty else { throw ConfigError(file: node.file, key: command.path, expected: "a command and its arguments", found: "an empty list") }
            settings.restartCommand = words
        }
        return settings
    }

    /// `tls:`: files relative to the config file's directory; a certificate without its key (or
    /// the reverse) is an error here, not a handshake failure later.
    private func tlsSpec(_ node: Reader, warnings: inout [String]) throws -> TLSSpec {
        try node.mapping(allowed: TLSSpec.keys, warnings: &warnings)
        let base = URL(fileURLWithPath: node.file).deletingLastPathComponent()
        func path(_ key: String) throws -> String? {
            guard let child = node.optional(key) else { return nil }
            let text = try child.string()
            guard !text.isEmpty else { throw ConfigError(file: node.file, key: child.path, expected: "a file path", found: "an empty string") }
            return text.hasPrefix("/") ? text : base.appendingPathComponent(text).path
        }
        var spec = TLSSpec(caFile: try path("caFile"), clientCert: try path("clientCert"), clientKey: try path("clientKey"),
                           serverName: try node.optional("serverName")?.string(),
                           insecureSkipVerify: try node.optional("insecureSkipVerify")?.bool() ?? false)
        if (spec.clientCert == nil) != (spec.clientKey == nil) {
            let missing = spec.clientCert == nil ? "clientCert" : "clientKey"
            throw ConfigError(file: node.file, key: "\(node.path).\(missing)", expected: "clientCert and clientKey together (mTLS)", found: "only one of them")
        }
        if spec.serverName?.isEmpty == true { spec.serverName = nil }
        return spec
    }

    /// An HTTP field name (RFC 9110 §5.1: a token).
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0)) }
    }

    /// `exclude: [{rule, justification, owner, expires}]`: all four are required.
    private func exclusion(_ node: Reader) throws -> Exclusion {
        var ignored: [String] = []
        try node.mapping(allowed: ["rule", "justification", "owner", "expires"], warnings: &ignored)
        if let unknown = ignored.first { throw ConfigError(file: node.file, key: node.path, expected: "only rule, justification, owner, expires", found: unknown) }
        func text(_ key: String) throws -> String {
            let child = try node.required(key)
            let value = try child.string().trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw ConfigError(file: node.file, key: child.path, expected: "a non-empty \(key)", found: "nothing") }
            return value
        }
        let expires = try text("expires")
        guard WaiverLoader.isDay(expires) else { throw ConfigError(file: node.file, key: "\(node.path).expires", expected: "a date YYYY-MM-DD", found: "'\(expires)'") }
        return Exclusion(rule: try text("rule"), justification: try text("justification"), owner: try text("owner"), expires: expires)
    }

    private func scaleSpec(_ node: Reader, warnings: inout [String]) throws -> ScaleSpec {
        try node.mapping(allowed: ["journeys", "duration", "targetJourneys", "updateInterval", "pollInterval", "p99", "maxErrorRate", "maxInFlight"], warnings: &warnings)
        /// A positive value within a sane range: the load's schedule is built from these, so an
        /// absurd one must be an error, not an endless loop.
        func positive(_ key: String, atLeast minimum: Double = 0.001, atMost maximum: Double) throws -> Double? {
            guard let child = node.optional(key) else { return nil }
            let value = try child.seconds()
            guard value >= minimum, value <= maximum else {
                throw ConfigError(file: node.file, key: child.path, expected: "a number within \(Judge.format(minimum))–\(Judge.format(maximum))", found: "\(value)")
            }
            return value
        }
        let journeys = try node.required("journeys")
        guard let count = Int(try journeys.string()), (1...1_000_000).contains(count) else {
            throw ConfigError(file: node.file, key: journeys.path, expected: "a whole number of journeys within 1–1000000", found: "'\(try journeys.string())'")
        }
        var spec = ScaleSpec(journeys: count, durationSeconds: try positive("duration", atLeast: 1, atMost: 86_400) ?? 60)
        if let interval = try positive("updateInterval", atMost: 3600) {
            guard interval >= 5 else { throw ConfigError(file: node.file, key: "scale.updateInterval", expected: "at least 5 s (the contract's rate limit)", found: "\(interval)") }
            spec.updateIntervalSeconds = interval
        }
        if let interval = try positive("pollInterval", atLeast: 0.1, atMost: 3600) { spec.pollIntervalSeconds = interval }
        if let p99 = node.optional("p99") {
            for (call, value) in try p99.entries() {
                guard LoadResultCalls.names.contains(call) else {
                    throw ConfigError(file: node.file, key: value.path, expected: "one of \(LoadResultCalls.names.joined(separator: ", "))", found: "'\(call)'")
                }
                let limit = try value.number()
                guard limit > 0 else { throw ConfigError(file: node.file, key: value.path, expected: "a positive number of milliseconds", found: "\(limit)") }
                spec.p99Milliseconds[call] = limit
            }
        }
        if let rate = node.optional("maxErrorRate") {
            let value = try rate.number()
            guard (0...1).contains(value) else { throw ConfigError(file: node.file, key: rate.path, expected: "a fraction within 0–1", found: "\(value)") }
            spec.maxErrorRate = value
        }
        if let inFlight = try positive("maxInFlight", atLeast: 1, atMost: 1_000_000) { spec.maxInFlight = Int(inFlight) }
        if let target = node.optional("targetJourneys") {
            guard let count = Int(try target.string()), count >= 1 else {
                throw ConfigError(file: node.file, key: target.path, expected: "a whole number of journeys the deployment must carry in production", found: "'\(try target.string())'")
            }
            spec.targetJourneys = count
        }
        return spec
    }

    private func fixtureSpec(_ node: Reader, warnings: inout [String]) throws -> FixtureSpec {
        try node.mapping(allowed: ["http", "command", "static"], warnings: &warnings)
        let given = ["http", "command", "static"].filter { node.optional($0) != nil }
        guard given.count == 1 else {
            throw ConfigError(file: node.file, key: "fixtures", expected: "exactly one of http, command, static",
                              found: given.isEmpty ? "none" : given.joined(separator: " and "))
        }
        if let http = node.optional("http") {
            try http.mapping(allowed: ["url", "method", "headers"], warnings: &warnings)
            let url = try http.required("url").url()
            let method = try http.optional("method")?.string().uppercased() ?? "POST"
            var headers: [String: String] = [:]
            for (key, value) in try http.optional("headers")?.entries() ?? [] { headers[key] = try value.string() }
            return .http(url: url, method: method, headers: headers)
        }
        if let command = node.optional("command") {
            let words = try command.list().map { try $0.string() }
            guard !words.isEmpty else { throw ConfigError(file: node.file, key: command.path, expected: "a command and its arguments", found: "an empty list") }
            return .command(words)
        }
        let list = try node.required("static").list()
        guard !list.isEmpty else { throw ConfigError(file: node.file, key: "fixtures.static", expected: "at least one fixture", found: "an empty list") }
        return .fixed(try list.map { try $0.json() })
    }
}
