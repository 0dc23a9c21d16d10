import Foundation

/// How a reader reproduces one finding: first the `auditor check` line (the same probe, the same
/// judgement), then, where the probe's steps are HTTP calls and Redis reads, a shell block that
/// runs inside `auditor reproduce` — which brings up the auditor's EventBridge endpoint and store
/// proxy and exports `BASE`, `INSTANCE_n`, `REDIS_URL` and `AUDITOR` (its control URL). The block
/// fetches its own fresh fixture, sets the failure condition the probe set (EventBridge mode,
/// store cut, a wait), prints one answer per step and says on that line what the reference
/// answered and what the target answered. It stops every journey it starts.
public struct Reproduction: Sendable, Equatable {
    /// `auditor check JRN-RACE-001 --config audit.yml`
    public var check: String
    /// The shell block, empty when the steps are not HTTP or Redis (Socket.IO emits, a source
    /// scan, a load run): `auditor check` is then the reproduction.
    public var script: [String]

    public static let configFile = "audit.yml"

    public static func of(_ finding: Finding) -> Reproduction {
        let check = "auditor check \(finding.ruleID) --config \(configFile)"
        let transcript = finding.target.transcript
        let scriptable = finding.target.untranscribedRequests == nil && finding.target.unscriptable == nil && !transcript.contains { $0.kind == .socket }
            && transcript.contains { $0.kind == .http || $0.kind == .redis }
        guard scriptable else { return Reproduction(check: check, script: []) }
        var builder = ScriptBuilder(target: transcript, oracle: finding.oracle.transcript)
        return Reproduction(check: check, script: builder.build())
    }
}

/// Turns a transcript into shell lines: literal session and trainer ids become the variables of
/// the block's own fixtures, identical consecutive requests become one concurrent burst.
struct ScriptBuilder {
    let target: [Exchange]
    let oracle: [Exchange]
    /// Session ids in order of first use: the n-th gets fixture n.
    private var sessions: [String] = []
    private var trainers: [String: Int] = [:]

    init(target: [Exchange], oracle: [Exchange]) {
        self.target = target.filter(Self.reproduced)
        self.oracle = oracle.filter(Self.reproduced)
    }

    static func reproduced(_ e: Exchange) -> Bool {
        switch e.kind {
        case .http: return !e.label.hasSuffix("(warm-up)")
        case .redis, .event, .control: return true
        case .socket, .note: return false
        }
    }

    mutating func build() -> [String] {
        for exchange in target { register(exchange) }
        let variables = usedVariables()
        // Every fixture first: fetching one may need the store, which a later step cuts.
        let fixtures = max(sessions.count, (variables.keys.max() ?? -1) + 1)
        var body = (0..<fixtures).map { fixtureLine($0, variables) }
        var eventBridgeSet = false, storeCut = false, burstExplained = false
        /// The probe restores EventBridge and the store before it cleans up: so does the block,
        /// or its stops would run against a failing EventBridge and leave journeys active.
        func restore() {
            if eventBridgeSet { body.append("curl -sf -o /dev/null -X PUT \"$AUDITOR/eventbridge/accept\"   # EventBridge accepts again") }
            if storeCut { body.append("curl -sf -o /dev/null -X PUT \"$AUDITOR/store/up\"   # the store is back") }
            eventBridgeSet = false
            storeCut = false
        }
        var index = 0
        while index < target.count {
            let exchange = target[index]
            var burst = 1
            while index + burst < target.count, target[index + burst].kind == .http, exchange.kind == .http,
                  target[index + burst].label == exchange.label, target[index + burst].request == exchange.request,
                  target[index + burst].body == exchange.body {
                burst += 1
            }
            switch exchange.kind {
            case .control:
                if exchange.request.hasPrefix("eventbridge ") { eventBridgeSet = !exchange.request.hasSuffix(" accept") }
                if exchange.request.hasPrefix("store ") { storeCut = !exchange.request.hasSuffix(" up") }
                body.append(control(exchange))
            case .http:
                if exchange.label.hasPrefix("cleanup") { restore() }
                if burst > 1, !burstExplained {
                    burstExplained = true
                    body.append("# \(burst) curl processes start less tightly than the audit's synchronized sender: "
                                + "if they answer as the reference, run it again or use `auditor check`")
                }
                body.append(http(exchange, at: index, burst: burst))
            case .redis:
                body.append(annotated("redis-cli --raw -u \"$REDIS_URL\" \(substitute(exchange.request, quoted: true))", at: index))
            case .event:
                body.append(event(exchange, at: index))
            case .socket, .note:
                break
            }
            index += burst
        }
        restore()
        return ["auditor reproduce --config \(Reproduction.configFile) -- bash -u <<'REPRO'"] + body + ["REPRO"]
    }

