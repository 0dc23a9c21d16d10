/// Turns a probe's transcript into the two things a reader needs: the evidence (what was sent,
/// what came back, grouped so 20 identical starts read as one line) and a reproduction a
/// reviewer can paste into a shell. Tokens are never in a transcript: only the role's name is,
/// which becomes a shell variable (`$TRAINER_TOKEN`).
public enum TranscriptFormatter {
    public static func evidence(_ transcript: [Exchange], limit: Int = 14) -> [String] {
        var groups: [(line: String, count: Int)] = []
        for exchange in transcript {
            let who = exchange.credential.map { " [\($0)]" } ?? ""
            let line = "\(exchange.label): \(exchange.request)\(who) → \(exchange.result)"
            if let index = groups.firstIndex(where: { $0.line == line }) {
                groups[index].count += 1
            } else {
                groups.append((line, 1))
            }
        }
        var lines = groups.prefix(limit).map { $0.count > 1 ? "\($0.line)  ×\($0.count)" : $0.line }
        if groups.count > limit { lines.append("… \(groups.count - limit) more steps (full transcript in the JSON report)") }
        return lines
    }

    /// Shell lines in order, each distinct step once; a request the probe sent n times at once
    /// becomes `seq n | xargs -P n …` so the race can be reproduced too. Clean-up and warm-up steps are left out.
    public static func reproduction(_ transcript: [Exchange], limit: Int = 10) -> [String] {
        let steps = transcript.filter { ($0.kind == .http || $0.kind == .redis) && !$0.label.hasPrefix("cleanup") && !$0.label.hasSuffix("(warm-up)") }
        var counts: [String: Int] = [:]
        for exchange in steps { counts["\(exchange.label)|\(command(for: exchange))", default: 0] += 1 }
        var seen = Set<String>()
        var lines: [String] = []
        for exchange in steps {
            let line = command(for: exchange)
            guard seen.insert(line).inserted else { continue }
            let times = counts["\(exchange.label)|\(line)"] ?? 1
            lines.append(times > 1 ? "seq \(times) | xargs -P \(times) -I{} \(line)" : line)
            if lines.count == limit { break }
        }
        return lines
    }

    static func command(for exchange: Exchange) -> String {
        if exchange.kind == .redis { return "redis-cli -u \"$REDIS_URL\" \(exchange.request)" }
        let parts = exchange.request.split(separator: " ", maxSplits: 1).map(String.init)
        let method = parts.first ?? "GET"
        let path = parts.count > 1 ? parts[1] : "/"
        var words = ["curl -s -i"]
        if method != "GET" { words.append("-X \(method)") }
        switch exchange.credential {
        case nil, "none": break
        case "invalid": words.append("-H 'Authorization: Bearer not-a-valid-token'")
        case let role?: words.append("-H \"Authorization: Bearer $\(variable(role))\"")
        }
        if let body = exchange.body {
            words.append("-H 'Content-Type: application/json' -d '\(body.replacingOccurrences(of: "'", with: "'\\''"))'")
        }
        words.append("\"$BASE\(path)\"")
        return words.joined(separator: " ")
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
}
