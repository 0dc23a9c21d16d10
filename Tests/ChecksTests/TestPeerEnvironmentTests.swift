import Foundation
import Testing
import TestSupport

/// The test peers' own footing: they run on the pinned environment (never the machine's packages),
/// and a peer that cannot start fails its test with its own words.
@Suite("Test peers' environment")
struct TestPeerEnvironmentTests {
    /// Writes a throwaway peer script.
    func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).py").path
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the peers' Python is the pinned virtual environment: every direct package at its pinned version, no global site-packages")
    func pinned() async throws {
        let probe = try script("""
        import importlib.metadata as m, json, site, sys
        names = ["python-socketio", "python-engineio", "aiohttp", "redis", "botocore", "jsonschema"]
        print(json.dumps({"venv": sys.prefix != sys.base_prefix, "basePrefix": sys.base_prefix, "path": sys.path,
                          "userSite": site.ENABLE_USER_SITE, "versions": {n: m.version(n) for n in names}}))
        """)
        // A dirty caller's PYTHONPATH must not reach the peer either.
        let result = try await ProcessRunner.run(try TestPython.path(), [probe], environment: TestPython.environment, timeout: 30)
        try #require(result.status == 0, "\(result.stderr)")
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(facts["venv"] as? Bool == true)
        #expect(facts["userSite"] as? Bool != true)
        let base = try #require(facts["basePrefix"] as? String)
        let globalSites = (facts["path"] as? [String] ?? []).filter { $0.hasPrefix(base) && $0.contains("-packages") }
        #expect(globalSites.isEmpty, "global site-packages on sys.path: \(globalSites)")
        let versions = try #require(facts["versions"] as? [String: String])
        for (package, version) in versions {
            let pinned = try #require(try TestPython.pinnedVersion(package), "\(package) is not pinned in Tests/python-requirements.txt")
            #expect(version == pinned, "\(package): \(version) installed, \(pinned) pinned")
        }
    }

    @Test("a peer that exits before its readiness line fails with its exit status and the last lines of its stderr")
    func diesSaysWhy() async throws {
        let peer = try script("""
        import sys
        print("starting", flush=True)
        sys.stderr.write("Traceback (most recent call last):\\nTypeError: AbstractConnection.__init__() got an unexpected keyword argument 'driver_info'\\n")
        sys.exit(3)
        """)
        do {
            let child = try await TestPython.start(peer, [], readyWhen: ["READY"], timeout: 20)
            child.kill()
            Issue.record("a peer that exited was taken as ready")
        } catch let error as TestSetupError {
            #expect(error.description.contains("exited with status 3"), "\(error)")
            #expect(error.description.contains("unexpected keyword argument 'driver_info'"), "\(error)")
            #expect(error.description.contains(URL(fileURLWithPath: peer).lastPathComponent), "\(error)")
        }
    }

    @Test("a peer that stalls before its readiness line fails with its stderr and is stopped")
    func stallsSaysWhy() async throws {
        let peer = try script("""
        import sys, time
        sys.stderr.write("waiting for a store that never answers\\n")
        sys.stderr.flush()
        time.sleep(60)
        """)
        let started = Date()
        do {
            let child = try await TestPython.start(peer, [], readyWhen: ["READY"], timeout: 1)
            child.kill()
            Issue.record("a silent peer was taken as ready")
        } catch let error as TestSetupError {
            #expect(error.description.contains("did not become ready"), "\(error)")
            #expect(error.description.contains("waiting for a store that never answers"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 30, "the stalled peer was not stopped")
    }
}
