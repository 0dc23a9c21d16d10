import Foundation

/// What the reference's own source looks like, as backend and mobile trees for the source rule:
/// the fixed code of seeds/000 when clean, the seeds' (001–003) WebSocket journey code under
/// `ws-location-handlers`. The demo points `source.paths` here, so the source rule runs too.
public enum SourceView {
    public static func paths(for faults: Set<Fault>) -> [String] {
        let name = faults.contains(.wsLocationHandlers) ? "ws-location-handlers" : "clean"
        guard let root = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "source-views") else { return [] }
        return [root.appendingPathComponent("backend").path, root.appendingPathComponent("mobile").path]
    }
}
