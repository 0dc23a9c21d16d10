import Foundation
import Checks
import Reference
import Testing
import TestSupport
import Wire
@testable import Probes

/// The fault proxy in front of a real redis-server, mode by mode.
@Suite("Fault proxy", .timeLimit(.minutes(1)))
struct FaultProxyTests {
    func withProxy(_ body: (FaultProxy, RedisURL) async throws -> Void) async throws {
        let redis = try await RedisServer.start()
        let proxy = try await FaultProxy.start(upstreamHost: "127.0.0.1", upstreamPort: redis.url.port)
        do { try await body(proxy, RedisURL(host: "127.0.0.1", port: proxy.port)) } catch {
            await proxy.stop(); redis.kill(); throw error
        }
        await proxy.stop()
        redis.kill()
    }

    @Test("pass relays; down drops open connections and refuses new ones; back to pass works")
    func passDownPass() async throws {
        try await withProxy { proxy, url in
            let connection = try await RESPConnection.connect(to: url)
            #expect(try await connection.send(["PING"]) == .simpleString("PONG"))
            proxy.setMode(.down)
            await #expect(throws: (any Error).self) { try await connection.send(["PING"]) }
            await #expect(throws: (any Error).self) {
                let fresh = try await RESPConnection.connect(to: url)
                _ = try await fresh.send(["PING"])
            }
            proxy.setMode(.pass)
            let again = try await RESPConnection.connect(to: url)
            #expect(try await again.send(["PING"]) == .simpleString("PONG"))
        }
    }

    @Test("timeout accepts and never answers")
    func timeout() async throws {
        try await withProxy { proxy, url in
            proxy.setMode(.timeout)
            let connection = try await RESPConnection.connect(to: url, timeout: .milliseconds(300))
            await #expect(throws: RESPConnectionError.timedOut) { try await connection.send(["PING"]) }
        }
    }

    @Test("latency delays each exchange by at least the set amount")
    func latency() async throws {
        try await withProxy { proxy, url in
            proxy.setMode(.latency(milliseconds: 150))
            let connection = try await RESPConnection.connect(to: url)
            let elapsed = try await ContinuousClock().measure { _ = try await connection.send(["PING"]) }
            #expect(elapsed >= .milliseconds(300), "150 ms each way")
        }
    }
}

/// The load driver against a real reference: an intended rate it cannot send is reported, not passed.
@Suite("Load driver", .timeLimit(.minutes(1)))
struct LoadDriverTests {
    @Test("an impossible rate leaves the driver short: inconclusive, never a pass")
    func impossibleRate() async throws {
        var configuration = ReferenceConfiguration()
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        try await withCleanup({ await reference.stop() }) {
            let source = HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures"))
            let fixtures = try await source.batch(50)
            #expect(fixtures.count == 50, "the batch form gives them in one request")
            var spec = ScaleSpec(journeys: 50, durationSeconds: 1)
            spec.pollIntervalSeconds = 0.001 // 50 000 polls/s
            spec.maxInFlight = 4
            let result = await LoadDriver(api: JourneyAPI(baseURL: reference.baseURL), spec: spec).run(fixtures)
            let judgement = LoadJudgement(result, spec)
            #expect(judgement.shortfall != nil)
            #expect(!judgement.passed)
        }
    }
}
