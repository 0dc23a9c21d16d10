/// Redis's glob-style pattern (`KEYS`, `SCAN … MATCH`): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`.
struct GlobPattern: Sendable {
    private let pattern: [Character]

    init(_ pattern: String) { self.pattern = Array(pattern) }

    func matches(_ text: String) -> Bool {
        Self.match(pattern[...], Array(text)[...])
    }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        var p = p, s = s
        while let c = p.first {
            switch c {
            case "*":
                let rest = p.dropFirst()
                if rest.isEmpty { return true }
                var tail = s
                while true {
                    if match(rest, tail) { return true }
                    if tail.isEmpty { return false }
                    tail = tail.dropFirst()
                }
            case "?":
                guard !s.isEmpty else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            case "[":
                guard let ch = s.first, let (matched, rest) = matchClass(p.dropFirst(), ch), matched else { return false }
                p = rest; s = s.dropFirst()
            case "\\" where p.count > 1:
                let literal = p[p.index(after: p.startIndex)]
                guard s.first == literal else { return false }
                p = p.dropFirst(2); s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            }
        }
        return s.isEmpty
    }

    /// Matches one character against a `[...]` class; returns whether it matched and the pattern after `]`.
    private static func matchClass(_ p: ArraySlice<Character>, _ ch: Character) -> (Bool, ArraySlice<Character>)? {
        var p = p
        let negate = p.first == "^"
        if negate { p = p.dropFirst() }
        var matched = false
        while let c = p.first, c != "]" {
            var lo = c
            if c == "\\", p.count > 1 { p = p.dropFirst(); lo = p.first! }
            p = p.dropFirst()
            if p.first == "-", p.count > 1, let hi = p.dropFirst().first, hi != "]" {
                if lo <= ch && ch <= hi { matched = true }
                p = p.dropFirst(2)
            } else if lo == ch {
                matched = true
            }
        }
        guard p.first == "]" else { return nil }
        return (matched != negate, p.dropFirst())
    }
}
