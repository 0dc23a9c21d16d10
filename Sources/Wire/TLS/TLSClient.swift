import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// The auditor's side of TLS, one value for every client it opens (API, race, load, Socket.IO,
/// Redis): which CAs to trust, an optional client certificate (mTLS), the name to verify, and
/// whether to verify at all. Built once: a `NIOSSLContext` loads files and CA bundles, which is
/// too slow to repeat for each of the thousands of connections a load run opens.
public struct TLSClient: Sendable {
    private let context: NIOSSLContext
    /// Kept to derive a variant that offers ALPN protocols (`offering(_:)`).
    private let configuration: TLSConfiguration
    /// The name sent as SNI and verified against the certificate; nil: the URL's host.
    public let serverName: String?
    /// Where trust comes from, for messages ("the CA in ca.crt", "the system's CAs").
    public let trustDescription: String

    public init(caFile: String? = nil, clientCert: String? = nil, clientKey: String? = nil,
                serverName: String? = nil, insecureSkipVerify: Bool = false) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = insecureSkipVerify ? .none : .fullVerification
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else { throw TLSSetupError(what: "caFile", path: caFile, why: "cannot be read") }
            do { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) } catch {
                throw TLSSetupError(what: "caFile", path: caFile, why: "is not a PEM certificate file")
            }
        }
        switch (clientCert, clientKey) {
        case (nil, nil): break
        case (let cert?, let key?):
            do { configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) } } catch {
                throw TLSSetupError(what: "clientCert", path: cert, why: "is not a readable PEM certificate file")
            }
            do { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)) } catch {
                throw TLSSetupError(what: "clientKey", path: key, why: "is not a readable PEM private key")
            }
        default:
            throw TLSSetupError(what: clientCert == nil ? "clientCert" : "clientKey", path: "", why: "is needed too (mTLS takes both)")
        }
        self.context = try NIOSSLContext(configuration: configuration)
        self.configuration = configuration
        self.serverName = serverName
        self.trustDescription = caFile.map { "the CA in \($0)" } ?? "the system's CAs"
    }

    private init(configuration: TLSConfiguration, serverName: String?, trustDescription: String) throws {
        self.context = try NIOSSLContext(configuration: configuration)
        self.configuration = configuration
        self.serverName = serverName
        self.trustDescription = trustDescription
    }

    /// The same trust and identity, offering `protocols` by ALPN (the single-packet race asks for
    /// `h2`): a context is fixed per configuration, so this builds a second one.
    public func offering(_ protocols: [String]) throws -> TLSClient {
        var configuration = self.configuration
        configuration.applicationProtocols = protocols
        return try TLSClient(configuration: configuration, serverName: serverName, trustDescription: trustDescription)
    }

    /// The system's trust store, full verification: what an `https://` URL gets when no `tls:` is configured.
    public static let systemDefault: TLSClient = {
        do { return try TLSClient() } catch { fatalError("the system TLS configuration cannot be built: \(error)") }
    }()

    /// Adds the TLS handler at the front of a pipeline being built: everything written after it
    /// (request bytes, the race's last byte, WebSocket frames, RESP) is encrypted below it.
    /// An IP address is never sent as SNI (RFC 6066 §3); NIOSSL then verifies it against the
    /// certificate's IP SANs. `handshake` completes when the handshake does.
    func addHandler(to pipeline: ChannelPipeline.SynchronousOperations, host: String, handshake: EventLoopPromise<Void>) throws {
        let name = serverName ?? host
        let sni = Self.isIPAddress(name) ? nil : name
        let handler = try NIOSSLClientHandler(context: context, serverHostname: sni)
        try pipeline.addHandler(handler, position: .first)
        try pipeline.addHandler(TLSHandshakeWaiter(promise: handshake), position: .after(handler))
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: 0)) != nil
    }
}

/// Completes its promise when the handshake completes, fails it with the first error (the
/// certificate refusal, a protocol mismatch) or when the connection closes before that. A
/// promise completed twice keeps its first result, so the later calls are harmless.
final class TLSHandshakeWaiter: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HTTPClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise.fail(HTTPClientError.connectionClosed)
    }
}

public struct TLSHandshakeTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "TLS handshake not completed within \(String(format: "%g", seconds)) s" }
}

/// A `tls:` setting that cannot be used: a usage error, reported with the key and the file.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var what: String
    public var path: String
    public var why: String
    /// The config section it came from (`tls`, `redis.tls`).
    public var setting = "tls"
    public var description: String { path.isEmpty ? "\(setting).\(what) \(why)" : "\(setting).\(what) '\(path)' \(why)" }
}
