import Foundation
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// `trip.restartCommand`: runs the command, then waits (bounded) until the target answers again.
public struct CommandRestart: TargetRestart {
    let command: [String]
    let ready: HTTPRequestSpec
    let client: HTTPClient

    public init(command: [String], ready: HTTPRequestSpec, client: HTTPClient) {
        self.command = command
        self.ready = ready
        self.client = client
    }

    public func restart() async throws {
        let status = try await DetachedCommand.run(command, timeout: 120)
        guard status == 0 else { throw ProbeError("trip.restartCommand exited \(status)") }
        var quick = client
        quick.timeout = .seconds(2)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await quick.send(ready)) != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw ProbeError("the target did not answer \(ready.url.absoluteString) within 60 s of the restart command")
    }
}

/// Runs a command with no pipes (stdin, stdout and stderr on /dev/null) and reaps it itself. A restart command typically starts the new server in the
/// background and returns; Foundation's `Process` waits for descriptors it hands its child to
/// close, which that server inherits and keeps, so it never reported such a script's exit (it
/// stayed a zombie). This polls `waitpid` for its own child instead, bounded by `timeout`.
enum DetachedCommand {
    static func run(_ command: [String], timeout: Double) async throws -> Int32 {
        guard !command.isEmpty else { throw ProbeError("the command is empty") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw ProbeError("cannot start '\(command[0])': \(String(cString: strerror(spawned)))") }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw ProbeError("'\(command.joined(separator: " "))' did not finish within \(Int(timeout)) s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
