import Wire

/// How tightly a burst reached the server: max − min of the times the reference received each
/// request (`X-Reference-Received-Ns`, stamped as the last part is decoded) or, from a server
/// without those, began it (`X-Reference-Began-Ns`). Nil when a server gives no stamps.
public enum RaceSpread {
    public static let headers = ["X-Reference-Received-Ns", "X-Reference-Began-Ns"]

    public static func microseconds(_ responses: [HTTPResponseData], header: String? = nil) -> Double? {
        guard let header = header ?? headers.first(where: { name in responses.allSatisfy { $0.header(name) != nil } }) else { return nil }
        let stamps = responses.compactMap { $0.header(header).flatMap(UInt64.init) }
        guard stamps.count == responses.count, let first = stamps.min(), let last = stamps.max() else { return nil }
        return Double(last - first) / 1000
    }
}
