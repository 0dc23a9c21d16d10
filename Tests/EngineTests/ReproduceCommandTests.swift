import Foundation
import Reference
import Testing
import TestSupport
import Wire

/// `auditor reproduce` as a certification's repro block runs it: the built binary, the script as
/// a heredoc on its stdin, and a target that reaches its Redis and EventBridge only through the
/// auditor (a reference whose Redis is the proxy's port, connected lazily, and whose PutEvents go
/// to the port the auditor's endpoint takes). Nothing listens on either port until the auditor does.
@Suite("auditor reproduce", .timeLimit(.minutes(2)))
struct ReproduceCommandTests {
    /// What the script prints, one `name=value` line each; fixtures go to `$FIXTURE_LOG` only.
    /// The second fixture is taken before the store is cut: the reference keeps its sessions there.
    static let script = #"""
    set -o pipefail
    fixture() { curl -sf -X POST "$AUDITOR/fixture" | tee -a "$FIXTURE_LOG"; }
    call() { curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $3" "$BASE/api/v1/admin/sessions/$2/$1"; }
    F=$(fixture); S=$(jq -r .sessionId <<<"$F"); T=$(jq -r .trainer.token <<<"$F")
    echo "keys=$(jq -c 'keys' <<<"$F")"
    echo "start=$(call start-journey "$S" "$T")"
    echo "count=$(curl -s "$AUDITOR/eventbridge/count?detailType=TrainerJourneyStarted&sessionId=$S&until=1&wait=5")"
    echo "events=$(curl -s "$AUDITOR/eventbridge/events?sessionId=$S" | jq -r '[.[] | .detailType + "@" + .busName] | join(",")')"
    echo "ttl=$(redis-cli --no-auth-warning -u "$REDIS_URL" TTL "journey:active:$S")"
    echo "stop=$(call stop-journey "$S" "$T")"
    echo "mode=$(curl -s -X PUT "$AUDITOR/eventbridge/serverError")"
    echo "badMode=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$AUDITOR/eventbridge/sideways")"
    F=$(fixture); S=$(jq -r .sessionId <<<"$F"); T=$(jq -r .trainer.token <<<"$F")
    echo "cut=$(curl -s -X PUT "$AUDITOR/store/down")"
    echo "down=$(call start-journey "$S" "$T")"
    echo "restored=$(curl -s -X PUT "$AUDITOR/store/up")"
    echo "slow=$(curl -s -X PUT "$AUDITOR/store/slow/1500")"
    echo "badSlow=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$AUDITOR/store/slow/never")"
    echo "fast=$(curl -s -X PUT "$AUDITOR/store/up")"
    for _ in $(seq 50); do code=$(call start-journey "$S" "$T"); [ "$code" = 201 ] && break; sleep 0.1; done
    echo "up=$code"
    echo "stop=$(call stop-journey "$S" "$T")"
    echo "unknown=$(curl -s -o /dev/null -w '%{http_code}' "$AUDITOR/nowhere")"
    echo "withoutSecret=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${AUDITOR%/*}/fixture")"
    exit 3
    """#

    @Test("a repro script gets fixtures, events, store cuts and Redis through the auditor; its exit status passes through; no secret is printed")
    func reproducesAgainstTheAuditEnvironment() async throws {
        let redis = try await RedisServer.start()
        let password = "pw-\(UUID().uuidString)"
        let admin = try await RESPConnection.connect(to: redis.url)
        _ = try await admin.checked(["CONFIG", "SET", "requirepass", password])
        admin.close()
        let proxyPort = try await RedisServer.freePort()
        let eventsPort = try await RedisServer.freePort()
        var configuration = ReferenceConfiguration(redisURL: RedisURL(host: "127.0.0.1", port: proxyPort, user: "default", password: password),
                                                   eventBridgeEndpoint: URL(string: "http://127.0.0.1:\(eventsPort)"))
        configuration.lazyRedis = true
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString)")
        try await withCleanup({ await reference.stop(); redis.kill(); try? FileManager.default.removeItem(at: directory) }) {
            let base = reference.addresses.baseURL
            let config = try Self.writeConfig(in: directory, """
            target:
              baseURL: \(base)/
            redis:
              url: redis://default:${REPRO_REDIS_PASSWORD}@127.0.0.1:\(redis.url.port)
              proxy: {listen: 127.0.0.1:\(proxyPort), upstream: 127.0.0.1:\(redis.url.port)}
            eventbridge:
              listen: 127.0.0.1:\(eventsPort)
            fixtures:
              http: {url: \(base)/__reference/fixtures}
            """)
            let fixtureLog = directory.appendingPathComponent("fixtures.jsonl").path
            let result = try await ProcessRunner.run(AuditorBinary.path, ["reproduce", "--config", config, "--", "bash", "-eu"],
                                                     environment: ["REPRO_REDIS_PASSWORD": password, "FIXTURE_LOG": fixtureLog],
                                                     input: Self.script, timeout: 60)
            let lines = Self.values(result.stdout)
            #expect(result.status == 3, "the script's `exit 3`: \(result.stdout)\n\(result.stderr)")
            #expect(lines["keys"] == #"["nonScheduledSessionId","otherStudent","otherTrainer","sessionId","student","studentHome","trainer"]"#)
            #expect(lines["start"] == "201")
            #expect(lines["count"] == "1", "TrainerJourneyStarted reached the auditor's endpoint")
            #expect(lines["events"] == "TrainerJourneyStarted@application-events")
            #expect((Int(lines["ttl"] ?? "") ?? 0) > 3500, "journey:active:* read directly from redis.url: \(lines["ttl"] ?? "nothing")")
            #expect(lines["mode"] == "eventbridge: serverError")
            #expect(lines["badMode"] == "400")
            #expect(lines["cut"] == "store: down")
            #expect(lines["down"] == "503", "the clean reference fails closed with the store cut")
            #expect(lines["restored"] == "store: up")
            #expect(lines["slow"] == "store: slow 1500 ms" && lines["badSlow"] == "400" && lines["fast"] == "store: up")
            #expect(lines["up"] == "201", "the store is back (EventBridge failing does not matter: publishing is best-effort)")
            #expect(result.stdout.components(separatedBy: "stop=200").count == 3, "both started journeys stopped")
            #expect(lines["unknown"] == "404")
            #expect(lines["withoutSecret"] == "404", "only who was given $AUDITOR gets fixtures")
            #expect(result.stderr.contains("auditor reproduce: EventBridge endpoint on 127.0.0.1:\(eventsPort), store proxy 127.0.0.1:\(proxyPort) → 127.0.0.1:\(redis.url.port), control on 127.0.0.1:"),
                    "\(result.stderr)")

            let tokens = try Self.tokens(fixtureLog)
            #expect(tokens.count == 8, "two fixtures of four users reached the script")
            let printed = result.stdout + result.stderr
            for secret in tokens + [password] { #expect(!printed.contains(secret), "a secret was printed") }
        }
    }

    @Test("without eventbridge.listen and redis.proxy those calls answer 404 saying so; an exhausted fixture list is 502; a missing command is 127")
    func missingConfiguration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = #"{sessionId: s1, trainer: {id: t1, token: tok-t1}, student: {id: u1, token: tok-u1}, otherTrainer: {id: t2, token: tok-t2}, otherStudent: {id: u2, token: tok-u2}, studentHome: {latitude: 12.97, longitude: 77.59}}"#
        let config = try Self.writeConfig(in: directory, """
        target:
          baseURL: http://127.0.0.1:9/prod/
          instances: [http://127.0.0.1:9/, http://127.0.0.1:10]
          headers: {X-Api-Key: "k-123"}
        fixtures:
          static: [\(fixture)]
        """)
        let script = #"""
        show() { printf '%s=%s|%s\n' "$1" "$(curl -s -o "$DIR/body" -w '%{http_code}' "${@:2}")" "$(tr -d '\n' < "$DIR/body")"; }
        show evb -X PUT "$AUDITOR/eventbridge/throttle"
        show count "$AUDITOR/eventbridge/count?until=1"
        show store -X PUT "$AUDITOR/store/down"
        echo "first=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$AUDITOR/fixture")"
        show second -X POST "$AUDITOR/fixture"
        echo "env=$BASE $INSTANCE_1 $INSTANCE_2 ${INSTANCE_3-none} ${REDIS_URL-none}"
        echo "curlrc=$(tr '\n' ';' < "$CURL_HOME/.curlrc")"
        """#
        // No `--`: the command starts at the first argument that is not the auditor's.
        let result = try await ProcessRunner.run(AuditorBinary.path, ["reproduce", "--config", config, "bash", "-euc", script],
                                                 environment: ["DIR": directory.path, "REDIS_URL": "redis://elsewhere:6379", "INSTANCE_3": "http://stale"],
                                                 timeout: 30)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = Self.values(result.stdout)
        #expect(lines["evb"] == "404|no eventbridge.listen in audit.yml")
        #expect(lines["count"] == "404|no eventbridge.listen in audit.yml")
        #expect(lines["store"] == "404|no redis.proxy in audit.yml")
        #expect(lines["first"] == "200")
        #expect(lines["second"]?.hasPrefix("502|no fixture: fixtures.static is exhausted") == true, "\(lines["second"] ?? "")")
        #expect(lines["env"] == "http://127.0.0.1:9 http://127.0.0.1:9 http://127.0.0.1:10 none none",
                "origins (a report's paths carry the /prod prefix); an inherited REDIS_URL or INSTANCE_n is not the audited one")
        #expect(lines["curlrc"] == #"header = "X-Api-Key: k-123";"#, "target.headers reach curl through CURL_HOME, never a command line")
        #expect(result.stderr.contains("auditor reproduce: control on 127.0.0.1:"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("tok-"), "fixture tokens go to the script only")

        let missing = try await ProcessRunner.run(AuditorBinary.path, ["reproduce", "--config", config, "--", "no-such-command-\(UUID().uuidString)"], timeout: 30)
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("cannot start 'no-such-command-"), "\(missing.stderr)")
    }

    static func writeConfig(in directory: URL, _ yaml: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("audit.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// `name=value` lines of the script's output (the last value of a name wins).
    static func values(_ output: String) -> [String: String] {
        output.split(separator: "\n").reduce(into: [:]) { values, line in
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
    }

    /// Every token of every fixture the script logged.
    static func tokens(_ log: String) throws -> [String] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").flatMap { line -> [String] in
            let fixture = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return ["trainer", "student", "otherTrainer", "otherStudent"].compactMap { (fixture[$0] as? [String: Any])?["token"] as? String }
        }
    }
}
