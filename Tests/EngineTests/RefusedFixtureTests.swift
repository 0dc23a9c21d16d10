import Foundation
import Testing
import TestSupport
import Wire

/// Fixtures the deployment refuses (another environment's, or expired): from outside they cannot
/// be told from broken authentication, so they are a reason the audit could not run, never an
/// observed violation. At preflight: INCOMPLETE, exit 2, the reason in words. Mid-audit: the
/// scenarios that met the refusal are inconclusive, and no rule fails for it.
@Suite("Refused fixtures", .serialized, .timeLimit(.minutes(3)))
struct RefusedFixtureTests {
    /// A fixture of the served reference, with every token replaced by one it never issued.
    static func refused(_ fixture: [String: Any]) -> [String: Any] {
        var copy = fixture
        for role in ["trainer", "student", "otherTrainer", "otherStudent"] {
            guard var user = copy[role] as? [String: Any] else { continue }
            user["token"] = "expired-\(UUID().uuidString)"
            copy[role] = user
        }
        return copy
    }

    static func freshFixture(_ served: CLITests.ServedReference) async throws -> [String: Any] {
        let url = try #require(URL(string: "\(served.baseURL)/__reference/fixtures"))
        let response = try await HTTPClient().send(HTTPRequestSpec(method: "POST", url: url))
        return try #require(response.json)
    }

    static func config(_ served: CLITests.ServedReference, fixtures: [[String: Any]]) throws -> String {
        let list = String(decoding: try JSONSerialization.data(withJSONObject: fixtures), as: UTF8.self)
        let yaml = """
        target: {baseURL: \(served.baseURL)}
        redis: {url: "redis://127.0.0.1:\(served.redis.url.port)/0"}
        eventbridge: {listen: "127.0.0.1:\(served.eventsPort)"}
        fixtures: {static: \(list)}
        """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString).yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func report(_ out: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/certification.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("tokens the target refuses at preflight: INCOMPLETE with the reason, exit 2, no rule failed")
    func atPreflight() async throws {
        let served = try await CLITests.ServedReference.start()
        defer { served.stop() }
        let good = try await Self.freshFixture(served)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString)").path
        let result = try await ProcessRunner.run(AuditorBinary.path, ["run", "--config", try Self.config(served, fixtures: [Self.refused(good)]), "--out", out],
                                                 timeout: 60)
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("INCOMPLETE"), "\(result.stdout)")
        #expect(result.stdout.contains("refuses the fixture's student token (401 on live polling"), "\(result.stdout)")
        let findings = try Self.report(out)["findings"] as? [[String: Any]] ?? []
        #expect(!findings.isEmpty && findings.allSatisfy { $0["status"] as? String != "fail" }, "\(findings.map { $0["status"] ?? "" })")
        #expect(!result.stdout.contains("expired-"), "a token is never printed")
    }

    @Test("a fixture refused mid-audit: its scenario is inconclusive, never a failed rule")
    func midAudit() async throws {
        let served = try await CLITests.ServedReference.start()
        defer { served.stop() }
        let good = try await Self.freshFixture(served)
        let fixtures = [good] + (0..<12).map { _ in Self.refused(good) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString)").path
        let result = try await ProcessRunner.run(AuditorBinary.path, ["run", "--config", try Self.config(served, fixtures: fixtures), "--out", out,
                                                                       "--rule", "JRN-OWN-001", "--rule", "JRN-RACE-001", "--rule", "JRN-GONE-001"],
                                                 timeout: 90)
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        let findings = (try Self.report(out)["findings"] as? [[String: Any]] ?? []).filter {
            ["JRN-OWN-001", "JRN-RACE-001", "JRN-GONE-001"].contains($0["ruleID"] as? String ?? "")
        }
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0["status"] as? String != "fail" }, "\(findings.map { "\($0["ruleID"] ?? ""): \($0["status"] ?? "")" })")
        #expect(findings.contains { $0["status"] as? String == "inconclusive" })
        #expect(result.stdout.contains("refused the fixture's"), "the reason is said: \(result.stdout)")
    }
}
