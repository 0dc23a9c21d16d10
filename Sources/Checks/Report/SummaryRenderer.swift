/// The short form for a PR comment or a CI job summary: verdict, score, blockers, what is new.
public enum SummaryRenderer {
    public static func render(_ report: AuditReport) -> String {
        let card = report.scorecard
        var md = Document()
        md.line("### \(card.verdict.emoji) \(card.verdict.rawValue) — \(card.headline)")
        md.blank()
        md.line("\(report.identity?.line.map { "**\($0)** · " } ?? "")Target `\(report.target)` · rule pack \(report.catalogue) \(report.catalogueVersion) · \(card.coverage.line) · gate \(report.gatePassed ? "✅ passed" : "❌ failed")")
        md.blank()
        if let reason = report.incomplete {
            md.line("**The audit could not run:** \(reason)")
            md.blank()
        }
        if let baseline = report.baseline {
            md.line("Since the last certification: score \(Judge.format(baseline.scoreBefore)) → \(Judge.format(baseline.scoreAfter)), \(baseline.entries(.fixed).count) fixed, \(baseline.entries(.new).count) new.")
            md.blank()
        }
        let blockers = report.findings.filter { $0.status == .fail && report.rule($0.ruleID)?.severity == .blocker }
        if !blockers.isEmpty {
            md.line("**Blockers**")
            for finding in blockers {
                let waived = finding.waiver.map { " *(waived until \($0.expires))*" } ?? ""
                md.line("- \(finding.ruleID) \(report.rule(finding.ruleID)?.title ?? ""): \(finding.summary)\(waived)")
            }
            md.blank()
        }
        if let baseline = report.baseline, !baseline.entries(.new).isEmpty {
            md.line("**New findings**")
            for entry in baseline.entries(.new) { md.line("- \(entry.ruleID) (\(entry.after.rawValue))") }
            md.blank()
        }
        if !report.gatePassed { md.line("Gate: \(report.gateFailures.joined(separator: "; "))") }
        return md.text
    }
}
