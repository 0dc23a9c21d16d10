import Foundation

/// What a finding means, written from what was observed: each failed fact's `impact:` sentence
/// with `{observed}` and `{expected}` filled in ("20 TrainerJourneyStarted events were published
/// for one session"). A fact without one falls back to its description and values.
public enum Impact {
    public static func sentences(_ finding: Finding, _ rule: Rule?) -> [String] {
        finding.failedComparisons.map { comparison in
            let template = rule?.compare.first { $0.fact == comparison.fact }?.impact
            guard let template else {
                return "\(comparison.description): \(comparison.observed) (expected \(comparison.expected))"
            }
            return fill(template, observed: comparison.observed.description, expected: comparison.expected.description)
        }
    }

    static func fill(_ template: String, observed: String, expected: String) -> String {
        template.replacingOccurrences(of: "{observed}", with: observed).replacingOccurrences(of: "{expected}", with: expected)
    }

    /// The one line a summary gives a finding: its first impact, or why it is not verified.
    public static func headline(_ finding: Finding, _ rule: Rule?, limit: Int = 160) -> String {
        let text = finding.status == .fail ? (sentences(finding, rule).first ?? finding.summary) : finding.summary
        return text.count <= limit ? text : String(text.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
