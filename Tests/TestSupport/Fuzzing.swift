import Foundation
import Testing

// The harness every fuzz test shares: a seeded PRNG, random text, and a run that counts outcomes
// and records failures with a replay line. Every input comes from the seed, so a failure replays:
//   AUDITOR_FUZZ_SEED=<n or 0xhex>   base seed (default 0x5EED_A0D1_7000_0001); each test derives its own
//   AUDITOR_FUZZ_ITERATIONS=<n>      inputs per fuzz test, or `<k>x` for k times each test's default
//   AUDITOR_FUZZ_ONLY=<i>            run only iteration i (with its input printed)
//   AUDITOR_FUZZ_TRACE=1             print every input before it is used (to find the input of a trap)

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same stream on every platform.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum FuzzText {
    public static let pool: [Unicode.Scalar] = Array("0123456789abcxyzABC/,[]{}\":\\-_. \t\r\n".unicodeScalars)
        + ["\u{0}", "\u{7F}", "é", "\u{301}", "\u{200D}", "😀", "\u{FEFF}", "\u{2028}", "\u{FFFD}", "٤", "４", "𝟘", "ß", "\u{10FFFF}"]

    public static func scalar(_ rng: inout SplitMix64) -> Unicode.Scalar {
        if Int.random(in: 0..<8, using: &rng) == 0 {
            // Anywhere in Unicode (surrogates are not scalars: retry by falling back to the pool).
            return Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) ?? pool.randomElement(using: &rng)!
        }
        return pool.randomElement(using: &rng)!
    }

    /// Random text: a sixth random bytes decoded as UTF-8 (invalid sequences become U+FFFD, as off
    /// a socket), the rest scalars from the pool; `bom: false` leaves out U+FEFF, which Foundation's
    /// JSON on Linux drops, for round-trip checks.
    public static func random(_ rng: inout SplitMix64, maxLength: Int = 40, bom: Bool = true) -> String {
        var scalars = String.UnicodeScalarView()
        if Int.random(in: 0..<6, using: &rng) == 0 {
            let bytes = (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        } else {
            for _ in 0..<Int.random(in: 0...maxLength, using: &rng) { scalars.append(scalar(&rng)) }
        }
        return bom ? String(scalars) : String(String.UnicodeScalarView(scalars.filter { $0 != "\u{FEFF}" }))
    }
}

/// One fuzz test's run: seed, iteration count, outcome counts, failures with their input.

public struct FuzzRun {
    public let name: String
    public let seed: UInt64
    public let iterations: Int
    public private(set) var iteration = 0
    public var input: [UInt8] = [] { didSet { if FuzzRun.trace { print("fuzz \(name) #\(iteration): \(FuzzRun.describe(input))") } } }
    public var inputText: String {
        get { String(decoding: input, as: UTF8.self) }
        set { input = Array(newValue.utf8) }
    }
    private var counts: [(String, Int)] = []
    private var failures = 0
    private var executed = 0
    private let started = ContinuousClock.now

    public static let environment = ProcessInfo.processInfo.environment
    public static let trace = environment["AUDITOR_FUZZ_TRACE"] != nil
    public static let baseSeed: UInt64 = {
        guard let text = environment["AUDITOR_FUZZ_SEED"] else { return 0x5EED_A0D1_7000_0001 }
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) ?? 0 : UInt64(text) ?? 0
    }()

    public init(_ name: String, defaultIterations: Int) {
        self.name = name
        // FNV-1a of the name: each test its own stream, stable across runs and platforms.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        seed = FuzzRun.baseSeed ^ hash
        let setting = FuzzRun.environment["AUDITOR_FUZZ_ITERATIONS"] ?? ""
        if setting.hasSuffix("x"), let factor = Double(setting.dropLast()) {
            iterations = max(1, Int(Double(defaultIterations) * factor))
        } else {
            iterations = Int(setting).map { max(1, $0) } ?? defaultIterations
        }
    }

    /// Runs `body` once per iteration with an RNG derived from the seed and the iteration alone,
    /// so one iteration can be replayed on its own (AUDITOR_FUZZ_ONLY).
    public mutating func loop(_ body: (inout SplitMix64, inout FuzzRun) -> Void) {
        print("fuzz \(name): seed 0x\(String(seed, radix: 16)) (AUDITOR_FUZZ_SEED=0x\(String(FuzzRun.baseSeed, radix: 16))), \(iterations) inputs")
        let only = FuzzRun.environment["AUDITOR_FUZZ_ONLY"].flatMap { Int($0) }
        for i in 0..<iterations where only == nil || only == i {
            iteration = i
            executed += 1
            var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0xD6E8_FEB8_6659_FD93))
            body(&rng, &self)
            if only != nil { print("fuzz \(name) #\(i): \(FuzzRun.describe(input))") }
        }
    }

    public mutating func count(_ outcome: String) {
        if let index = counts.firstIndex(where: { $0.0 == outcome }) { counts[index].1 += 1 } else { counts.append((outcome, 1)) }
    }

    public mutating func check(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        if !condition { fail(message(), sourceLocation: sourceLocation) }
    }

    public mutating func fail(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        failures += 1
        guard failures <= 10 else { return }
        Issue.record("fuzz \(name) #\(iteration) (seed 0x\(String(seed, radix: 16)); replay: AUDITOR_FUZZ_SEED=0x\(String(FuzzRun.baseSeed, radix: 16)) AUDITOR_FUZZ_ONLY=\(iteration)): \(message)\ninput: \(FuzzRun.describe(input))",
                     sourceLocation: sourceLocation)
    }

    public func finish() {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let outcomes = counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        print("fuzz \(name): \(executed) inputs, \(String(format: "%.1f", seconds)) s, 0 crashes, \(failures) property failures\(outcomes.isEmpty ? "" : ", ")\(outcomes)")
    }

    /// Printable ASCII as is, the rest escaped; long inputs shortened.
    public static func describe(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes.prefix(600) {
            switch byte {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x5C: text += "\\\\"
            case 0x22: text += "\\\""
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text + "\"" + (bytes.count > 600 ? "… (\(bytes.count) bytes)" : " (\(bytes.count) bytes)")
    }
}
