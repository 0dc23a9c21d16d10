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

    /// Runs a command to completion (bounded by `timeout`) and returns its exit status and output.
    /// Both pipes are read while the child runs, so a child that writes more than a pipe holds
    /// (64 KiB) never blocks on a full pipe waiting for a reader that comes only after it exits.
    /// `environment`: added to this process's environment (a password the config reads as `${VAR}`).
    /// `input`: the child's stdin (a heredoc, as a shell gives it). Written whole before the child
    /// starts, so it must fit a pipe (64 KiB); then a child that exits without reading it all
    /// cannot raise SIGPIPE here.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                           timeout: Double) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let input {
            guard input.utf8.count < 65_536 else { throw TestSetupError("input for \(executable) is larger than a pipe holds") }
            let pipe = Pipe()
            try pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try pipe.fileHandleForWriting.close()
            process.standardInput = pipe
        }
        let finished = Mutex(false)
        let drained = DispatchGroup()
        let collected = Mutex((stdout: Data(), stderr: Data()))
        for (pipe, isOut) in [(out, true), (err, false)] {
            drained.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.withLock { if isOut { $0.stdout = data } else { $0.stderr = data } }
                drained.leave()
            }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch {
                try? out.fileHandleForWriting.close()
                try? err.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !finished.withLock({ $0 }), process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
        finished.withLock { $0 = true }
        // A grandchild still holding the pipes must not hang the test: wait at most 10 s more.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                _ = drained.wait(timeout: .now() + 10)
                continuation.resume()
            }
        }
        let (stdout, stderr) = collected.withLock { ($0.stdout, $0.stderr) }
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

/// The `auditor` binary `swift test` built next to the test bundle, for tests that run it as a user does.
public enum AuditorBinary {
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("auditor").path
    }
}

/// Runs `body`, then always awaits `cleanup`, whether `body` threw or not: a test's servers are
/// stopped before the test ends (never a detached `defer { Task { … } }` that may outlive it).
public func withCleanup<T>(_ cleanup: () async -> Void, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}
