/// "Required actions" as seed 002 writes them: phases (blockers before production, important
/// next, advisory when convenient), each fix named once by its root cause and grouped by the
/// component it changes, with its effort, what it repairs and the command that re-checks it.
enum ActionPlan {
    struct Item {
        var cause: String
        var component: Rule.Component?
        var findings: [Finding]
        var severity: Severity
        var effort: Rule.Effort?
        var points: Double
    }

    static func render(_ report: AuditReport, _ md: inout Document) {
        md.line("## 🔧 Action Plan")
        md.blank()
        let failed = report.findings.filter { $0.status == .fail }
        let unverified = report.findings.filter { $0.status == .inconclusive || ($0.status == .notChecked && report.rule($0.ruleID)?.severity == .blocker) }
        if failed.isEmpty && unverified.isEmpty {
            md.line("None: nothing to fix.")
            md.blank()
            return
        }
        let items = group(failed, report)
        var number = 0
        for (severity, title) in [(Severity.blocker, "Phase 1 — before production (blockers)"), (.important, "Phase 2 — next release (important)"),
                                  (.advisory, "Phase 3 — when convenient (advisory)")] {
            let phase = items.filter { $0.severity == severity }
            guard !phase.isEmpty else { continue }
            md.line("### \(title)")
            md.blank()
            md.prose("*Effort: \(effortSummary(phase)).*")
            md.blank()
            for component in Rule.Component.allCases.map(Optional.some) + [nil] {
                let here = phase.filter { $0.component == component }
                guard !here.isEmpty else { continue }
                md.line("**\(component?.rawValue ?? "unassigned")**")
                md.blank()
                for item in here {
                    number += 1
                    md.prose("\(number). \(line(item, report))", indent: "   ")
                }
                md.blank()
            }
        }
        if !unverified.isEmpty {
            md.line("### Make verifiable")
            md.blank()
            for finding in unverified {
                number += 1
                md.prose("\(number). **\(finding.ruleID)** \(MarkdownRenderer.label(finding.status)): \(finding.summary)", indent: "   ")
            }
            md.blank()
        }
    }

    /// Findings one fix repairs (same component and cause) become one item, the most severe first.
    static func group(_ failed: [Finding], _ report: AuditReport) -> [Item] {
        var items: [Item] = []
        for finding in failed {
            let rule = report.rule(finding.ruleID)
            let cause = rule?.cause ?? rule?.title ?? finding.ruleID
            let points = report.scoreImpact(of: finding)
            if let index = items.firstIndex(where: { $0.cause == cause && $0.component == rule?.component }) {
                items[index].findings.append(finding)
                items[index].severity = min(items[index].severity, rule?.severity ?? .advisory)
                items[index].effort = [items[index].effort, rule?.effort].compactMap { $0 }.max()
                items[index].points += points
            } else {
                items.append(Item(cause: cause, component: rule?.component, findings: [finding], severity: rule?.severity ?? .advisory,
                                  effort: rule?.effort, points: points))
            }
        }
        return items.sorted { ($0.severity, -$0.points) < ($1.severity, -$1.points) }
    }

    static func line(_ item: Item, _ report: AuditReport) -> String {
        let ids = item.findings.map(\.ruleID)
        let effort = item.effort.map { "effort \($0.rawValue) (\($0.meaning))" } ?? "effort not estimated"
        let checks = ids.map { "`auditor check \($0) --config \(Reproduction.configFile)`" }.joined(separator: ", ")
        return "**\(item.cause)** — fixes \(ids.joined(separator: ", ")) (score \(Judge.format(report.scorecard.score)) → \(Judge.format(scoreAfterFixing(item, report)))) · \(effort) · re-check: \(checks)"
    }

    /// The score once this item's rules pass, everything else as observed: the cap a fixed
    /// blocker lifts included, so "60 → 100" rather than the "+8" the weights alone give.
    static func scoreAfterFixing(_ item: Item, _ report: AuditReport) -> Double {
        let fixed = Set(item.findings.map(\.ruleID))
        let findings = report.findings.map { finding -> Finding in
            guard fixed.contains(finding.ruleID) else { return finding }
            var passed = finding
            passed.status = .pass
            return passed
        }
        return Scorecard(findings: findings, rules: report.rules, incomplete: report.incomplete).score
    }

    /// "2×S, 1×M (hours to about a day)".
    static func effortSummary(_ items: [Item]) -> String {
        let counts = Rule.Effort.allCases.compactMap { effort -> String? in
            let n = items.filter { $0.effort == effort }.count
            return n == 0 ? nil : "\(n)×\(effort.rawValue) (\(effort.meaning))"
        }
        let unknown = items.filter { $0.effort == nil }.count
        return (counts + (unknown > 0 ? ["\(unknown) not estimated"] : [])).joined(separator: ", ")
    }
}
