/// Compares the target's observation with the oracle's, fact by fact, as the rule says.
/// Pure: no expected value lives here; every expectation is the oracle's observation, or a limit
/// the contract or the audit's config states.
public enum Judge {
    /// `limits`: the config's stated limits by name (`scale.p99.locationUpdate`), for `limitFrom`.
    public static func judge(_ rule: Rule, target: Observation, oracle: Observation, limits: [String: Double] = [:]) -> Finding {
        func finding(_ status: Finding.Status, _ summary: String, _ comparisons: [Finding.Comparison] = []) -> Finding {
            Finding(ruleID: rule.id, status: status, summary: summary, comparisons: comparisons, target: target, oracle: oracle)
        }
        if let reason = target.notChecked ?? target.notApplicable { return finding(.notChecked, reason) }

        // Facts observed before an error still count: a difference is a failure whatever came after.
        let comparisons = rule.compare.map { compare($0, target: target[$0.fact], oracle: oracle[$0.fact], limits: limits) }
        let failed = comparisons.filter { $0.holds == false }
        if !failed.isEmpty {
            let first = failed[0]
            let more = failed.count > 1 ? " (and \(failed.count - 1) more)" : ""
            let then = target.failure.map { " The scenario then stopped: \($0)" } ?? ""
            return finding(.fail, "\(first.description): expected \(first.expected) (\(first.rule)), observed \(first.observed)\(more).\(then)", comparisons)
        }
        if let failure = oracle.failure { return finding(.inconclusive, "The reference could not run this scenario: \(failure)", comparisons) }
        if let failure = target.failure { return finding(.inconclusive, "Could not run the scenario against the target: \(failure)", comparisons) }
        if let undecided = comparisons.first(where: { $0.holds == nil }) {
            let side = undecided.observed.isObserved ? undecided.expected : undecided.observed
            return finding(.inconclusive, "\(undecided.description): \(side)", comparisons)
        }
        return finding(.pass, "All \(comparisons.count) observations match the reference.", comparisons)
    }

    static func compare(_ spec: FactComparison, target: FactValue, oracle: FactValue, limits: [String: Double] = [:]) -> Finding.Comparison {
        var comparison = Finding.Comparison(fact: spec.fact, description: spec.description, expected: oracle, observed: target,
                                            rule: describe(spec, limits: limits), holds: nil)
        // A bound the contract or the config states is judged on the target alone.
        if spec.isLimit {
            guard let limit = spec.limit ?? spec.limitFrom.flatMap({ limits[$0] }) else {
                comparison.expected = .unobserved("no \(spec.limitFrom ?? "limit") configured")
                return comparison
            }
            comparison.expected = .string("\(spec.mode == .below ? "below" : "at most") \(format(limit))")
            if let value = target.numberValue { comparison.holds = spec.mode == .below ? value < limit : value <= limit }
            return comparison
        }
        guard target.isObserved, oracle.isObserved else { return comparison }
        switch spec.mode {
        case .equal:
            comparison.holds = target == oracle
        case .within:
            if let t = target.numberValue, let o = oracle.numberValue {
                comparison.holds = abs(t - o) <= (spec.tolerance ?? 0)
            } else {
                comparison.holds = target == oracle
            }
        case .atMost:
            if let t = target.numberValue, let o = oracle.numberValue { comparison.holds = t <= o } else { comparison.holds = false }
        case .includes:
            if case .strings(let o) = oracle, o.isEmpty {
                // Nothing to include proves nothing: the reference itself saw no such thing.
                comparison.expected = .unobserved("the reference observed nothing to compare with")
            } else if case .strings(let t) = target, case .strings(let o) = oracle {
                comparison.holds = Set(o).isSubset(of: Set(t))
            } else {
                comparison.holds = target == oracle
            }
        case .below, .notAbove:
            break
        }
        return comparison
    }

    public static func describe(_ spec: FactComparison, limits: [String: Double] = [:]) -> String {
        switch spec.mode {
        case .equal: return "equal to the reference"
        case .within: return "within \(format(spec.tolerance ?? 0)) of the reference"
        case .atMost: return "at most the reference's"
        case .includes: return "everything the reference shows"
        case .below, .notAbove:
            let limit = spec.limit ?? spec.limitFrom.flatMap { limits[$0] }
            let word = spec.mode == .below ? "below" : "at most"
            let source = spec.limitFrom.map { " (\($0))" } ?? ""
            return "\(word) \(limit.map(format) ?? "?")\(source)"
        }
    }

    public static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
