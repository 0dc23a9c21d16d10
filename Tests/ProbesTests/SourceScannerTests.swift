import Checks
import Foundation
import Reference
import Testing
@testable import Probes

@Suite("Source scanner (JRN-WS-002)")
struct SourceScannerTests {
    static let tricky = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SourceTrees/tricky").path

    @Test("the seeds' code (001–003) is found shape by shape")
    func seedsBad() throws {
        let findings = try SourceScanner().scan(SourceView.paths(for: [.wsLocationHandlers]))
        let shapes = Set(findings.map(\.shape))
        for expected in ["socket.on('trainerLocation')", "socket.on('startTravel')", "socket.on('stopTravel')",
                         "socket.emit('trainerLocationUpdate')", "socket.emit('trainerTravelStarted')", "socket.emit('trainerLocation')",
                         "socket.sendTrainerLocation(…)", "socket.startTravel(…)", "socket.subscribeToTrainerLocation(…)",
                         "socket.on('location_${trainerId}')", "activeTravelSessions map"] {
            #expect(shapes.contains(expected), "missing \(expected)")
        }
        let map = try #require(findings.first { $0.shape == "activeTravelSessions map" })
        #expect(map.file.hasSuffix("backend/src/socket/socketServer.ts"))
        #expect(map.line == 7)
        #expect(map.text == "const activeTravelSessions = new Map<string, TravelSession>();")
    }

    @Test("the fixed code (000) has nothing, though its comments and strings mention the old names")
    func seedsFixed() throws {
        #expect(try SourceScanner().scan(SourceView.paths(for: [])).isEmpty)
    }

    @Test("comments and strings are mentions; unusual spacing, quotes and templates are code")
    func tricky() throws {
        let findings = try SourceScanner().scan([Self.tricky])
        #expect(!findings.contains { $0.file.hasSuffix("mentions.ts") }, "\(findings.filter { $0.file.hasSuffix("mentions.ts") })")
        #expect(!findings.contains { $0.file.contains("node_modules") })
        let real = findings.filter { $0.file.hasSuffix("real.js") }.map { "\($0.line) \($0.shape)" }
        #expect(real == [
            "3 socket.emit('trainerLocationUpdate')",
            "5 socket.on('subscribeToTrainerLocation')",
            "6 socket.once('destinationReached')",
            "7 socket.emit('location_${trainerId}')",
            "9 socket.on('travelStarted')",
        ])
    }

    @Test func missingPath() {
        #expect(throws: SourceScanner.ScanError.self) { try SourceScanner().scan(["/no/such/tree"]) }
    }

    @Test("SARIF 2.1.0 with rule, level and locations")
    func sarif() throws {
        let findings = [SourceFinding(file: "/repo/backend/socket.ts", line: 66, column: 3, shape: "socket.on('trainerLocation')", text: "socket.on('trainerLocation', …)")]
        let text = try SARIFRenderer.render(findings, rule: nil, toolVersion: "0.1.0", relativeTo: "/repo/")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "auditor")
        #expect((driver["rules"] as? [[String: Any]])?.first?["id"] as? String == "JRN-WS-002")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "JRN-WS-002")
        #expect(result["level"] as? String == "error")
        let location = try #require(((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "backend/socket.ts")
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 66)
    }
}
