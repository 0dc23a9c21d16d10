import Foundation

/// The rule file of every pack (`journey.yml`, `trip.yml`), bundled into the binary. The files
/// live at the repository's top level, where a reviewer looks for them; this target exists only
/// to carry them (SwiftPM bundles resources per target).
public enum RuleFiles {
    /// The bundled file of a pack, or nil when no pack has that name.
    public static func url(pack: String) -> URL? {
        Bundle.module.url(forResource: pack, withExtension: "yml")
    }

}
