import Probes
import Wire

/// Can the auditor read the target's Redis at all? One connection (AUTH and SELECT as the URL
/// says), a PING and a TTL of a key no deployment has: refused, silent, garbage, NOAUTH,
/// WRONGPASS and NOPERM all show here, once, instead of in every probe's evidence. The reason
/// never contains the password (errors name the host and the server's words only).
enum RedisReadCheck {
    static func problem(_ url: RedisURL, tls: TLSClient?) async -> String? {
        do {
            let inspector = try await RedisInspector.connect(url, tls: tls)
            defer { inspector.close() }
            try await inspector.ping()
            _ = try await inspector.ttl("auditor:read-check")
            return nil
        } catch {
            let certificate = url.usesTLS ? await TLSDiagnosis.explain(error, host: url.host, port: url.port, tls: tls, setting: "redis.tls") : nil
            return "\(url.description): \(certificate ?? WireErrors.plain(error))"
        }
    }
}