    // MARK: fixtures and variables

    /// Finds the session (and trainer) ids a step names, in order of first use.
    private mutating func register(_ exchange: Exchange) {
        for id in sessionIDs(in: exchange) where !sessions.contains(id) { sessions.append(id) }
        for (trainer, session) in trainerIDs(in: exchange.request) where trainers[trainer] == nil {
            trainers[trainer] = session.flatMap { sessions.firstIndex(of: $0) } ?? max(sessions.count - 1, 0)
        }
    }

    private func sessionIDs(in exchange: Exchange) -> [String] {
        var ids: [String] = []
        let request = exchange.request
        if exchange.kind == .http {
            if let range = request.range(of: "/sessions/") {
                let rest = request[range.upperBound...]
                if let slash = rest.firstIndex(of: "/") { ids.append(String(rest[..<slash])) }
            }
            if let range = request.range(of: "sessionId=") {
                ids.append(String(request[range.upperBound...].prefix { $0 != "&" && $0 != " " }))
            }
            if let body = exchange.body, let range = body.range(of: "\"sessionId\":\"") {
                ids.append(String(body[range.upperBound...].prefix { $0 != "\"" }))
            }
        }
        if exchange.kind == .event, let range = request.range(of: " for ") { ids.append(String(request[range.upperBound...])) }
        if exchange.kind == .redis {
            for prefix in ["journey:active:", "journey:ended:", "session:meta:", ":session:"] {
                if let range = request.range(of: prefix) { ids.append(String(request[range.upperBound...].prefix { $0 != " " })) }
            }
        }
        return ids.filter { !$0.isEmpty && !$0.hasPrefix(Exchange.unknownSessionPrefix) }
    }

    /// `location:trainer:{trainerId}:session:{sessionId}` and `location:rate:{trainerId}`.
    private func trainerIDs(in request: String) -> [(String, String?)] {
        if let range = request.range(of: "location:trainer:") {
            let rest = request[range.upperBound...]
            if let end = rest.range(of: ":session:") {
                return [(String(rest[..<end.lowerBound]), String(rest[end.upperBound...].prefix { $0 != " " }))]
            }
        }
        if let range = request.range(of: "location:rate:") {
            return [(String(request[range.upperBound...].prefix { $0 != " " }), nil)]
        }
        return []
    }

    private func fixtureIndex(of exchange: Exchange) -> Int? {
        if let id = sessionIDs(in: exchange).first { return sessions.firstIndex(of: id) }
        return trainerIDs(in: exchange.request).first.flatMap { trainers[$0.0] }
    }

    /// `otherTrainer` → `OTHER_TRAINER_TOKEN`.
    static func variable(_ role: String) -> String {
        var name = ""
        for character in role {
            if character.isUppercase, !name.isEmpty { name += "_" }
            name += character.uppercased()
        }
        return name + "_TOKEN"
    }

    /// `SESSION`, `TRAINER_TOKEN` for the first fixture; `SESSION_2`, `TRAINER_TOKEN_2`… after.
    static func name(_ base: String, _ fixture: Int) -> String { fixture == 0 ? base : "\(base)_\(fixture + 1)" }

    /// Which fixture fields each fixture's steps use, so the fetch line sets only those.
    private func usedVariables() -> [Int: [(name: String, path: String)]] {
        var used: [Int: [(name: String, path: String)]] = [:]
        func add(_ fixture: Int, _ name: String, _ path: String) {
            if !(used[fixture] ?? []).contains(where: { $0.name == name }) { used[fixture, default: []].append((name, path)) }
        }
        for exchange in target {
            let fixture = fixtureIndex(of: exchange)
            if let fixture { add(fixture, "SESSION", ".sessionId") }
            // The same fixture http() names: the step's own, else the first.
            if exchange.kind == .http, let role = exchange.credential, role != "none", role != "invalid" {
                add(fixture ?? 0, Self.variable(role), ".\(role).token")
            }
        }
        for (_, fixture) in trainers { add(fixture, "TRAINER_ID", ".trainer.id") }
        return used
    }

