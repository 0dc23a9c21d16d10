import ArgumentParser
import Checks
import Engine
import Foundation

struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run a command in the audit's environment (the reproduction steps of a certification).",
        discussion: """
        Opens what the target reaches only while an audit runs (the EventBridge endpoint on \
        eventbridge.listen, the Redis fault proxy on redis.proxy) and a control server on \
        loopback; runs the command with stdin, stdout and stderr inherited; stops them all; \
        exits with the command's status (127 when it cannot start). No command: $SHELL.

        The command's environment adds:
          AUDITOR         the control server, http://127.0.0.1:PORT/SECRET (calls below;
                          the secret path keeps other local processes out)
          BASE            the origin of target.baseURL (report paths carry any prefix)
          INSTANCE_1, …   the origins of target.instances, likewise
          REDIS_URL       redis.url, for redis-cli -u; never printed
          CURL_CA_BUNDLE  tls.caFile, so curl trusts the target's private CA
          CURL_HOME       a private .curlrc with target.headers and the client
                          certificate of tls:, when the config has them

        Control calls (answers are one line of text, or JSON):
          POST /fixture             a fresh fixture: the contract's JSON, tokens too
          PUT  /eventbridge/MODE    accept, failedEntries, serverError, throttle, hang
          GET  /eventbridge/count   ?detailType=T&sessionId=S; with &until=N waits
                                    for N entries (&wait=SECONDS: 3, at most 30)
          GET  /eventbridge/events  ?sessionId=S: the entries received, as JSON
          PUT  /store/STATE         down or timeout (cut the target's Redis), up
        """
    )

    @Option(help: "The audit configuration (audit.yml, or JSON).")
    var config: String

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --); default: $SHELL, interactive.")
    var command: [String] = []

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        let loaded: AuditConfig
        do { loaded = try ConfigLoader().load(file: config) } catch let error as ConfigError { throw ValidationError(error.description) }
        for warning in loaded.warnings { progressLine("warning: \(warning)") }
        guard loaded.pack == .journey else { throw ValidationError("auditor reproduce is for the journey pack; the trip pack's findings are re-checked with `auditor check RULE --config`") }
        let environment: ReproductionEnvironment
        do { environment = try await ReproductionEnvironment.start(loaded) } catch { throw auditExit(error) }
        FileHandle.standardError.write(Data("auditor reproduce: \(environment.summary)\n".utf8))
        let status: Int32
        do {
            status = try await ForegroundChild.run(commandLine, environment: environment.childEnvironment(from: ProcessInfo.processInfo.environment))
        } catch {
            progressLine("\(error)")
            status = 127
        }
        await environment.stop()
        throw ExitCode(status)
    }

    /// The command as given (a leading `--` is the end of the auditor's options), else the user's shell.
    var commandLine: [String] {
        let given = command.first == "--" ? Array(command.dropFirst()) : command
        if !given.isEmpty { return given }
        let shell = ProcessInfo.processInfo.environment["SHELL"] ?? ""
        return [shell.isEmpty ? "/bin/sh" : shell]
    }
}
