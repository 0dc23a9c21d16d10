#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs a command as if the user's shell had started it: stdin, stdout and stderr inherited (a
/// heredoc on the auditor's stdin is the command's script), same process group (an interactive
/// shell can read the terminal), signals in their default state, and SIGINT/SIGTERM sent to the
/// auditor passed on. `posix_spawn` rather than Foundation's `Process`: on Linux that puts the
/// child in a process group of its own (checked with swift-corelibs-foundation 6.3), which the
/// terminal treats as a background job: an interactive shell stops on its first read (SIGTTIN),
/// and Ctrl-C reaches only the auditor.
enum ForegroundChild {
    struct CannotStart: Error, CustomStringConvertible {
        var description: String
    }

    /// The exit status of `command` (looked up in PATH), or 128 + N when signal N ended it, as a shell reports it.
    static func run(_ command: [String], environment: [String: String]) async throws -> Int32 {
        forwardTerminationSignals()
        let pid = try spawn(command, environment: environment)
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: reap(pid)) }.start()
        }
    }

    static func spawn(_ command: [String], environment: [String: String]) throws -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t?
        #else
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        closeOnExec()
        let status = posix_spawnp(&pid, command[0], nil, &attributes, argv, envp)
        guard status == 0 else { throw CannotStart(description: "cannot start '\(command[0])': \(String(cString: strerror(status)))") }
        foregroundChild.store(pid, ordering: .relaxed)
        return pid
    }

    /// NIO opens its sockets without close-on-exec: every descriptor above stderr is marked so, or
    /// a background job the command leaves behind would hold the listeners open after the auditor
    /// ends. (Nothing opens one meanwhile: the target reaches the listeners only once the command runs.)
    static func closeOnExec() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    /// Waits for the child. It is looked at first without being reaped: until it is reaped its pid
    /// cannot be reused, so a signal passed on meanwhile reaches it or nothing.
    static func reap(_ pid: pid_t) -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        foregroundChild.store(0, ordering: .relaxed)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// SIGINT and SIGTERM no longer end the auditor (it must outlive the child to stop the
    /// listeners); they go on to the child. A signal from the terminal (Ctrl-C) already went to
    /// the whole foreground process group, the child included, and is not sent a second time.
    static func forwardTerminationSignals() {
        SignalMask.unblockTermination()
        var action = sigaction()
        action.sa_flags = SA_SIGINFO | SA_RESTART
        sigemptyset(&action.sa_mask)
        let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, _ in
            #if os(Linux)
            if let info, info.pointee.si_code == SI_KERNEL { return }
            #endif
            let pid = foregroundChild.load(ordering: .relaxed)
            if pid > 0 { kill(pid, signal) }
        }
        #if canImport(Darwin)
        action.__sigaction_u.__sa_sigaction = handler
        #else
        action.__sigaction_handler.sa_sigaction = handler
        #endif
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }
}

/// The child signals are passed on to (0: none yet, or already ended): an atomic, because a
/// signal handler may touch nothing else.
private let foregroundChild = Atomic<pid_t>(0)