    private func fixtureLine(_ fixture: Int, _ variables: [Int: [(name: String, path: String)]]) -> String {
        let sets = (variables[fixture] ?? []).map { "\(Self.name($0.name, fixture))=$(jq -r \($0.path) <<<\"$F\")" }
        return (["F=$(curl -sf -X POST \"$AUDITOR/fixture\")"] + sets).joined(separator: "; ") + "   # a fresh fixture"
    }

    /// Literal ids → `$SESSION…`/`$TRAINER_ID…`; `quoted` wraps a Redis key that now holds a variable.
    private func substitute(_ text: String, quoted: Bool = false) -> String {
        var out = text
        for (index, id) in sessions.enumerated() { out = Self.replace(id, in: out, with: "${\(Self.name("SESSION", index))}") }
        for (id, fixture) in trainers { out = Self.replace(id, in: out, with: "${\(Self.name("TRAINER_ID", fixture))}") }
        guard quoted, out != text else { return out }
        let words = out.split(separator: " ", maxSplits: 1).map(String.init)
        return words.count == 2 ? "\(words[0]) \"\(words[1])\"" : out
    }

    /// Text for inside double quotes where `${SESSION}` must still expand: `\\`, `"` and a `$`
    /// or backtick that is not one of the block's own variables are escaped.
    static func doubleQuoted(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let first = rest.first {
            if first == "$", rest.hasPrefix("${SESSION") || rest.hasPrefix("${TRAINER_ID") {
                let end = rest.firstIndex(of: "}").map { rest.index(after: $0) } ?? rest.endIndex
                out += rest[..<end]
                rest = rest[end...]
                continue
            }
            if "\\\"$`".contains(first) { out.append("\\") }
            out.append(first)
            rest = rest.dropFirst()
        }
        return out
    }

