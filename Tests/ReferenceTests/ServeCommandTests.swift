import TestSupport
import Foundation
import Testing
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// `auditor reference serve` as a user runs it: the built binary, its ready line, its signals, its exit codes.
@Suite("auditor reference serve", .timeLimit(.minutes(1)))
struct ServeCommandTests {
    static var auditor: String { AuditorBinary.path }

    @Test("prints one JSON line when ready, serves, and exits 0 on SIGTERM")
    func readyLineAndCleanExit() async throws {
        let child = try await ChildProcess.start(Self.auditor, ["reference", "serve", "--port", "0", "--fault", "no-events", "--fault", "leaky-live"],
                                                 readyWhen: ["}\n"], timeout: 20, name: "auditor reference serve")
        let process = child.process
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(child.readiness.utf8)) as? [String: Any])
        #expect(Set(ready.keys) == ["baseURL", "redisURL", "socketURL", "faults", "variants"])
        #expect(ready["faults"] as? [String] == ["leaky-live", "no-events"])
        let base = try #require((ready["baseURL"] as? String).flatMap(URL.init(string:)))
        #expect((ready["socketURL"] as? String)?.hasSuffix("/socket.io/") == true)
        #expect((ready["redisURL"] as? String)?.hasPrefix("redis://127.0.0.1:") == true)

        let fixture = try await HTTPClient().send(HTTPRequestSpec(method: "POST", url: base.appendingPathComponent("__reference/fixtures")))
        #expect(fixture.status == 201)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("an unknown fault is a usage error (64) that lists the valid ones")
    func unknownFault() async throws {
        let result = try await ProcessRunner.run(Self.auditor, ["reference", "serve", "--port", "0", "--fault", "no-such-fault"], timeout: 20)
        #expect(result.status == 64)
        #expect(result.stderr.contains("check-then-set"))
        #expect(result.stderr.contains("no-arrival-radius"))
    }

    @Test("an unreachable --redis exits 2 without printing a password")
    func unreachableRedis() async throws {
        let port = try await RedisServer.freePort()
        let result = try await ProcessRunner.run(Self.auditor, ["reference", "serve", "--port", "0", "--redis", "redis://u:hunter2@127.0.0.1:\(port)"], timeout: 20)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot reach Redis"))
        #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"))
    }
}
