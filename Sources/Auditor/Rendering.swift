import Checks

/// Text for `rules show` and `check`: the same sections the certification has, for one rule.
enum RuleDetail {
    static func render(_ rule: Rule) -> String {
        var lines = [
            "\(rule.id) — \(rule.title)",
            "severity \(rule.severity.rawValue) · weight \(Judge.format(rule.weight)) · category \(rule.category)",
            "",
            "Why: \(rule.rationale)",
            "",
            "Probe: \(rule.probe.kind)" + rule.probe.parameters.sorted { $0.key < $1.key }.map { ", \($0.key) \(Judge.format($0.value))" }.joined(),
            "Compared with the reference:",
        ]
        lines += rule.compare.map { "  - \($0.description) [\($0.fact), \(Judge.describe($0))]\n      pinned by \($0.pins)" }
        lines += ["", "Fix:", rule.remediation, "", "Killed by reference faults: \(rule.faults.joined(separator: ", "))"]
        if !rule.references.isEmpty { lines.append("References: \(rule.references.joined(separator: "; "))") }
        return lines.joined(separator: "\n")
    }
}

enum FindingDetail {
    static func render(_ finding: Finding, _ report: AuditReport) -> String {
        var lines = ["\(finding.ruleID): \(finding.status.rawValue.uppercased()) — \(finding.summary)", ""]
        for c in finding.comparisons {
            let mark = c.holds == true ? "ok  " : (c.holds == false ? "FAIL" : "??  ")
            lines.append("\(mark) \(c.description): expected \(c.expected) (\(c.rule)), observed \(c.observed)")
        }
        lines += ["", "Target transcript:"]
        lines += finding.target.transcript.map { "  \($0.label): \($0.request) \($0.credential.map { "[\($0)] " } ?? "")→ \($0.result)" }
        let reproduction = Reproduction.of(finding).script
        if !reproduction.isEmpty { lines += ["", "Reproduce by hand (in the directory of \(Reproduction.configFile)):"] + reproduction }
        if finding.status != .pass, let rule = report.rule(finding.ruleID) { lines += ["", "Fix:", rule.remediation] }
        return lines.joined(separator: "\n")
    }
}
