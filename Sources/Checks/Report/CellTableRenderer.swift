/// The published cell table of a contract (`docs/contract/<pack>-cells.md`): every cell, section by
/// section, with the facts that pin it, why it is open, or the gap. Generated from the cells file
/// and the rule pack; a test checks the committed copy matches.
public enum CellTableRenderer {
    public static func render(_ cells: ContractCells, catalogue: RuleCatalogue) -> String {
        let counts = cells.counts
        var lines = [
            "<!-- Generated from docs/contract/\(catalogue.name)-cells.yml and rules/\(catalogue.name).yml (\(catalogue.version)); do not edit by hand:",
            "     regenerate with `UPDATE_DOCS=1 swift test --filter CellTableTests`. -->",
            "# The cells of [\(cells.contract)](\(cells.contract)) and what pins each",
            "",
            "A cell is one thing a deployment must show that one observation can confirm or refute. Each is "
                + "**pinned** by the compared facts (`rule.fact` of the \(catalogue.name) rule pack) that observe it, "
                + "**open** (a choice the contract leaves free: no rule compares it), or a **gap** (nothing observes it yet: "
                + "a certification says nothing about it).",
            "",
            "| cells | pinned | open | gaps |",
            "|---:|---:|---:|---:|",
            "| \(counts.total) | \(counts.pinned) | \(counts.open) | \(counts.gaps) |",
        ]
        var sections: [String] = []
        for cell in cells.cells where !sections.contains(cell.section) { sections.append(cell.section) }
        for section in sections {
            lines += ["", "## \(section)", "", "| cell | kind | the contract says | pinned by |", "|---|---|---|---|"]
            for cell in cells.cells where cell.section == section {
                lines.append("| `\(cell.id)` | \(cell.kind) | \(escape(cell.text)) | \(escape(standing(cell.standing))) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func standing(_ standing: ContractCells.Standing) -> String {
        switch standing {
        case .pinned(let facts): return facts.map { "`\($0)`" }.joined(separator: ", ")
        case .open(let why): return "open: \(why)"
        case .gap(let why): return "**gap**: \(why)"
        }
    }

    /// A table cell: pipes escaped, lines joined.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
