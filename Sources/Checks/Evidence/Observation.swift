/// Everything one run of a probe saw on one system (the target or the oracle).
public struct Observation: Sendable, Equatable, Codable {
    /// Named facts; the rule says which to compare and how.
    public var facts: [String: FactValue]
    /// What was sent and what came back, in order: the evidence and the reproduction.
    public var transcript: [Exchange]
    /// Set when the probe could not run its scenario at all (unreachable, fixtures failed…).
    public var failure: String?
    /// Set when the audit lacks what the rule needs (no socket.url, no source.paths…): the rule
    /// is *not checked*, which caps the verdict when it is a blocker (issue 10 §Coverage).
    public var notChecked: String?
    /// Reports written before "not checked" existed used this; read, never written any more.
    public var notApplicable: String?
    /// Wall time of the scenario.
    public var seconds: Double = 0
    /// Requests sent in bulk (the scale probe's load) and counted here rather than one by one.
    public var untranscribedRequests: Int?
    /// Why no shell block can show this evidence (a comparison the probe computes across steps,
    /// which their status codes do not show): `auditor check` is then the reproduction.
    public var unscriptable: String?

    public init(facts: [String: FactValue] = [:], transcript: [Exchange] = [], failure: String? = nil, notChecked: String? = nil) {
        self.facts = facts
        self.transcript = transcript
        self.failure = failure
        self.notChecked = notChecked
    }

    public subscript(fact: String) -> FactValue {
        facts[fact] ?? .unobserved("the probe did not record '\(fact)'")
    }

    /// Requests sent to the system under probe (HTTP calls; Redis reads are not requests to the service).
    public var requestCount: Int { transcript.filter { $0.kind == .http }.count + (untranscribedRequests ?? 0) }
}

/// One step of a probe: an HTTP call or a Redis read, as evidence and as a reproduction line.
public struct Exchange: Sendable, Equatable, Codable {
    /// `control` is a condition the auditor set (EventBridge failing, the store cut, a wait): a
    /// reproduction sets it again through `auditor reproduce` (`eventbridge throttle`, `store down`, `wait 5.5`).
    public enum Kind: String, Sendable, Codable { case http, redis, event, socket, note, control }

    public var kind: Kind
    /// What the step is for, e.g. "start as the other trainer".
    public var label: String
    /// `POST /api/v1/admin/sessions/{sessionId}/start-journey`, `TTL journey:active:…`.
    public var request: String
    /// What role "invalid" sends: a well-formed bearer no deployment issued (not a secret, so a
    /// reproduction sends the very same one).
    public static let invalidToken = "auditor-invalid-token-0000000000000000"
    /// The prefix of a session id the auditor made up to ask about a session that does not exist:
    /// a reproduction keeps it as written (it is no fixture's session).
    public static let unknownSessionPrefix = "auditor-unknown-"

    /// The role whose token was sent ("trainer", "otherStudent", "none", "invalid"); never the token.
    public var credential: String?
    /// A JSON body that was sent, if any (tokens never appear in bodies).
    public var body: String?
    /// `409`, `3600`, `(nil)`, or the error.
    public var result: String
    public var milliseconds: Double?
    /// Which of `target.instances` answered (1-based) when the probe chose one; nil: `target.baseURL`.
    public var instance: Int?
    /// The bound the contract puts on this answer (s), when the probe judged one: no answer
    /// within it is the observation, and a reproduction waits no longer either.
    public var withinSeconds: Double?

    public init(kind: Kind, label: String, request: String, credential: String? = nil, body: String? = nil, result: String,
                milliseconds: Double? = nil, instance: Int? = nil, withinSeconds: Double? = nil) {
        self.kind = kind
        self.label = label
        self.request = request
        self.credential = credential
        self.body = body
        self.result = result
        self.milliseconds = milliseconds
        self.instance = instance
        self.withinSeconds = withinSeconds
    }
}
