/// Compares the target's observation with the oracle's, fact by fact, as the rule says.
/// Pure: no expected value lives here; every expectation is the oracle's observation.
public enum Judge {
    public static func judge(_ rule: Rule, target: Observation, oracle: Observation) -> Finding {
        func finding(_ status: Finding.Status, _ summary: String, _ comparisons: [Finding.Comparison] = []) -> Finding {
            Finding(ruleID: rule.id, status: status, summary: summary, comparisons: comparisons, target: target, oracle: oracle)
        }
        if let reason = target.notApplicable { return finding(.notApplicable, reason) }
        if let failure = oracle.failure { return finding(.inconclusive, "The reference could not run this scenario: \(failure)") }
        if let failure = target.failure { return finding(.inconclusive, "Could not run the scenario against the target: \(failure)") }

        let comparisons = rule.compare.map { compare($0, target: target[$0.fact], oracle: oracle[$0.fact]) }
        let failed = comparisons.filter { $0.holds == false }
        if !failed.isEmpty {
            let first = failed[0]
            let more = failed.count > 1 ? " (and \(failed.count - 1) more)" : ""
            return finding(.fail, "\(first.description): expected \(first.expected) (\(first.rule)), observed \(first.observed)\(more).", comparisons)
        }
        if let undecided = comparisons.first(where: { $0.holds == nil }) {
            let side = undecided.observed.isObserved ? undecided.expected : undecided.observed
            return finding(.inconclusive, "\(undecided.description): \(side)", comparisons)
        }
        return finding(.pass, "All \(comparisons.count) observations match the reference.", comparisons)
    }

    static func compare(_ spec: FactComparison, target: FactValue, oracle: FactValue) -> Finding.Comparison {
        var comparison = Finding.Comparison(fact: spec.fact, description: spec.description, expected: oracle, observed: target,
                                            rule: describe(spec), holds: nil)
        // A bound the contract states is judged on the target alone.
        if spec.mode == .below, let limit = spec.limit {
            comparison.expected = .string("below \(format(limit))")
            if let value = target.intValue { comparison.holds = Double(value) < limit }
            return comparison
        }
        guard target.isObserved, oracle.isObserved else { return comparison }
        switch spec.mode {
        case .equal:
            comparison.holds = target == oracle
        case .within:
            if let t = target.intValue, let o = oracle.intValue {
                comparison.holds = Double(abs(t - o)) <= (spec.tolerance ?? 0)
            } else {
                comparison.holds = target == oracle
            }
        case .atMost:
            if let t = target.intValue, let o = oracle.intValue { comparison.holds = t <= o } else { comparison.holds = false }
        case .includes:
            if case .strings(let t) = target, case .strings(let o) = oracle {
                comparison.holds = Set(o).isSubset(of: Set(t))
            } else {
                comparison.holds = target == oracle
            }
        case .below:
            break
        }
        return comparison
    }

    static func describe(_ spec: FactComparison) -> String {
        switch spec.mode {
        case .equal: return "equal to the reference"
        case .within: return "within \(format(spec.tolerance ?? 0)) of the reference"
        case .atMost: return "at most the reference's"
        case .below: return "below \(format(spec.limit ?? 0))"
        case .includes: return "everything the reference shows"
        }
    }

    public static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}
