import Testing
@testable import Checks

/// The hand reproduction of a finding: runnable as written (its own fixtures, the failure
/// condition set through `auditor reproduce`), tokens never in it, every printing line saying
/// what the reference answered and what the target answered.
@Suite("Reproduction")
struct ReproductionTests {
    static func http(_ label: String, _ request: String, _ result: String, as role: String = "trainer", body: String? = nil, instance: Int? = nil) -> Exchange {
        Exchange(kind: .http, label: label, request: request, credential: role, body: body, result: result, instance: instance)
    }

    static func finding(_ target: [Exchange], _ oracle: [Exchange], id: String = "JRN-X-001") -> Finding {
        Finding(ruleID: id, status: .fail, summary: "", target: Observation(transcript: target), oracle: Observation(transcript: oracle))
    }

    @Test func oneFixtureBecomesPlainVariables() {
        let target = [Self.http("start", "POST /api/v1/admin/sessions/sess-1/start-journey", "201"),
                      Exchange(kind: .redis, label: "read", request: "TTL journey:active:sess-1", result: "-1"),
                      Exchange(kind: .redis, label: "read", request: "TTL location:trainer:tr-9:session:sess-1", result: "300"),
                      Self.http("cleanup: stop as trainer", "POST /api/v1/admin/sessions/sess-1/stop-journey", "200")]
        let oracle = [Self.http("start", "POST /api/v1/admin/sessions/o-1/start-journey", "201"),
                      Exchange(kind: .redis, label: "read", request: "TTL journey:active:o-1", result: "3600"),
                      Exchange(kind: .redis, label: "read", request: "TTL location:trainer:t:session:o-1", result: "300")]
        let reproduction = Reproduction.of(Self.finding(target, oracle))
        #expect(reproduction.check == "auditor check JRN-X-001 --config audit.yml")
        let script = reproduction.script
        #expect(script.first == "auditor reproduce --config audit.yml -- bash -u <<'REPRO'" && script.last == "REPRO")
        #expect(script[1] == #"F=$(curl -sf -X POST "$AUDITOR/fixture"); SESSION=$(jq -r .sessionId <<<"$F"); TRAINER_TOKEN=$(jq -r .trainer.token <<<"$F"); TRAINER_ID=$(jq -r .trainer.id <<<"$F")   # a fresh fixture"#)
        #expect(script[2] == #"curl -s -m 10 -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $TRAINER_TOKEN" "$BASE/api/v1/admin/sessions/${SESSION}/start-journey"   # expected 201 · observed 201"#)
        #expect(script[3] == #"redis-cli --raw -u "$REDIS_URL" TTL "journey:active:${SESSION}"   # expected 3600 · observed -1"#)
        #expect(script[4] == #"redis-cli --raw -u "$REDIS_URL" TTL "location:trainer:${TRAINER_ID}:session:${SESSION}"   # expected 300 · observed 300"#)
        #expect(script[5].hasSuffix(#""$BASE/api/v1/admin/sessions/${SESSION}/stop-journey" || true   # clean-up"#) && !script[5].contains("-w"))
        #expect(!script.joined().contains("sess-1") && !script.joined().contains("tr-9"), "literal ids of the audit's fixtures stay out")
    }

