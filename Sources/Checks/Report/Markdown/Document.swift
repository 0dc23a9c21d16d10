import Foundation

/// Lines of Markdown, built in order. Prose is hard-wrapped (Markdown joins the lines of a
/// paragraph again), so the source stays readable in a terminal or a diff: no line of prose
/// beyond `width`; code blocks and table rows are never wrapped.
struct Document {
    var text = ""
    static let width = 120

    mutating func line(_ s: String) { text += s + "\n" }
    mutating func blank() { text += "\n" }

    mutating func code(_ lines: [String], language: String = "text") {
        line("```\(language)")
        lines.forEach { line($0) }
        line("```")
        blank()
    }

    /// A paragraph (or a list item, `indent` being its continuation), wrapped at word bounds.
    /// A trailing "  " (a Markdown line break) stays on the last line.
    mutating func prose(_ paragraph: String, indent: String = "") {
        let leading = String(paragraph.prefix { $0 == " " })
        var pieces = Self.wrap(String(paragraph.dropFirst(leading.count)).trimmingCharacters(in: .whitespaces), width: Self.width - leading.count, indent: indent)
        if paragraph.hasSuffix("  "), !pieces[pieces.count - 1].hasSuffix("  ") { pieces[pieces.count - 1] += "  " }
        pieces.forEach { line(leading + $0) }
    }

    /// Multi-line text from a rule file (remediation): prose lines wrapped, fenced code and tables kept.
    mutating func block(_ text: String) {
        var inCode = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let fence = raw.trimmingCharacters(in: .whitespaces).hasPrefix("```")
            if fence { inCode.toggle() }
            if inCode || fence || raw.hasPrefix("|") || raw.count <= Self.width { line(raw) } else { prose(raw, indent: "  ") }
        }
    }

    /// Words, except that an inline code span stays whole: a command is copied from one line.
    static func atoms(_ text: String) -> [String] {
        var atoms: [String] = []
        var open: String?
        for word in text.split(separator: " ").map(String.init) {
            if let started = open {
                open = started + " " + word
            } else {
                open = word
            }
            if open!.filter({ $0 == "`" }).count % 2 == 0 {
                atoms.append(open!)
                open = nil
            }
        }
        if let open { atoms.append(open) }
        return atoms
    }

    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in atoms(text) {
            let prefix = lines.isEmpty ? "" : indent
            if !current.isEmpty, prefix.count + current.count + 1 + word.count > width {
                lines.append(prefix + current)
                current = String(word)
            } else {
                current = current.isEmpty ? String(word) : current + " " + word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append((lines.isEmpty ? "" : indent) + current) }
        return lines
    }
}

/// How much evidence the Markdown carries (`--detail`); the JSON always keeps everything.
public enum Detail: String, Sendable, CaseIterable {
    /// Evidence transcripts, hand reproductions and the scenario table, for the engineer.
    case full
    /// Verdict, findings with their comparison, the `auditor check` line and the plan, for the reader who decides.
    case summary
}