    /// Replaces `id` only where it stands whole, between separators of paths, queries, keys and
    /// JSON (`/ ? & = : " space`), so a short id never rewrites part of a word.
    static func replace(_ id: String, in text: String, with replacement: String) -> String {
        let separators: Set<Character> = ["/", "?", "&", "=", ":", "\"", " "]
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: id) {
            let before = range.lowerBound == rest.startIndex ? out.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let whole = (before.map { separators.contains($0) } ?? true) && (after.map { separators.contains($0) } ?? true)
            out += rest[..<range.lowerBound]
            out += whole ? replacement : id
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    // MARK: steps

    private func control(_ exchange: Exchange) -> String {
        // "store down", "store slow 3000", "wait 5.5": the resource, then its path on the control server.
        let words = exchange.request.split(separator: " ").map(String.init)
        guard words.count >= 2 else { return "# \(exchange.label): \(exchange.result)" }
        if words[0] == "wait" { return "sleep \(words[1])   # \(exchange.result)" }
        return "curl -sf -o /dev/null -X PUT \"$AUDITOR/\(words.joined(separator: "/"))\"   # \(exchange.label): \(exchange.result)"
    }

    private func http(_ exchange: Exchange, at index: Int, burst: Int) -> String {
        let cleanup = exchange.label.hasPrefix("cleanup")
        let parts = exchange.request.split(separator: " ", maxSplits: 1).map(String.init)
        let method = parts.first ?? "GET"
        let path = substitute(parts.count > 1 ? parts[1] : "/")
        let fixture = fixtureIndex(of: exchange) ?? 0
        // The contract's bound where the probe judged one ("no answer within 3 s" is the observation), else 10 s.
        var words = ["curl -s -m \(Judge.format(exchange.withinSeconds ?? 10)) -o /dev/null"]
        let retryAfter = exchange.result.contains("Retry-After") || counterpart(at: index)?.result.contains("Retry-After") == true
        if !cleanup { words.append(retryAfter ? "-w '%{http_code} (Retry-After: %header{retry-after})\\n'" : "-w '%{http_code}\\n'") }
        if method != "GET" { words.append("-X \(method)") }
        switch exchange.credential {
        case nil, "none": break
        case "invalid": words.append("-H 'Authorization: Bearer \(Exchange.invalidToken)'")
        case let role?: words.append("-H \"Authorization: Bearer $\(Self.name(Self.variable(role), fixture))\"")
        }
        if let body = exchange.body {
            let json = substitute(body)
            words.append(json == body ? "-H 'Content-Type: application/json' -d '\(body.replacingOccurrences(of: "'", with: "'\\''"))'"
                                      : "-H 'Content-Type: application/json' -d \"\(Self.doubleQuoted(json))\"")
        }
        let base = exchange.instance.map { "$INSTANCE_\($0)" } ?? "$BASE"
        words.append("\"\(base)\(path)\"")
        let line = words.joined(separator: " ")
        // A clean-up that gets no answer (a service that has not recovered) does not fail the block.
        if cleanup { return line + " || true   # clean-up" }
        guard burst > 1 else { return annotated(line, at: index) }
        let tally = "sort | uniq -c | awk '{printf \"%s%s×%s\", (NR > 1 ? \" \" : \"\"), $1, $2} END {print \"\"}'"
        let expected = burstTally(oracle, like: exchange)
        let observed = Self.tally(target[index..<(index + burst)])
        return "seq \(burst) | xargs -P \(burst) -I{} \(line) | \(tally)   # expected \(expected ?? "?") · observed \(observed)"
    }

    private func event(_ exchange: Exchange, at index: Int) -> String {
        let session = sessionIDs(in: exchange).first.map { substitute($0) } ?? ""
        // "detail.reason of TrainerJourneyEnded for S": that field of the first such event.
        if exchange.request.hasPrefix("detail.") {
            let words = exchange.request.split(separator: " ").map(String.init)
            let field = words[0], detailType = words.count > 2 ? words[2] : ""
            let filter = "[.[] | select(.detailType == \"\(detailType)\") | .\(field) // \"(none)\"] | first // \"(none)\""
            return annotated("curl -s \"$AUDITOR/eventbridge/events?sessionId=\(session)\" | jq -r '\(filter)'", at: index)
        }
        let detailType = exchange.request.split(separator: " ").first.map(String.init) ?? ""
        let observed = Int(exchange.result.split(separator: " ").first ?? "") ?? 0
        let expectedText = counterpart(at: index)?.result
        let expected = expectedText.flatMap { Int($0.split(separator: " ").first ?? "") } ?? 1
        let line = "curl -s \"$AUDITOR/eventbridge/count?detailType=\(detailType)&sessionId=\(session)&until=\(max(observed, expected, 1))&wait=3\""
        return annotated(line, at: index)
    }

    /// `# expected 409 · observed 201`, from the oracle's step of the same label and occurrence.
    private func annotated(_ line: String, at index: Int) -> String {
        let expected = counterpart(at: index).map { Self.shown($0) } ?? "?"
        return "\(line)   # expected \(expected) · observed \(Self.shown(target[index]))"
    }

    /// The oracle's step matching the target's at `index`: same kind and label, same occurrence.
    private func counterpart(at index: Int) -> Exchange? {
        let exchange = target[index]
        func same(_ e: Exchange) -> Bool { e.kind == exchange.kind && e.label == exchange.label }
        let occurrence = target[..<index].filter(same).count
        return oracle.filter(same).dropFirst(occurrence).first
    }

    /// What a step's output line shows: the status (and Retry-After), the Redis reply, the event count.
    static func shown(_ exchange: Exchange) -> String {
        switch exchange.kind {
        case .event: return exchange.request.hasPrefix("detail.") ? exchange.result : String(exchange.result.split(separator: " ").first ?? "")
        case .http:
            if exchange.result.hasPrefix("no answer") { return "no answer (000)" }
            return exchange.result
        default: return exchange.result
        }
    }

    /// The oracle's burst of steps like `exchange` (its first run of that label), as a tally.
    private func burstTally(_ steps: [Exchange], like exchange: Exchange) -> String? {
        guard let begin = steps.firstIndex(where: { $0.label == exchange.label && $0.kind == .http }) else { return nil }
        return Self.tally(steps[begin...].prefix { $0.label == exchange.label && $0.kind == .http })
    }

    /// "1×201 19×409": the answers of a burst, counted.
    static func tally(_ burst: ArraySlice<Exchange>) -> String {
        var counts: [String: Int] = [:]
        for step in burst { counts[shown(step), default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.value)×\($0.key)" }.joined(separator: " ")
    }
}
