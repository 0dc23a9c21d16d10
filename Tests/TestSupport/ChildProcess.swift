import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A long-running child a test starts and waits on until it announces itself: a Python peer, a
/// server, `auditor reference serve`. Its stderr is kept (the last `ChildProcess.tailBytes`), so a
/// child that exits or stalls before its readiness line fails the test with its exit status and its
/// own last words ("TypeError: … unexpected keyword argument 'driver_info'"), never with "process
/// closed its output" alone.
public final class ChildProcess: Sendable {
    public let process: Process
    /// What the child wrote to stdout up to and including its readiness line.
    public let readiness: String
    private let stderr: StderrTail

    /// How much of a child's stderr is kept for a failure message.
    public static let tailBytes = 8_192

    private init(process: Process, readiness: String, stderr: StderrTail) {
        self.process = process
        self.readiness = readiness
        self.stderr = stderr
    }

    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` and resolves once a line of its stdout contains one of `needles`.
    /// `name`: how the child is called in a failure ("journey_peer.py"); the executable's name if nil.
    /// `mergeStderr`: the readiness line comes on stderr (nginx's log): both go to one pipe.
    /// After readiness, stdout keeps being drained so the child never blocks on a full pipe.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                             readyWhen needles: [String], timeout: Double, name: String? = nil,
                             mergeStderr: Bool = false) async throws -> ChildProcess {
        let label = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let out = Pipe()
        let tail = StderrTail()
        process.standardOutput = out
        if mergeStderr {
            process.standardError = out
        } else {
            let err = Pipe()
            process.standardError = err
            err.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil; tail.close() } else { tail.append(data) }
            }
        }
        do { try process.run() } catch { throw TestSetupError("\(label) could not be started (\(executable)): \(error)") }
        do {
            let line = try await ProcessRunner.waitForLine(in: out, containing: needles, timeout: timeout)
            out.fileHandleForReading.readabilityHandler = { handle in
                if handle.availableData.isEmpty { handle.readabilityHandler = nil }
            }
            return ChildProcess(process: process, readiness: line, stderr: tail)
        } catch let error as TestSetupError {
            // SIGTERM first, so a child that runs servers of its own (scripts/staging-like) stops them.
            let exited = await waitForExit(process, seconds: 2)
            if exited == nil { _ = Glibc.kill(process.processIdentifier, SIGTERM) }
            if await waitForExit(process, seconds: 5) == nil { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            // The pipe's reader may still hold the child's last words: wait (bounded) for its end.
            if !mergeStderr { await tail.waitForEnd(seconds: 1) }
            throw TestSetupError(Self.failure(label, error: error, status: exited, stderr: tail.text, needles: needles))
        }
    }

    /// The failure message: how the child ended (or that it hung), then its stderr's last lines.
    static func failure(_ label: String, error: TestSetupError, status: Int32?, stderr: String, needles: [String]) -> String {
        let how: String
        if let status {
            how = "\(label) exited with status \(status) before printing a line containing \(needles)"
        } else {
            how = "\(label) did not become ready: \(error.description)"
        }
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
        let said = lines.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "(its stderr was empty)" : "its stderr ends:\n\(lines)"
        return "\(how); \(said)"
    }

    /// The exit status once the child has exited, or nil if it still runs after `seconds`.
    private static func waitForExit(_ process: Process, seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The stderr kept so far (the last `tailBytes`).
    public var stderrTail: String { stderr.text }

    /// SIGKILL and reap. A child spawned from a dispatch thread inherits its blocked signals and may
    /// never see a SIGTERM (see RedisServer.kill).
    public func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends `signal` (a child that stops its own children on SIGTERM) and waits for the exit.
    public func stop(signal: Int32) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }
}

/// The last `ChildProcess.tailBytes` of a child's stderr, appended from the pipe's reader thread.
final class StderrTail: Sendable {
    private let bytes = Mutex(Data())
    private let ended = Mutex(false)

    func close() { ended.withLock { $0 = true } }

    /// Until the pipe's end was read, at most `seconds` (a grandchild may hold the pipe open).
    func waitForEnd(seconds: Double) async {
        let deadline = Date().addingTimeInterval(seconds)
        while !ended.withLock({ $0 }), Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    }

    func append(_ data: Data) {
        bytes.withLock { kept in
            kept.append(data)
            if kept.count > ChildProcess.tailBytes { kept = Data(kept.suffix(ChildProcess.tailBytes)) }
        }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}
