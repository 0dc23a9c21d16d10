import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Network errors in the words a reviewer reads in a report: "connection refused", not
/// "SingleConnectionFailure(target: …)" (issue 10 §6). One place, so every probe, the preflight
/// and the INCOMPLETE report say the same thing for the same failure.
public enum WireErrors {
    public static func plain(_ error: Error) -> String {
        switch error {
        case let error as HTTPClientError:
            return error.description
        case let error as RESPConnectionError:
            return error.description
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return plain(first.error) }
            if let dns = error.dnsAAAAError ?? error.dnsAError { return "cannot resolve \(error.host): \(dns)" }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError:
            return errno(error.errnoCode) ?? "\(error)"
        case let error as HTTPParserError:
            switch error {
            case .headerOverflow: return "the answer's headers are too large"
            case .invalidChunkSize: return "not an HTTP answer (bad chunked encoding)"
            case .invalidContentLength, .unexpectedContentLength: return "not an HTTP answer (bad Content-Length)"
            case .invalidConstant, .invalidVersion, .invalidStatus, .strictModeAssertion, .unknown, .invalidCharactersUsed:
                return "not an HTTP answer (no HTTP status line: another protocol, or TLS on a plain-HTTP port?)"
            default: return "not an HTTP answer (malformed: \(words("\(error)")))"
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout(let amount): return "could not connect within \(Double(amount.nanoseconds) / 1e9) s"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed: return "the connection closed before a full answer"
            default: return "\(error)"
            }
        case is NIOHTTPClientUpgradeError:
            return "the server did not accept the protocol upgrade"
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "TLS: the server's certificate is not valid for the host name the auditor connected to"
        case let error as NIOSSLExtraError where error == .cannotUseIPAddressInSNI:
            return "TLS: tls.serverName must be a host name, not an IP address"
        case let error as NIOSSLError:
            return tls(error)
        case is TLSSetupError, is TLSHandshakeTimeout:
            return "\(error)"
        default:
            return "\(error)"
        }
    }

    /// BoringSSL's reason codes, in words; the code stays in brackets for a search.
    static func tls(_ error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let boring):
            let text = "\(boring)"
            let reasons: [(String, String)] = [
                ("CERTIFICATE_VERIFY_FAILED", "the server's certificate is not trusted"),
                ("WRONG_VERSION_NUMBER", "the server does not speak TLS on this port (plain HTTP or plain Redis?)"),
                ("CERTIFICATE_REQUIRED", "the server asks for a client certificate (tls.clientCert and tls.clientKey)"),
                ("HANDSHAKE_FAILURE", "the server refused the handshake (no common protocol version or cipher)"),
                ("UNKNOWN_CA", "the server does not trust the auditor's client certificate"),
                ("BAD_CERTIFICATE", "the server refused the auditor's client certificate"),
            ]
            for (code, words) in reasons where text.contains(code) { return "TLS handshake failed: \(words) [\(code)]" }
            return "TLS handshake failed (\(text))"
        case .uncleanShutdown:
            return "the connection closed without a TLS close_notify (the answer may be cut short)"
        case .noSuchFilesystemObject, .failedToLoadCertificate, .failedToLoadPrivateKey:
            return "TLS: a certificate or key file cannot be loaded"
        default:
            return "TLS error: \(error)"
        }
    }

    static func isVerifyFailure(_ error: Error) -> Bool {
        guard case .handshakeFailed(let boring)? = error as? NIOSSLError else { return false }
        return "\(boring)".contains("CERTIFICATE_VERIFY_FAILED")
    }

    static func isHostnameFailure(_ error: Error) -> Bool {
        (error as? NIOSSLExtraError) == .failedToValidateHostname
    }

    /// `invalidHeaderToken` → "invalid header token".
    static func words(_ identifier: String) -> String {
        identifier.reduce(into: "") { text, character in
            if character.isUppercase { text += " " + character.lowercased() } else { text.append(character) }
        }
    }

    static func errno(_ code: Int32) -> String? {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by peer"
        case EPIPE: return "connection closed by peer"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
        case EADDRINUSE: return "address already in use"
        case EACCES: return "permission denied"
        case EADDRNOTAVAIL: return "address not available on this machine"
        default: return nil
        }
    }
}
