/// JUnit XML: one test case per rule, so any CI shows which rule failed and why.
/// Failed rules are `<failure>`; inconclusive ones and blockers not checked are `<error>` (the
/// check could not run, and the verdict cannot be READY); other rules not checked and excluded
/// rules are `<skipped>`, with the reason. An INCOMPLETE audit adds one `<error>` case saying why.
public enum JUnitRenderer {
    public static func render(_ report: AuditReport) -> String {
        let isError = { (f: Finding) in
            f.waiver == nil && (f.status == .inconclusive || (f.status == .notChecked && report.rule(f.ruleID)?.severity == .blocker))
        }
        let failures = report.findings.filter { $0.status == .fail && $0.waiver == nil }.count
        let errors = report.findings.filter(isError).count + (report.incomplete == nil ? 0 : 1)
        let skipped = report.findings.filter { $0.waiver != nil || (!$0.status.isEvaluated && !isError($0)) }.count
        let tests = report.findings.count + (report.incomplete == nil ? 0 : 1)
        let time = String(format: "%.3f", report.durationSeconds)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="auditor" tests="\#(tests)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(time)">"# + "\n"
        xml += #"  <testsuite name="\#(escape(report.catalogue)) \#(escape(report.catalogueVersion))" tests="\#(tests)" failures="\#(failures)" errors="\#(errors)" skipped="\#(skipped)" time="\#(time)" timestamp="\#(escape(report.generatedAt))">"# + "\n"
        let certified = report.identity?.line.map { #"<property name="certified" value="\#(escape($0))"/>"# } ?? ""
        xml += #"    <properties>\#(certified)<property name="target" value="\#(escape(report.target))"/><property name="score" value="\#(report.scorecard.score)"/><property name="verdict" value="\#(report.scorecard.verdict.rawValue)"/><property name="coverage" value="\#(escape(report.scorecard.coverage.line))"/></properties>"# + "\n"
        if let reason = report.incomplete {
            xml += #"    <testcase classname="\#(escape(report.catalogue)).audit" name="audit could not run" time="\#(time)">"# + "\n"
            xml += #"      <error type="incomplete" message="\#(escape(reason))"/>"# + "\n    </testcase>\n"
        }
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
            case _ where isError(finding):
                xml += "\n" + #"      <error type="\#(finding.status.rawValue)" message="\#(escape(finding.summary))">\#(escape(details))</error>"# + "\n    "
            case .excluded:
                let message = finding.exclusion.map { "excluded until \($0.expires) by \($0.owner): \($0.justification)" } ?? finding.summary
                xml += "\n" + #"      <skipped message="\#(escape(message))"/>"# + "\n    "
            case .inconclusive, .notChecked, .notApplicable:
                xml += "\n" + #"      <skipped message="\#(escape("\(finding.status.rawValue): \(finding.summary)"))"/>"# + "\n    "
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
