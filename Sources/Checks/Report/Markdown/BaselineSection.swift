/// "Since the last certification": score and verdict before → after, per-category deltas, and the
/// findings that changed, fixed and new first.
enum BaselineSection {
    static func render(_ baseline: BaselineComparison, _ report: AuditReport, _ md: inout Document) {
        md.line("## 🔁 Since the Last Certification")
        md.blank()
        let delta = baseline.scoreAfter - baseline.scoreBefore
        md.line("Compared with the certification of \(baseline.previousGeneratedAt): **score \(Judge.format(baseline.scoreBefore)) → \(Judge.format(baseline.scoreAfter))** (\(signed(delta))), verdict \(baseline.verdictBefore.emoji) \(baseline.verdictBefore.rawValue) → \(report.scorecard.verdict.emoji) \(report.scorecard.verdict.rawValue).")
        md.blank()
        md.line("| Category | Before | After | Δ |")
        md.line("|---|---:|---:|---:|")
        for category in baseline.categories {
            let change = (category.before != nil && category.after != nil) ? signed(category.after! - category.before!) : "—"
            md.line("| \(category.category) | \(category.before.map(Judge.format) ?? "—") | \(category.after.map(Judge.format) ?? "—") | \(change) |")
        }
        md.blank()
        for (change, title) in [(BaselineComparison.Change.fixed, "✅ Fixed"), (.new, "🆕 New"), (.stillFailing, "⏳ Still failing")] {
            let entries = baseline.entries(change)
            guard !entries.isEmpty else { continue }
            md.line("**\(title):** " + entries.map { entry in
                let rule = report.rule(entry.ruleID)
                return "\(entry.ruleID) (\(rule?.severity.rawValue ?? "?")\(entry.addedRule ? ", rule new in this catalogue" : ""))"
            }.joined(separator: ", "))
            md.blank()
        }
        let unchanged = baseline.entries(.unchangedPass).count
        md.line("\(unchanged) rules pass as before.\(baseline.removedRules.isEmpty ? "" : " No longer audited: \(baseline.removedRules.joined(separator: ", ")).")")
        md.blank()
    }

    static func signed(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded > 0 ? "+\(Judge.format(rounded))" : Judge.format(rounded)
    }
}
