import Foundation

/// The machine-readable certification: stable (sorted keys), versioned (`schemaVersion`).
public enum JSONReportRenderer {
    public static func render(_ report: AuditReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    public static func parse(_ text: String) throws -> AuditReport {
        try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8))
    }
}
