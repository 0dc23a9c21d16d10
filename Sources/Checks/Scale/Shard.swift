/// `i/N`: which part of the journeys one driver takes.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(parsing text: String) throws {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw ConfigError(file: "--shard", key: "", expected: "i/N with 1 ≤ i ≤ N", found: "'\(text)'")
        }
        index = parts[0]
        count = parts[1]
    }

    /// This shard's journeys: an even split, the first shards taking the remainder.
    public func share(of total: Int) -> Int { total / count + (index <= total % count ? 1 : 0) }

    public var description: String { "\(index)/\(count)" }
}

