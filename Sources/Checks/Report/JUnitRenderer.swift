/// JUnit XML: one test case per rule, so any CI shows which rule failed and why.
/// Failed rules are `<failure>`, inconclusive ones `<error>` (the check could not run), and
/// not-applicable ones `<skipped>`.
public enum JUnitRenderer {
    public static func render(_ report: AuditReport) -> String {
        let failures = report.findings.filter { $0.status == .fail && $0.waiver == nil }.count
        let errors = report.findings.filter { $0.status == .inconclusive && $0.waiver == nil }.count
        let skipped = report.findings.filter { $0.status == .notApplicable || $0.waiver != nil }.count
        let time = String(format: "%.3f", report.durationSeconds)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="auditor" tests="\#(report.findings.count)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(time)">"# + "\n"
        xml += #"  <testsuite name="\#(escape(report.catalogue)) \#(escape(report.catalogueVersion))" tests="\#(report.findings.count)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(time)" timestamp="\#(escape(report.generatedAt))">"# + "\n"
        xml += #"    <properties><property name="target" value="\#(escape(report.target))"/><property name="score" value="\#(report.scorecard.score)"/><property name="verdict" value="\#(report.scorecard.verdict.rawValue)"/></properties>"# + "\n"
        for finding in report.findings {
            let rule = report.rule(finding.ruleID)
            let classname = "\(report.catalogue).\((rule?.category ?? "rules").replacingOccurrences(of: " ", with: ""))"
            let name = "\(finding.ruleID) \(rule?.title ?? "")"
            let caseTime = String(format: "%.3f", finding.target.seconds)
            xml += #"    <testcase classname="\#(escape(classname))" name="\#(escape(name))" time="\#(caseTime)">"#
            let details = finding.comparisons.map { "\($0.holds == false ? "✗" : ($0.holds == nil ? "?" : "✓")) \($0.description): expected \($0.expected), observed \($0.observed)" }
                .joined(separator: "\n")
            let severity = rule?.severity.rawValue ?? "unknown"
            if let waiver = finding.waiver {
                let message = "waived until \(waiver.expires) by \(waiver.owner): \(waiver.justification) — \(finding.summary)"
                xml += "\n" + #"      <skipped message="\#(escape(message))"/>"# + "\n    </testcase>\n"
                continue
            }
            switch finding.status {
            case .pass:
                break
            case .fail:
                xml += "\n" + #"      <failure type="\#(severity)" message="\#(escape(finding.summary))">\#(escape(details))</failure>"# + "\n    "
            case .inconclusive:
                xml += "\n" + #"      <error type="inconclusive" message="\#(escape(finding.summary))">\#(escape(details))</error>"# + "\n    "
            case .notApplicable:
                xml += "\n" + #"      <skipped message="\#(escape(finding.summary))"/>"# + "\n    "
            }
            xml += "</testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
