import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Runs helper processes (redis-server, python peers) and reads their output without polling.
public enum ProcessRunner {
    public static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/usr/local/bin"
        return paths.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Resolves with everything read so far once a line containing one of `needles` appears.
    public static func waitForLine(in pipe: Pipe, containing needles: [String], timeout: Double) async throws -> String {
        let seen = Mutex((text: "", done: false))
        return try await withCheckedThrowingContinuation { continuation in
            let handle = pipe.fileHandleForReading
            @Sendable func finish(_ result: Result<String, Error>) {
                let first = seen.withLock { state -> Bool in
                    defer { state.done = true }
                    return !state.done
                }
                guard first else { return }
                handle.readabilityHandler = nil
                continuation.resume(with: result)
            }
            handle.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { return finish(.failure(TestSetupError("process closed its output: \(seen.withLock { $0.text })"))) }
                let text = seen.withLock { state -> String in
                    state.text += String(decoding: data, as: UTF8.self)
                    return state.text
                }
                if needles.contains(where: text.contains) { finish(.success(text)) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                finish(.failure(TestSetupError("no line containing \(needles) within \(timeout) s: \(seen.withLock { $0.text })")))
            }
        }
    }

    /// Runs a command to completion (bounded by `timeout`) and returns its exit status and stdout.
    public static func run(_ executable: String, _ arguments: [String], timeout: Double) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let finished = Mutex(false)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !finished.withLock({ $0 }), process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
        finished.withLock { $0 = true }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }
}

/// The `auditor` binary `swift test` built next to the test bundle, for tests that run it as a user does.
public enum AuditorBinary {
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("auditor").path
    }
}
