/// Something that can take a system's state store away and give it back: the fault proxy in
/// front of a target's Redis, or the oracle's simulated outage.
public protocol StoreSwitch: Sendable {
    func cut(_ cut: StoreCut) async
    func restore() async
}

public enum StoreCut: String, Sendable, CaseIterable {
    /// Connections refused or dropped.
    case down
    /// Connections accepted, nothing ever answered.
    case timeout
}

extension FaultProxy: StoreSwitch {
    public func cut(_ cut: StoreCut) async {
        setMode(cut == .down ? .down : .timeout)
    }

    public func restore() async {
        setMode(.pass)
    }
}
