import Wire

/// How tightly a burst reached the server: max − min of the times the server began each request,
/// read from the reference's `X-Reference-Began-Ns` stamps. Nil when a server gives no stamps.
public enum RaceSpread {
    public static let header = "X-Reference-Began-Ns"

    public static func microseconds(_ responses: [HTTPResponseData]) -> Double? {
        let stamps = responses.compactMap { $0.header(header).flatMap(UInt64.init) }
        guard stamps.count == responses.count, let first = stamps.min(), let last = stamps.max() else { return nil }
        return Double(last - first) / 1000
    }
}
