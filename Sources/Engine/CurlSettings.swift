import Checks
import Foundation

/// What the audit's own clients send that a reproduction's curl must send too — `target.headers`
/// (an API-gateway key), the client certificate, `insecureSkipVerify` — written as a `.curlrc` in
/// a private directory that `auditor reproduce` exports as `CURL_HOME`. So the values stay out of
/// the certification and out of every command line, and the block's lines stay as printed.
enum CurlSettings {
    /// The directory holding `.curlrc`, or nil when curl needs nothing beyond its defaults.
    static func write(_ config: AuditConfig) throws -> String? {
        let lines = self.lines(config)
        guard !lines.isEmpty else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-curl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let file = directory + "/.curlrc"
        guard FileManager.default.createFile(atPath: file, contents: Data((lines.joined(separator: "\n") + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return directory
    }

    static func lines(_ config: AuditConfig) -> [String] {
        var lines = config.targetHeaders.sorted { $0.key < $1.key }.map { "header = \(quoted("\($0.key): \($0.value)"))" }
        if let cert = config.tls?.clientCert { lines.append("cert = \(quoted(cert))") }
        if let key = config.tls?.clientKey { lines.append("key = \(quoted(key))") }
        if config.tls?.insecureSkipVerify == true { lines.append("insecure") }
        return lines
    }

    /// A `.curlrc` value in double quotes (curl unescapes `\\` and `\"` there).
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
