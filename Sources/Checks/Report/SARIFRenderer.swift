import Foundation

/// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for the
/// source rule, so GitHub code scanning and other SARIF viewers show each forbidden shape in place.
public enum SARIFRenderer {
    public static func render(_ findings: [SourceFinding], rule: Rule?, toolVersion: String, relativeTo root: String? = nil) throws -> String {
        let ruleID = rule?.id ?? "JRN-WS-002"
        let driverRule: [String: Any] = [
            "id": ruleID,
            "name": "ForbiddenWebSocketJourneyShape",
            "shortDescription": ["text": rule?.title ?? "Forbidden WebSocket journey/location shape"],
            "fullDescription": ["text": rule?.rationale ?? "WebSocket is for chat only."],
            "help": ["text": rule?.remediation ?? "", "markdown": rule?.remediation ?? ""],
            "defaultConfiguration": ["level": "error"],
            "properties": ["tags": ["security", "architecture"], "severity": rule?.severity.rawValue ?? "blocker"],
        ]
        let results: [[String: Any]] = findings.map { finding in
            [
                "ruleId": ruleID,
                "level": "error",
                "message": ["text": "\(finding.shape): \(finding.text)"],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": uri(finding.file, relativeTo: root)],
                        "region": ["startLine": finding.line, "startColumn": finding.column],
                    ],
                ]],
            ]
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "auditor", "version": toolVersion, "rules": [driverRule]]],
                "results": results,
            ]],
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A relative, forward-slashed URI, as code-scanning UIs resolve against the repository root.
    static func uri(_ path: String, relativeTo root: String?) -> String {
        var path = path
        if let root, path.hasPrefix(root) { path = String(path.dropFirst(root.count)) }
        while path.hasPrefix("./") || path.hasPrefix("/") { path.removeFirst(path.hasPrefix("./") ? 2 : 1) }
        return path.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(separator: "/")
    }
}
