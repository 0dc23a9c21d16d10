/// Something that can take a system's state store away and give it back: the fault proxy in
/// front of a target's Redis, or the oracle's simulated outage.
public protocol StoreSwitch: Sendable {
    func cut(_ cut: StoreCut) async
    /// Every reply `milliseconds` late, in order: a store that answers, slowly.
    func slow(milliseconds: Int) async
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

    public func slow(milliseconds: Int) async {
        setMode(.latency(milliseconds: milliseconds))
    }

    public func restore() async {
        setMode(.pass)
    }
}

/// A store whose time can be moved forward: the oracle's embedded store, so a probe that waits
/// out a TTL on the target does not wait twice.
public protocol StoreClock: Sendable {
    func advance(seconds: Double) async
}
