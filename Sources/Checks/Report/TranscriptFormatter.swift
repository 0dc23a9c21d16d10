/// Turns a probe's transcript into evidence: what was sent, what came back, grouped so 20
/// identical starts read as one line. Tokens are never in a transcript, only the role's name
/// (the reproduction, `Reproduction`, turns it into a shell variable).
public enum TranscriptFormatter {
    public static func evidence(_ transcript: [Exchange], limit: Int = 14) -> [String] {
        var groups: [(line: String, count: Int)] = []
        for exchange in transcript {
            let who = exchange.credential.map { " [\($0)]" } ?? ""
            let line = exchange.kind == .control || exchange.request.isEmpty ? "\(exchange.label): \(exchange.result)"
                : "\(exchange.label): \(exchange.request)\(who) → \(exchange.result)"
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
}