    @Test func burstsConditionsWaitsAndInstances() {
        let target = [Exchange(kind: .control, label: "EventBridge", request: "eventbridge throttle", result: "now answering: throttle")]
            + Array(repeating: Self.http("round 1: synchronized start", "POST /api/v1/admin/sessions/a/start-journey", "201"), count: 3)
            + [Exchange(kind: .event, label: "EventBridge", request: "TrainerJourneyStarted for a", result: "3 received"),
               Exchange(kind: .control, label: "wait", request: "wait 5.5", result: "past the rate window"),
               Self.http("update on instance 2", "POST /api/v1/admin/location-tracking/journey/updates", "404", body: #"{"latitude":1,"sessionId":"b"}"#, instance: 2),
               Self.http("second update", "POST /api/v1/admin/location-tracking/journey/updates", "429", body: #"{"latitude":1,"sessionId":"b"}"#),
               Exchange(kind: .control, label: "store", request: "store down", result: "cut: down")]
        let oracle = [Self.http("round 1: synchronized start", "POST /x", "201")] + Array(repeating: Self.http("round 1: synchronized start", "POST /x", "409"), count: 2)
            + [Exchange(kind: .event, label: "EventBridge", request: "TrainerJourneyStarted for o", result: "1 received"),
               Self.http("update on instance 2", "POST /u", "201"), Self.http("second update", "POST /u", "429 (Retry-After: 5)")]
        let script = Reproduction.of(Self.finding(target, oracle)).script
        let text = script.joined(separator: "\n")
        #expect(script[1].hasPrefix(#"F=$(curl -sf -X POST "$AUDITOR/fixture"); SESSION=$(jq"#) && script[2].contains("SESSION_2="),
                "every fixture first: fetching one may need the store a later step cuts")
        #expect(script[3] == #"curl -sf -o /dev/null -X PUT "$AUDITOR/eventbridge/throttle"   # EventBridge: now answering: throttle"#)
        #expect(text.contains(#"seq 3 | xargs -P 3 -I{} curl -s -m 10 -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $TRAINER_TOKEN" "$BASE/api/v1/admin/sessions/${SESSION}/start-journey" | sort | uniq -c"#))
        #expect(text.contains("# expected 1×201 2×409 · observed 3×201"))
        #expect(text.contains(#"curl -s "$AUDITOR/eventbridge/count?detailType=TrainerJourneyStarted&sessionId=${SESSION}&until=3&wait=3"   # expected 1 · observed 3"#))
        #expect(text.contains("sleep 5.5   # past the rate window"))
        #expect(text.contains(#"-d "{\"latitude\":1,\"sessionId\":\"${SESSION_2}\"}" "$INSTANCE_2/api/v1/admin/location-tracking/journey/updates"   # expected 201 · observed 404"#))
        #expect(text.contains(#"-w '%{http_code} (Retry-After: %header{retry-after})\n'"#) && text.contains("# expected 429 (Retry-After: 5) · observed 429"))
        #expect(script.suffix(3).dropLast() == [#"curl -sf -o /dev/null -X PUT "$AUDITOR/eventbridge/accept"   # EventBridge accepts again"#,
                                                #"curl -sf -o /dev/null -X PUT "$AUDITOR/store/up"   # the store is back"#],
                "a block leaves EventBridge and the store as it found them")
    }

    /// "store slow 3000": the control server's path is every word after the resource.
    @Test func slowStoreStep() {
        let target = [Exchange(kind: .control, label: "store", request: "store slow 3000", result: "every store reply 3000 ms late"),
                      Exchange(kind: .http, label: "start while the store is slow", request: "POST /s/x1/start-journey", credential: "trainer",
                               result: "no answer: timed out", withinSeconds: 2),
                      Exchange(kind: .control, label: "store", request: "store up", result: "restored")]
        let text = Reproduction.of(Self.finding(target, [])).script.joined(separator: "\n")
        #expect(text.contains(#"curl -sf -o /dev/null -X PUT "$AUDITOR/store/slow/3000"   # store: every store reply 3000 ms late"#), "\(text)")
        #expect(text.contains("curl -s -m 2 "), "the bound the probe judged by")
    }

