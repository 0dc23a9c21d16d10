import Checks
import Foundation

/// Scans backend and mobile trees (TS/JS/TSX/JSX) for docs/contract/journey.md's forbidden WebSocket shapes:
/// journey/location event handlers and emits, the client's travel calls, and an in-memory
/// `activeTravelSessions` map. Mentions in comments and strings do not count.
public struct SourceScanner: Sendable {
    public static let inboundEvents = ["trainerLocation", "startTravel", "stopTravel", "subscribeToTrainerLocation"]
    public static let outboundEvents = ["trainerLocationUpdate", "trainerTravelStarted", "trainerArrived", "travelStarted", "destinationReached"]
    public static let clientCalls = ["startTravel", "sendTrainerLocation", "subscribeToTrainerLocation", "stopTravel"]
    static let extensions: Set<String> = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"]
    static let skippedDirectories: Set<String> = ["node_modules", ".git", "dist", "build", ".next", "coverage", ".expo"]
    /// Files larger than this are generated or bundled code, not what a reviewer means.
    static let maxFileBytes = 2_000_000

    public init() {}

    public enum ScanError: Error, CustomStringConvertible {
        case notFound(String)
        public var description: String {
            switch self { case .notFound(let path): return "no such file or directory: \(path)" }
        }
    }

    /// Every finding under the paths, sorted by file and line; paths in findings are as given.
    public func scan(_ paths: [String]) throws -> [SourceFinding] {
        try scanCounting(paths).findings
    }

    /// What a scan found, and how many files it actually read: zero files is no evidence of clean code.
    public struct Result: Sendable {
        public var findings: [SourceFinding]
        public var filesRead: Int
    }

    public func scanCounting(_ paths: [String]) throws -> Result {
        var findings: [SourceFinding] = []
        var filesRead = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ScanError.notFound(path) }
            let files = isDirectory.boolValue ? sourceFiles(under: path) : [path]
            for file in files {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8), text.utf8.count <= Self.maxFileBytes else { continue }
                filesRead += 1
                findings += scan(text: text, file: file)
            }
        }
        return Result(findings: findings.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }, filesRead: filesRead)
    }

    func sourceFiles(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if Self.skippedDirectories.contains(name) { walker.skipDescendants(); continue }
            if Self.extensions.contains((name as NSString).pathExtension) { files.append((root as NSString).appendingPathComponent(relative)) }
        }
        return files.sorted()
    }

    /// The forbidden shapes in one file's text. Patterns run over the whole masked file, so a call
    /// split over lines (`io.to(room)\n  .emit(\n "trainerLocationUpdate"`) is found; the line
    /// reported is where the match starts.
    public func scan(text: String, file: String) -> [SourceFinding] {
        let masked = JSLexer.mask(text)
        let code = masked.code
        let originalLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let forbiddenNames = Set(Self.inboundEvents + Self.outboundEvents)
        var findings: [SourceFinding] = []
        func add(_ shape: String, at index: String.Index) {
            let before = code[code.startIndex..<index]
            let line = before.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: "\n").map { code.index(after: $0) } ?? code.startIndex
            let column = code.distance(from: lineStart, to: index) + 1
            let original = line < originalLines.count ? originalLines[line].trimmingCharacters(in: .whitespaces) : ""
            findings.append(SourceFinding(file: file, line: line + 1, column: column, shape: shape, text: original))
        }
        // .on('name' / .once / .addListener / .emit('name' with a forbidden or location_ name
        for match in code.matches(of: #/\.\s*(on|once|addListener|emit)\s*\(\s*§(\d+)§/#) {
            guard let n = Int(match.2), n < masked.literals.count else { continue }
            let name = masked.literals[n]
            if forbiddenNames.contains(name) || name.hasPrefix("location_") {
                add("socket.\(match.1)('\(name)')", at: match.range.lowerBound)
            }
        }
        for match in code.matches(of: #/\.\s*(startTravel|sendTrainerLocation|subscribeToTrainerLocation|stopTravel)\s*\(/#) {
            add("socket.\(match.1)(…)", at: match.range.lowerBound)
        }
        // Simple word boundaries: Unicode ones do not break at "." between letters (activeTravelSessions.set).
        for match in code.matches(of: #/\bactiveTravelSessions\b/#.wordBoundaryKind(.simple)) {
            add("activeTravelSessions map", at: match.range.lowerBound)
        }
        return findings
    }
}
