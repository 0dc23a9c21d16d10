import Foundation
import Wire

/// Proves a journey fixture the way the scenarios will use it, before any of them runs and without
/// starting a journey: every identity's token is accepted (live polling, the one read-only call,
/// as each of the four; only a 401 is a refusal: another trainer's 403 is what the contract says),
/// and the session has no active journey. A fixture the deployment refuses (another environment's,
/// expired, or authentication broken: from outside they cannot be told apart) is a reason the audit
/// cannot run, never an observed violation.
public enum FixtureCheck {
    /// Why the fixture cannot be used on `system`, in words, or nil when it can.
    public static func problem(_ fixture: ProbeFixture, on system: ProbeSystem) async -> String? {
        for role in [Role.student, .trainer, .otherTrainer, .otherStudent] {
            let request = system.api.request(.liveLocation, sessionId: fixture.sessionId, token: fixture.token(role))
            let response: HTTPResponseData
            do { response = try await system.api.client.send(request) } catch {
                return "the fixture check's live polling as the \(role.words) got no answer (\(WireErrors.plain(error)))"
            }
            if response.status == 401 {
                return "the target refuses the fixture's \(role.words) token (401 on live polling of session \(fixture.sessionId)): "
                    + "the fixtures are not valid on this deployment (another environment's, or expired), so no rule can be judged"
            }
            if role == .student, response.status == 200, (response.json?["data"] as? [String: Any])?["isActive"] as? Bool == true {
                return "the fixture's session \(fixture.sessionId) already has an active journey: fixtures must be fresh, scheduled sessions"
            }
        }
        return nil
    }

    /// A 401 answered to one of the fixture's own identities: the scenario stops, inconclusive.
    static func refusal(_ role: Role, _ status: Int, label: String) -> ProbeError? {
        guard status == 401, role.isFixtureIdentity else { return nil }
        return ProbeError("\(label): the target refused the fixture's \(role.words) token (401); a refused fixture is a reason "
                          + "the scenario could not run, not an observed violation")
    }
}

extension Role {
    /// A token the fixture supplies (not the auditor's own missing or made-up one).
    var isFixtureIdentity: Bool { self != .none && self != .invalid }

    var words: String {
        switch self {
        case .trainer: return "trainer"
        case .student: return "student"
        case .otherTrainer: return "other trainer"
        case .otherStudent: return "other student"
        case .none: return "no token"
        case .invalid: return "unknown token"
        }
    }
}
