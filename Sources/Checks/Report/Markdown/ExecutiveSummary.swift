/// The first screen: verdict, the score on the seeds' scale (capped by the verdict), coverage,
/// clean-up, the scale actually tested, the gate, one line per blocker, and the category table.
/// It fits in `lineBudget` lines so a manager decides without scrolling.
enum ExecutiveSummary {
    static let lineBudget = 40

    static func render(_ report: AuditReport, _ md: inout Document) {
        let card = report.scorecard
        md.line("## 📋 Executive Summary")
        md.blank()
        // With no verdict reason, whatever failed is advisory.
        let failed = report.findings.filter { $0.status == .fail }.map(\.ruleID)
        let because = !card.verdictReasons.isEmpty ? card.verdictReasons.joined(separator: "; ")
            : failed.isEmpty ? "every evaluated rule passed"
            : "no blocker or important rule failed and the score is at least \(Judge.format(Scorecard.readyScore)); advisory findings: \(failed.joined(separator: ", "))"
        md.prose("**Final Verdict:** \(card.verdict.emoji) **\(card.verdict.rawValue)** — \(because)")
        md.blank()
        if let reason = report.incomplete {
            md.prose("**The audit could not run:** \(reason). Nothing below is certified; fix the cause and run it again.")
            md.blank()
        }
        md.prose("**Production Readiness Score:** \(Judge.format(card.outOfTen))/10"
                 + (card.cap.map { " — capped at \(Judge.format(card.score)): \($0) (measured \(Judge.format(card.measuredScore))/100)" } ?? "") + "  ")
        md.prose("*Passed weight over evaluated weight (blocker \(Judge.format(Severity.blocker.defaultWeight)), important \(Judge.format(Severity.important.defaultWeight)), "
                 + "advisory \(Judge.format(Severity.advisory.defaultWeight)) unless a rule says otherwise); a failed blocker caps it at "
                 + "\(Judge.format(Scorecard.doNotDeployCap / 10)), an unverified blocker at \(Judge.format(Scorecard.unverifiedBlockerCap / 10)).*")
        md.blank()
        let counts = Finding.Status.allCases.map { status in (status, report.findings.filter { $0.status == status }.count) }
            .filter { $0.1 > 0 || $0.0.isEvaluated }
        md.prose("**Coverage:** \(card.coverage.line) · " + counts.map { "\($0.1) \(MarkdownRenderer.label($0.0))" }.joined(separator: " · ")
                 + (card.coverage.unverified.isEmpty ? "" : " — see *Not verified*") + "  ")
        if let left = report.leftBehind { md.prose("**Clean-up:** \(left.active.isEmpty ? "✅" : "❌") \(left.line(naming: 3))  ") }
        if let load = report.loadResult { md.prose("**Scale:** \(load.scope)  ") }
        md.prose(report.gatePassed
            ? "**CI gate:** ✅ passed (accepts \(report.gate.accept.rawValue), min score \(Judge.format(report.gate.minScore)), fail on \(report.gate.failOn.rawValue))"
            : "**CI gate:** ❌ failed — \(report.gateFailures.joined(separator: "; "))")
        md.blank()
        openFindings(report, &md)
        md.line("| Category | Score | Rules passed |")
        md.line("|---|---:|---:|")
        for category in card.categories {
            let score = category.score.map { "\(Judge.format($0))/100" } ?? "n/a"
            md.line("| \(category.category) | \(score) | \(category.passed)/\(category.evaluated) |")
        }
        md.blank()
        md.line("---")
        md.blank()
    }

    /// Most findings the summary lists one by one; the rest are counted (each has its section below).
    static let listed = 8

    /// One line per failed or unverified finding, blockers first; the details follow below.
    static func openFindings(_ report: AuditReport, _ md: inout Document) {
        var room = listed
        for severity in Severity.allCases {
            let open = report.findings.filter { finding in
                report.rule(finding.ruleID)?.severity == severity && (finding.status == .fail || (severity == .blocker && !finding.status.isDecided))
            }
            let title = severity == .blocker ? "Blockers" : severity == .important ? "Important" : "Advisory"
            if open.isEmpty {
                if severity == .blocker { md.line("**Blockers:** none failed."); md.blank() }
                continue
            }
            md.line("**\(title):**")
            for finding in open.prefix(max(room, 0)) {
                let mark = finding.status == .fail ? "❌" : "❔"
                md.line("- \(mark) **\(finding.ruleID)** \(Impact.headline(finding, report.rule(finding.ruleID), limit: Document.width - finding.ruleID.count - 10))")
            }
            if open.count > room { md.line("- … and \(open.count - max(room, 0)) more, each in its section below") }
            room -= open.count
            md.blank()
        }
    }
}
