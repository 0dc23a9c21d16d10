/// What faults and variants have in common: a name on the command line, an order for the ready
/// line, and the list of valid names for a usage error.
public protocol ReferenceSwitch: RawRepresentable, CaseIterable, Comparable, Sendable, Codable where RawValue == String {}

extension ReferenceSwitch {
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Every valid name, for usage errors.
    public static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