    /// The probe restores EventBridge before it cleans up, so the block's stops never meet a failing one.
    @Test func conditionsAreRestoredBeforeCleanUp() {
        let target = [Exchange(kind: .control, label: "EventBridge", request: "eventbridge hang", result: "now answering: hang"),
                      Exchange(kind: .http, label: "start (EventBridge hang)", request: "POST /s/x1/start-journey", credential: "trainer", result: "no answer: timed out",
                               withinSeconds: 3),
                      Self.http("cleanup: stop as trainer", "POST /s/x1/stop-journey", "200")]
        let script = Reproduction.of(Self.finding(target, [])).script
        let accept = script.firstIndex { $0.contains("$AUDITOR/eventbridge/accept") }
        let stop = script.firstIndex { $0.contains("stop-journey") }
        #expect(accept != nil && stop != nil && accept! < stop!, "\(script)")
        #expect(script.filter { $0.contains("eventbridge/accept") }.count == 1)
        #expect(script.contains { $0.hasPrefix("curl -s -m 3 -o /dev/null") && $0.hasSuffix("# expected ? · observed no answer (000)") },
                "a bounded answer is waited for no longer than the bound")
    }

    @Test func bodiesAreQuotedForTheShell() {
        #expect(ScriptBuilder.doubleQuoted(#"{"a":"x$y`z\","sessionId":"${SESSION_2}"}"#) == #"{\"a\":\"x\$y\`z\\\",\"sessionId\":\"${SESSION_2}\"}"#)
    }

    /// Socket.IO emits, a source scan or a load run cannot be typed into a shell: `auditor check` is the reproduction.
    @Test func probesWithoutShellStepsGiveTheCheckLineOnly() {
        let socket = [Exchange(kind: .socket, label: "emit", request: "42[\"startTravel\"]", credential: "trainer", result: "ack"),
                      Self.http("live polling", "GET /live?sessionId=s", "200", as: "student")]
        #expect(Reproduction.of(Self.finding(socket, [])).script.isEmpty)
        var load = Self.finding([Exchange(kind: .note, label: "scale", request: "", result: "started 20 of 20 journeys")], [])
        load.target.untranscribedRequests = 54
        #expect(Reproduction.of(load).script.isEmpty)
        #expect(Reproduction.of(load).check == "auditor check JRN-X-001 --config audit.yml")
    }

    /// A wrong field of an event shows as that field, not only as a count.
    @Test func eventFieldsArePrintedWithJq() {
        let target = [Self.http("stop", "POST /api/v1/admin/sessions/s9/stop-journey", "200"),
                      Exchange(kind: .event, label: "EventBridge", request: "detail.reason of TrainerJourneyEnded for s9", result: "arrived")]
        let oracle = [Self.http("stop", "POST /x", "200"), Exchange(kind: .event, label: "EventBridge", request: "detail.reason of TrainerJourneyEnded for o", result: "cancelled")]
        let text = Reproduction.of(Self.finding(target, oracle)).script.joined(separator: "\n")
        #expect(text.contains(#"curl -s "$AUDITOR/eventbridge/events?sessionId=${SESSION}" | jq -r '[.[] | select(.detailType == "TrainerJourneyEnded") | .detail.reason // "(none)"] | first // "(none)"'   # expected cancelled · observed arrived"#))
    }

    @Test func roleVariables() {
        #expect(ScriptBuilder.variable("otherStudent") == "OTHER_STUDENT_TOKEN")
        let target = [Self.http("poll as another student", "GET /live?sessionId=s1", "200", as: "otherStudent"), Self.http("no token", "POST /a/sessions/s1/x", "401", as: "none")]
        let text = Reproduction.of(Self.finding(target, [])).script.joined(separator: "\n")
        #expect(text.contains(#"-H "Authorization: Bearer $OTHER_STUDENT_TOKEN" "$BASE/live?sessionId=${SESSION}"   # expected ? · observed 200"#))
        #expect(text.contains(#"OTHER_STUDENT_TOKEN=$(jq -r .otherStudent.token <<<"$F")"#))
        #expect(text.contains(#"-X POST "$BASE/a/sessions/${SESSION}/x"   # expected ? · observed 401"#))
    }
}

/// The document a reviewer reads: prose wrapped, nothing else touched; a plan grouped by root cause.
@Suite("Markdown layout")
struct MarkdownLayoutTests {
    @Test func proseWrapsAtWordsCodeStays() {
        var md = Document()
        md.prose("- " + String(repeating: "word ", count: 60) + "end  ", indent: "  ")
        md.block("intro " + String(repeating: "long ", count: 40) + "\n```ts\n" + String(repeating: "x", count: 300) + "\n```")
        let lines = md.text.split(separator: "\n")
        #expect(lines.filter { $0.count > Document.width }.count == 1, "only the code line may exceed the width")
        #expect(lines[1].hasPrefix("  word"), "a list item continues indented")
        #expect(md.text.contains("end  \n"), "a trailing Markdown line break is kept")
    }

    @Test func planGroupsOneFixAndOrdersPhases() {
        var rules = Sample.catalogue.rules
        for index in rules.indices {
            rules[index].component = .backend
            rules[index].effort = .S
            rules[index].cause = rules[index].severity == .advisory ? "shared cause" : nil
        }
        rules[0].cause = "shared cause"
        let failed = rules.map { Finding(ruleID: $0.id, status: .fail, summary: "") }
        let report = AuditReport(target: "t", generatedAt: "g", auditorVersion: "0", catalogue: RuleCatalogue(name: "s", version: "1", rules: rules),
                                 durationSeconds: 1, findings: failed, gate: Gate(), warnings: [])
        let items = ActionPlan.group(failed, report)
        let shared = items.first { $0.cause == "shared cause" }
        #expect(shared?.findings.count == 2 && shared?.severity == .blocker, "one item per fix, in the phase of its most severe rule")
        #expect(items.map(\.severity) == items.map(\.severity).sorted())
        var md = Document()
        ActionPlan.render(report, &md)
        #expect(md.text.contains("### Phase 1 — before production (blockers)") && md.text.contains("**backend**"))
        #expect(md.text.contains("re-check:") && md.text.contains("`auditor check S-"))
    }

    @Test func summaryFitsOneScreen() {
        let markdown = MarkdownRenderer.render(Sample.report)
        let summary = markdown.components(separatedBy: "## 📋 Executive Summary")[1].components(separatedBy: "\n---\n")[0]
        #expect(summary.split(separator: "\n", omittingEmptySubsequences: false).count <= ExecutiveSummary.lineBudget)
        #expect(summary.contains("**Blockers:**") && summary.contains("**S-BLOCK-001**"))
    }
}
