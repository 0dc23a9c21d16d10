import Foundation

/// What "the same request body" means for an idempotency key: the body parsed as JSON and
/// written again with sorted keys and no whitespace, so key order and spacing do not make two
/// retries of one request different. A body that is not JSON is compared as sent. The canonical
/// text itself is kept (as seed 004's `request_payload` column): bodies here are a few hundred
/// bytes, and an exact comparison needs no hash.
enum RequestFingerprint {
    static func of(_ body: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
              let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return String(decoding: body, as: UTF8.self) }
        return String(decoding: canonical, as: UTF8.self)
    }
}
