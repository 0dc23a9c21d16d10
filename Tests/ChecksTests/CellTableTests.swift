import Foundation
import Testing
@testable import Checks

/// The contract cells of each pack (docs/contract/<pack>-cells.yml) against its rule pack: every
/// pin names a compared fact, every cell is pinned, open or a declared gap, every compared fact
/// pins a cell, and the published table (docs/contract/<pack>-cells.md) is the generated one.
/// After an intended change, regenerate with `UPDATE_DOCS=1 swift test --filter CellTableTests`.
@Suite("Contract cells")
struct CellTableTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/contract")

    static func cells(_ pack: Pack) throws -> ContractCells {
        try ContractCells.decode(String(contentsOf: docs.appendingPathComponent("\(pack.rawValue)-cells.yml"), encoding: .utf8))
    }

    @Test("every cell is pinned by existing facts, open, or a declared gap; no id twice", arguments: Pack.allCases)
    func consistent(_ pack: Pack) throws {
        let cells = try Self.cells(pack)
        let catalogue = try RuleCatalogue.bundled(pack)
        #expect(cells.problems(against: catalogue) == [])
        #expect(FileManager.default.fileExists(atPath: Self.docs.appendingPathComponent(cells.contract).path), "\(cells.contract) is in docs/contract")
        let counts = cells.counts
        print("\(pack.rawValue): \(counts.total) cells, \(counts.pinned) pinned, \(counts.open) open, \(counts.gaps) gaps")
    }

    @Test("every compared fact pins a cell of its contract (or answers to a budget the config states)", arguments: Pack.allCases)
    func everyFactPins(_ pack: Pack) throws {
        #expect(try Self.cells(pack).factsPinningNothing(try RuleCatalogue.bundled(pack)) == [])
    }

    @Test("the published cell table is the generated one", arguments: Pack.allCases)
    func published(_ pack: Pack) throws {
        let text = CellTableRenderer.render(try Self.cells(pack), catalogue: try RuleCatalogue.bundled(pack))
        let file = Self.docs.appendingPathComponent("\(pack.rawValue)-cells.md")
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" { try text.write(to: file, atomically: true, encoding: .utf8) }
        #expect(text == (try? String(contentsOf: file, encoding: .utf8)), "\(file.lastPathComponent) is stale: run with UPDATE_DOCS=1")
    }

    @Test("a pin to a fact that does not exist, and a cell with no standing, are problems")
    func problemsSaid() throws {
        let cells = try ContractCells.decode("""
        contract: journey.md
        cells:
          - {id: A, section: S, kind: status, text: t, pinnedBy: [JRN-RACE-001.nothing]}
          - {id: B, section: S, kind: status, text: t}
          - {id: B, section: S, kind: open, text: t, open: why}
        """)
        let problems = cells.problems(against: try RuleCatalogue.bundled(.journey))
        #expect(problems.contains { $0.hasPrefix("A: pinned by JRN-RACE-001.nothing, which is no compared fact") })
        #expect(problems.contains("B: give exactly one of pinnedBy (non-empty), open or gap"))
        #expect(problems.contains("B: the id is used twice"))
    }
}
