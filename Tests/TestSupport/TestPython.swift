import Foundation

/// The interpreter the Python peers run on: the virtual environment `scripts/test-python` makes under
/// the build folder from `Tests/python-requirements.txt`, never the machine's `python3`, whose global
/// packages may be any version (redis-py 5.2.1 has no `driver_info`, and the peer died of it).
public enum TestPython {
    /// The package's root, from this file's place in it (Tests/TestSupport/…).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let requirements = root.appendingPathComponent("Tests/python-requirements.txt")

    /// `AUDITOR_TEST_PYTHON` (scripts/test sets it), else `.build/test-venv/bin/python`.
    public static func path() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["AUDITOR_TEST_PYTHON"],
                          root.appendingPathComponent(".build/test-venv/bin/python").path].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSetupError("the test peers' Python environment is missing: run scripts/test (or scripts/test-python), "
                                 + "which makes .build/test-venv from Tests/python-requirements.txt")
        }
        return found
    }

    /// Environment for a peer: nothing from the caller's shell may put global packages back on sys.path.
    public static let environment: [String: String] = ["PYTHONPATH": "", "PYTHONNOUSERSITE": "1", "PYTHONUNBUFFERED": "1"]

    /// Runs a Python peer script to completion (see ProcessRunner.run).
    public static func run(_ script: String, _ arguments: [String], timeout: Double) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ProcessRunner.run(try path(), [script] + arguments, environment: environment, timeout: timeout)
    }

    /// Starts a long-running Python peer and waits for its readiness line (see ChildProcess.start).
    public static func start(_ script: String, _ arguments: [String], readyWhen needles: [String], timeout: Double) async throws -> ChildProcess {
        try await ChildProcess.start(try path(), [script] + arguments, environment: environment, readyWhen: needles, timeout: timeout,
                                     name: URL(fileURLWithPath: script).lastPathComponent)
    }

    /// The pinned version of `package` in the requirements file.
    public static func pinnedVersion(_ package: String) throws -> String? {
        let text = try String(contentsOf: requirements, encoding: .utf8)
        return text.split(separator: "\n").lazy
            .map { $0.split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            .compactMap { line -> String? in
                let parts = line.components(separatedBy: "==")
                return parts.count == 2 && parts[0].lowercased() == package.lowercased() ? parts[1] : nil
            }.first
    }
}
