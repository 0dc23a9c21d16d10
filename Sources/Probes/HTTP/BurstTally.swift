/// The answers of a burst, counted: "1×201 19×409", classes in order. Both race probes state
/// their rounds this way, and their rules compare the text.
public enum BurstTally {
    public static func of<Class: Hashable & Comparable & CustomStringConvertible>(_ classes: [Class]) -> String {
        Dictionary(grouping: classes, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.value.count)×\($0.key)" }.joined(separator: " ")
    }
}
