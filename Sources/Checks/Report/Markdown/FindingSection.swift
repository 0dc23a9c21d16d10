/// One failed or unverified rule, self-contained for the engineer who fixes it: what the contract
/// says, what was observed and what it means, the comparison, how to reproduce it (the
/// `auditor check` line first), the fix for every failed mode and what must not regress.
enum FindingSection {
    static func render(_ finding: Finding, _ report: AuditReport, detail: Detail, _ md: inout Document) {
        guard let rule = report.rule(finding.ruleID) else { return }
        md.line("### \(finding.status == .fail ? "❌" : "❔") \(rule.id) · \(rule.title)")
        md.blank()
        let plan = [rule.component.map { "fix in: \($0.rawValue)" }, rule.effort.map { "effort \($0.rawValue) (\($0.meaning))" }].compactMap { $0 }
        md.prose((["**\(MarkdownRenderer.label(finding.status).uppercased())**", "\(rule.severity.rawValue), weight \(Judge.format(rule.weight))", rule.category] + plan)
            .joined(separator: " · "))
        md.blank()
        if let waiver = finding.waiver {
            md.prose("> 📝 **Waived** until \(waiver.expires) by \(waiver.owner): \(waiver.justification). It does not fail the gate; it still counts in the score.")
            md.blank()
        }
        if let change = report.baseline?.change(of: finding.ruleID) {
            md.line("*Since the last certification: \(change.rawValue).*")
            md.blank()
        }
        contract(finding, rule, &md)
        if finding.status == .fail {
            md.line("**Impact (observed):**")
            for sentence in Impact.sentences(finding, rule) { md.prose("- \(sentence)", indent: "  ") }
            md.blank()
        } else {
            md.prose(finding.summary)
            md.blank()
        }
        comparisonTable(finding, &md)
        md.prose("**Why it matters:** \(rule.rationale)")
        md.blank()
        if detail == .full {
            let evidence = TranscriptFormatter.evidence(finding.target.transcript)
            if !evidence.isEmpty {
                md.line("**Evidence (target):**")
                md.code(evidence)
            }
        }
        reproduction(finding, report, detail: detail, &md)
        md.line("**Required fix:**")
        md.blank()
        md.block(rule.remediation)
        md.blank()
        if let keep = rule.keep {
            md.prose("**Must not regress:** \(keep)")
            md.blank()
        }
        if !rule.references.isEmpty { md.prose("*References: \(rule.references.joined(separator: "; "))*"); md.blank() }
    }

    /// The contract lines the failed facts are pinned by (every fact's, for an unverified rule).
    static func contract(_ finding: Finding, _ rule: Rule, _ md: inout Document) {
        let failed = Set(finding.failedComparisons.map(\.fact))
        var pins: [String] = []
        for fact in rule.compare where (failed.isEmpty || failed.contains(fact.fact)) && !fact.pins.isEmpty && !pins.contains(fact.pins) {
            pins.append(fact.pins)
        }
        guard !pins.isEmpty else { return }
        md.line("**Contract:**")
        for pin in pins { md.prose("> \(pin)  ", indent: "> ") }
        md.blank()
    }

    static func reproduction(_ finding: Finding, _ report: AuditReport, detail: Detail, _ md: inout Document) {
        let reproduction = Reproduction.of(finding)
        md.prose("**Reproduce:** `\(reproduction.check)` runs this probe again and exits 1 while the rule fails."
                 + (finding.target.unscriptable.map { " No shell block: \($0)." } ?? ""))
        guard detail == .full, !reproduction.script.isEmpty else { md.blank(); return }
        md.prose("By hand, from the directory of `\(Reproduction.configFile)` (needs curl, jq, redis-cli): `auditor reproduce` brings up the "
                 + "auditor's EventBridge endpoint and store proxy, sets `BASE`, `INSTANCE_n`, `REDIS_URL` and `AUDITOR`; each line prints "
                 + "one answer and names the reference's and the target's\(caHint(report.transport)).")
        md.blank()
        md.code(reproduction.script, language: "sh")
    }

    /// curl reads `CURL_CA_BUNDLE` (set by `auditor reproduce` from `tls.caFile`), so the lines stay as they are.
    static func caHint(_ transport: Transport?) -> String {
        guard let ca = transport?.caFile else { return "" }
        return "; curl trusts the target's CA through `CURL_CA_BUNDLE`, which `auditor reproduce` sets from `tls.caFile`; for `rediss://` add `--cacert \(ca)` to redis-cli"
    }

    static func comparisonTable(_ finding: Finding, _ md: inout Document) {
        guard !finding.comparisons.isEmpty else { return }
        md.line("| Observation | Expected (reference) | Observed (target) | |")
        md.line("|---|---|---|---|")
        for c in finding.comparisons {
            let mark = c.holds == true ? "✅" : (c.holds == false ? "❌" : "❔")
            md.line("| \(MarkdownRenderer.cell(c.description)) | \(MarkdownRenderer.cell(c.expected.description)) | \(MarkdownRenderer.cell(c.observed.description)) | \(mark) |")
        }
        md.blank()
    }
}
