import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a TLS handshake failed, in the words a reviewer acts on: "expired on 2020-01-02", "issued
/// for wrong.example, not localhost", "not signed by the CA in ca.crt". BoringSSL reports all of
/// these as one `CERTIFICATE_VERIFY_FAILED`, so after such a failure the auditor connects once
/// more without verifying, reads the server's certificate, and names what is wrong with it. That
/// second connection completes the handshake and sends nothing.
public enum TLSDiagnosis {
    /// The failure, explained when it is a certificate the auditor refused; nil otherwise.
    /// `setting`: the config key the advice names (`tls`, `redis.tls`).
    public static func explain(_ error: Error, host: String, port: Int, tls: TLSClient?, setting: String = "tls") async -> String? {
        guard isCertificateRefusal(error) else { return nil }
        let trust = tls?.trustDescription ?? TLSClient.systemDefault.trustDescription
        let name = tls?.serverName ?? host
        guard let leaf = await peerCertificate(host: host, port: port, serverName: tls?.serverName) else {
            return "the server's certificate was refused (\(WireErrors.plain(error)))"
        }
        let now = time(nil)
        if leaf.notValidAfter < now { return "the server's certificate expired on \(day(leaf.notValidAfter)) (checked against \(trust))" }
        if leaf.notValidBefore > now { return "the server's certificate is not valid before \(day(leaf.notValidBefore))" }
        if !WireErrors.isHostnameFailure(error), WireErrors.isVerifyFailure(error) {
            return "the server's certificate (\(subject(leaf))) is not signed by \(trust); set \(setting).caFile to the CA that issued it"
        }
        let names = leaf._subjectAlternativeNames().compactMap(sanText)
        return "the server's certificate is for \(names.isEmpty ? subject(leaf) : names.joined(separator: ", ")), not \(name); connect by one of those names or set \(setting).serverName"
    }

    static func isCertificateRefusal(_ error: Error) -> Bool {
        WireErrors.isVerifyFailure(error) || WireErrors.isHostnameFailure(error)
    }

    /// The leaf certificate, read over a handshake that accepts anything (and is closed at once).
    static func peerCertificate(host: String, port: Int, serverName: String?) async -> NIOSSLCertificate? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let group = MultiThreadedEventLoopGroup.singleton
        let captured = group.next().makePromise(of: NIOSSLCertificate?.self)
        let name = serverName ?? host
        let sni = TLSClient.isIPAddress(name) ? nil : name
        let channel = try? await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: sni) { chain, verdict in
                        captured.succeed(chain.first)
                        verdict.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port).get()
        guard let channel else {
            captured.succeed(nil)
            return nil
        }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { captured.succeed(nil) }
        defer {
            timeout.cancel()
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { _ in captured.succeed(nil) }
        return try? await captured.futureResult.get()
    }

    static func day(_ time: time_t) -> String {
        Date(timeIntervalSince1970: TimeInterval(time)).formatted(.iso8601.year().month().day())
    }

    /// `CN=…` from the certificate's description (NIOSSL keeps the parsed name internal).
    static func subject(_ certificate: NIOSSLCertificate) -> String {
        let text = "\(certificate)"
        guard let start = text.range(of: "common_name=") else { return "no common name" }
        return "CN=" + text[start.upperBound...].prefix { $0 != ";" && $0 != ">" }
    }

    static func sanText(_ name: _SubjectAlternativeName) -> String? {
        let bytes = Array(name.contents)
        switch name.nameType {
        case .dnsName: return String(decoding: bytes, as: UTF8.self)
        case .ipAddress where bytes.count == 4: return bytes.map(String.init).joined(separator: ".")
        case .ipAddress where bytes.count == 16:
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        default: return nil
        }
    }
}
