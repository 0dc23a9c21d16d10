import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a fixture command with a deadline and returns its stdout; a non-zero exit is an error
/// that quotes the end of its stderr.
enum CommandRunner {
    static func run(_ command: [String], timeout: Double) async throws -> String {
        guard let executable = command.first else { throw FixtureError("fixtures.command is empty") }
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(command.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collected = Mutex((out: Data(), err: Data()))
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.out += data }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.err += data }
        }
        let timedOut = Mutex(false)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                process.terminationHandler = { _ in continuation.resume() }
                do { try process.run() } catch { continuation.resume(throwing: error) }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    if process.isRunning {
                        timedOut.withLock { $0 = true }
                        kill(process.processIdentifier, SIGKILL)
                    }
                }
            }
        } catch {
            throw FixtureError("fixtures.command '\(command.joined(separator: " "))' could not start: \(error.localizedDescription)")
        }
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        let rest = (out.fileHandleForReading.readDataToEndOfFile(), err.fileHandleForReading.readDataToEndOfFile())
        let (stdout, stderr) = collected.withLock { ($0.out + rest.0, $0.err + rest.1) }
        if timedOut.withLock({ $0 }) { throw FixtureError("fixtures.command did not finish within \(Int(timeout)) s") }
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: stderr.suffix(300), as: UTF8.self)
            throw FixtureError("fixtures.command exited \(process.terminationStatus): \(tail)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
