import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL for one test: `initdb` into a fresh temporary directory (trust auth, no
/// fsync), `postgres` on a free loopback port, ready when its log says "ready to accept
/// connections". The superuser is the OS user that ran initdb; no other role is made.
///
/// initdb and postgres refuse to run as root ("cannot be run as root"). When the tests run as
/// root (as on the CI machines), both run as an unprivileged account instead — `postgres` (which
/// Debian's package creates), else `nobody` — through `setpriv`, which execs in place (so the
/// process started here *is* the postmaster, and signals reach it), or `runuser` where setpriv
/// is missing. The directory is handed to that account first.
public final class PostgresServer: Sendable {
    /// `postgres://USER@127.0.0.1:PORT/postgres`.
    public let url: String
    private let process: Process
    private let directory: URL
    private let psql: String?

    private init(url: String, process: Process, directory: URL, psql: String?) {
        self.url = url
        self.process = process
        self.directory = directory
        self.psql = psql
    }

    /// Runs SQL with `psql` (a test's own setup: a table in the way, say).
    public func execute(_ sql: String) async throws {
        guard let psql else { throw TestSetupError("psql is not installed next to postgres nor in PATH") }
        let result = try await ProcessRunner.run(psql, ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", sql], timeout: 30)
        guard result.status == 0 else { throw TestSetupError("psql failed (\(result.status)): \(result.stderr)") }
    }

    public static func start() async throws -> PostgresServer {
        let binaries = try PostgresBinaries.find()
        let account = try PostgresAccount.current()
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("auditor-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try account.own(directory)
            let data = directory.appendingPathComponent("data").path
            let initdb = try await ProcessRunner.run(account.launcher, account.arguments(binaries.initdb, [
                "-D", data, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C",
            ]), timeout: 60)
            guard initdb.status == 0 else { throw TestSetupError("initdb failed (\(initdb.status)): \(initdb.stderr)\(initdb.stdout)") }
            var lastError = ""
            for _ in 0..<5 {
                let port = try await RedisServer.freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: account.launcher)
                process.arguments = account.arguments(binaries.postgres, [
                    "-D", data, "-p", String(port), "-k", directory.path, "-h", "127.0.0.1",
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                ])
                process.currentDirectoryURL = directory
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                try process.run()
                let log = try await ProcessRunner.waitForLine(in: output, containing: ["ready to accept connections", "Address already in use"], timeout: 30)
                if log.contains("ready to accept connections") {
                    drain(output)
                    return PostgresServer(url: "postgres://\(account.name)@127.0.0.1:\(port)/postgres", process: process, directory: directory,
                                          psql: binaries.psql)
                }
                lastError = log
                process.terminate()
                process.waitUntilExit()
            }
            throw TestSetupError("postgres did not start: \(lastError)")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Fast shutdown (SIGINT: sessions are ended, nothing waits for clients), then the directory
    /// goes. A server that has not exited after 10 s is killed.
    public func stop() async {
        let pid = process.processIdentifier
        // The postmaster itself (under runuser the process started here is only its parent).
        if process.isRunning { kill(postmasterPID ?? pid, SIGINT) }
        let killer = DispatchWorkItem { [process] in if process.isRunning { kill(pid, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: killer)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [process] in
                process.waitUntilExit()
                continuation.resume()
            }
        }
        killer.cancel()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The first line of `postmaster.pid`.
    private var postmasterPID: pid_t? {
        let file = directory.appendingPathComponent("data/postmaster.pid")
        return (try? String(contentsOf: file, encoding: .utf8))?.split(separator: "\n").first.flatMap { pid_t($0) }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Keeps reading the server's log once it is ready, so a chatty server never blocks on a full pipe.
    private static func drain(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { handle in
            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
        }
    }
}

/// Where `initdb` and `postgres` are: PATH, /usr/local/bin, else the newest
/// /usr/lib/postgresql/<version>/bin (Debian installs them there, off PATH).
struct PostgresBinaries {
    var initdb: String
    var postgres: String
    /// The client, for tests that set a database up by hand.
    var psql: String? {
        let sibling = URL(fileURLWithPath: postgres).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("psql").path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : ProcessRunner.which("psql")
    }

    static func find() throws -> PostgresBinaries {
        if let initdb = ProcessRunner.which("initdb"), let postgres = ProcessRunner.which("postgres") {
            return PostgresBinaries(initdb: initdb, postgres: postgres)
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { Int($0) ?? 0 > Int($1) ?? 0 }
        for version in versions {
            let bin = "\(root)/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"), FileManager.default.isExecutableFile(atPath: "\(bin)/postgres") {
                return PostgresBinaries(initdb: "\(bin)/initdb", postgres: "\(bin)/postgres")
            }
        }
        throw TestSetupError("PostgreSQL is not installed (no initdb and postgres in PATH, /usr/local/bin or /usr/lib/postgresql/*/bin): "
                             + "install Debian's postgresql package")
    }
}

/// The OS account PostgreSQL runs as: this process's own, or, as root, an unprivileged one.
struct PostgresAccount {
    var name: String
    var uid: uid_t
    var gid: gid_t
    /// The program that starts initdb and postgres: `setpriv`/`runuser` as root, else /usr/bin/env.
    var launcher: String
    private var switchesUser: Bool
    private var usesSetpriv: Bool

    static func current() throws -> PostgresAccount {
        let uid = geteuid()
        guard uid == 0 else {
            let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
            return PostgresAccount(name: name, uid: uid, gid: getegid(), launcher: "/usr/bin/env", switchesUser: false, usesSetpriv: false)
        }
        guard let entry = getpwnam("postgres") ?? getpwnam("nobody") else {
            throw TestSetupError("running as root, and initdb refuses root: no 'postgres' or 'nobody' account to run PostgreSQL as")
        }
        let name = String(cString: entry.pointee.pw_name)
        if let setpriv = ProcessRunner.which("setpriv") {
            return PostgresAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, launcher: setpriv, switchesUser: true, usesSetpriv: true)
        }
        if let runuser = ProcessRunner.which("runuser") {
            return PostgresAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, launcher: runuser, switchesUser: true, usesSetpriv: false)
        }
        throw TestSetupError("running as root, and initdb refuses root: neither setpriv nor runuser is installed to run it as '\(name)'")
    }

    /// The launcher's arguments that run `program` with `arguments` as this account.
    func arguments(_ program: String, _ arguments: [String]) -> [String] {
        guard switchesUser else { return [program] + arguments }
        if usesSetpriv { return ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", program] + arguments }
        return ["-u", name, "--", program] + arguments
    }

    /// Hands the directory to the account (it holds the data and the Unix socket).
    func own(_ directory: URL) throws {
        guard switchesUser else { return }
        guard chown(directory.path, uid, gid) == 0 else {
            throw TestSetupError("cannot hand \(directory.path) to '\(name)': \(String(cString: strerror(errno)))")
        }
    }
}
