import Foundation

/// `tls:` (and `redis.tls:`) in `audit.yml`: how the auditor's clients verify the target.
/// Every file is a PEM path, relative to the config file's directory.
public struct TLSSpec: Sendable, Equatable {
    /// The CA bundle to trust instead of the system's (a private CA, a staging certificate).
    public var caFile: String?
    /// A client certificate and its key, for a target that asks for one (mTLS).
    public var clientCert: String?
    public var clientKey: String?
    /// The name to verify (and send as SNI) when it differs from the URL's host (an IP address, a tunnel).
    public var serverName: String?
    /// Skips verification altogether: loudly, and the certification says "TLS not verified".
    public var insecureSkipVerify = false

    public init(caFile: String? = nil, clientCert: String? = nil, clientKey: String? = nil,
                serverName: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.clientCert = clientCert
        self.clientKey = clientKey
        self.serverName = serverName
        self.insecureSkipVerify = insecureSkipVerify
    }

    static let keys = ["caFile", "clientCert", "clientKey", "serverName", "insecureSkipVerify"]
}
