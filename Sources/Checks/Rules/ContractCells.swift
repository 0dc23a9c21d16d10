import Foundation
import Yams

/// Every normative cell of a pack's contract (`docs/contract/<pack>-cells.yml`): a status for a
/// caller on a call, a key's TTL, an event field, a number, a forbidden name, a step of the order
/// of checks. Each cell is pinned by the compared facts (`rule.fact`) that observe it, named open
/// (a choice the contract leaves free: no rule may compare it), or declared a gap (nothing observes
/// it yet, and the published table says so). The cells are the unit the rule pack answers to: a
/// rule is a point chosen to observe them, not the other way round.
public struct ContractCells: Sendable, Decodable, Equatable {
    public struct Cell: Sendable, Decodable, Equatable {
        public var id: String
        public var section: String
        public var kind: String
        public var text: String
        public var pinnedBy: [String]?
        public var open: String?
        public var gap: String?

        /// How the cell stands: pinned, open or a gap.
        public var standing: Standing {
            if let open { return .open(open) }
            if let pins = pinnedBy, !pins.isEmpty { return .pinned(pins) }
            return .gap(gap ?? "no fact observes it")
        }
    }

    public enum Standing: Equatable, Sendable {
        case pinned([String])
        case open(String)
        case gap(String)
    }

    /// The contract document the cells come from (`journey.md`, beside the cells file).
    public var contract: String
    public var cells: [Cell]

    public static func decode(_ yaml: String) throws -> ContractCells {
        try YAMLDecoder().decode(ContractCells.self, from: yaml)
    }

    /// Everything wrong with the cells against a rule pack, in words: a pin naming no compared
    /// fact, a cell that is neither pinned, open nor a declared gap (or more than one), a duplicate id.
    public func problems(against catalogue: RuleCatalogue) -> [String] {
        let facts = Set(catalogue.rules.flatMap { rule in rule.compare.map { "\(rule.id).\($0.fact)" } })
        var problems: [String] = []
        var seen = Set<String>()
        for cell in cells {
            if !seen.insert(cell.id).inserted { problems.append("\(cell.id): the id is used twice") }
            let ways = [cell.pinnedBy.map { !$0.isEmpty } ?? false, cell.open != nil, cell.gap != nil].filter { $0 }.count
            if ways != 1 { problems.append("\(cell.id): give exactly one of pinnedBy (non-empty), open or gap") }
            for pin in cell.pinnedBy ?? [] where !facts.contains(pin) {
                problems.append("\(cell.id): pinned by \(pin), which is no compared fact of \(catalogue.name) \(catalogue.version)")
            }
        }
        return problems
    }

    /// Compared facts that pin no cell: a fact must answer to the contract (or say, in `pins:`,
    /// that it answers to the deployment's own stated budget in audit.yml).
    public func factsPinningNothing(_ catalogue: RuleCatalogue) -> [String] {
        let pinning = Set(cells.flatMap { $0.pinnedBy ?? [] })
        return catalogue.rules.flatMap { rule in
            rule.compare.filter { !pinning.contains("\(rule.id).\($0.fact)") && !$0.pins.hasPrefix("audit.yml") }.map { "\(rule.id).\($0.fact)" }
        }
    }

    public var counts: (total: Int, pinned: Int, open: Int, gaps: Int) {
        cells.reduce(into: (total: 0, pinned: 0, open: 0, gaps: 0)) { counts, cell in
            counts.total += 1
            switch cell.standing {
            case .pinned: counts.pinned += 1
            case .open: counts.open += 1
            case .gap: counts.gaps += 1
            }
        }
    }
}
