import Foundation

/// A private CA and the certificates the TLS tests need, made with the real `openssl` CLI in a
/// fresh directory: a good server certificate (localhost, 127.0.0.1), an expired one, one for
/// another host, one from a CA nobody trusts, and a client certificate for mTLS.
public struct TestCertificates: Sendable {
    public let directory: String
    public var ca: String { "\(directory)/ca.crt" }
    public func cert(_ name: String) -> String { "\(directory)/\(name).crt" }
    public func key(_ name: String) -> String { "\(directory)/\(name).key" }

    /// Names: `server`, `expired`, `wronghost`, `untrusted` (signed by `other-ca`), `client`.
    public static func make() async throws -> TestCertificates {
        guard let openssl = ProcessRunner.which("openssl") else { throw TestSetupError("openssl is not installed (apt-get install openssl)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func run(_ arguments: [String]) async throws {
            let result = try await ProcessRunner.run(openssl, arguments, timeout: 30)
            guard result.status == 0 else { throw TestSetupError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try await run(["req", "-x509"] + ec + ["-keyout", "\(directory)/\(ca).key", "-out", "\(directory)/\(ca).crt",
                                                   "-days", "2", "-subj", "/CN=auditor test \(ca)"])
        }
        let server = "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        let leaves: [(name: String, ca: String, days: String, extensions: String)] = [
            ("server", "ca", "2", server),
            ("expired", "ca", "-1", server),
            ("wronghost", "ca", "2", "subjectAltName=DNS:wrong.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
            ("untrusted", "other-ca", "2", server),
            ("client", "ca", "2", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"),
        ]
        for leaf in leaves {
            let ext = "\(directory)/\(leaf.name).ext"
            try leaf.extensions.write(toFile: ext, atomically: true, encoding: .utf8)
            try await run(["req"] + ec + ["-keyout", "\(directory)/\(leaf.name).key", "-out", "\(directory)/\(leaf.name).csr", "-subj", "/CN=\(leaf.name)"])
            try await run(["x509", "-req", "-in", "\(directory)/\(leaf.name).csr", "-CA", "\(directory)/\(leaf.ca).crt",
                           "-CAkey", "\(directory)/\(leaf.ca).key", "-CAcreateserial", "-out", "\(directory)/\(leaf.name).crt",
                           "-days", leaf.days, "-extfile", ext])
        }
        return TestCertificates(directory: directory)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
