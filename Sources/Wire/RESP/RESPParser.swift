import NIOCore

/// Reads RESP values from a byte stream that may arrive in arbitrary pieces.
///
/// The parser never consumes a partial value: it reads from a copy of the reader index and only
/// moves the buffer on when a whole value was decoded, so a TCP segment boundary anywhere in a
/// value (or in a `\r\n`) simply yields `nil` until the rest arrives.
public struct RESPParser: Sendable {
    public enum ParseError: Error, Equatable {
        case unknownType(UInt8)
        case badLength(String)
        case badInteger(String)
        case tooDeep
        case lineTooLong
    }

    /// Limits that keep a hostile peer from making us allocate without bound.
    public var maxBulkLength = 64 * 1024 * 1024
    public var maxDepth = 32
    /// Longest line (a simple string, an error, a header, an inline command) before the CRLF:
    /// Redis's own limit for inline requests (PROTO_INLINE_MAX_SIZE, 64 KiB).
    public var maxLineLength = 64 * 1024

    public init() {}

    /// Decodes one value from the front of `buffer`, consuming it; `nil` when more bytes are needed.
    public func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth <= maxDepth else { throw ParseError.tooDeep }
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        // Inline commands (what `telnet` or `nc` send) start with a letter; redis-cli and clients send arrays.
        if depth == 0, type != UInt8(ascii: "*"), Self.isInlineStart(type) {
            guard let line = try readLine(&buffer) else { return nil }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if let long = words.first(where: { $0.utf8.count > maxBulkLength }) { throw ParseError.badLength(String(long.utf8.count)) }
            return .command(words)
        }
        // An unknown type byte is refused at once, not after a whole line arrived.
        guard Self.types.contains(type) else { throw ParseError.unknownType(type) }
        var probe = buffer
        probe.moveReaderIndex(forwardBy: 1)
        guard let line = try readLine(&probe) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            buffer = probe
            return .simpleString(line)
        case UInt8(ascii: "-"):
            buffer = probe
            return .error(line)
        case UInt8(ascii: ":"):
            guard let i = Int(line) else { throw ParseError.badInteger(line) }
            buffer = probe
            return .integer(i)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= maxBulkLength else { throw ParseError.badLength(line) }
            if length == -1 {
                buffer = probe
                return .bulkString(nil)
            }
            guard probe.readableBytes >= length + 2, let bytes = probe.readBytes(length: length) else { return nil }
            probe.moveReaderIndex(forwardBy: 2)
            buffer = probe
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= 1_048_576 else { throw ParseError.badLength(line) }
            if count == -1 {
                buffer = probe
                return .array(nil)
            }
            var items: [RESPValue] = []
            // Never trust a declared count for memory: each item takes at least 3 bytes (":0\r\n"-like).
            items.reserveCapacity(min(count, probe.readableBytes / 3))
            for _ in 0..<count {
                guard let item = try parseValue(&probe, depth: depth + 1) else { return nil }
                items.append(item)
            }
            buffer = probe
            return .array(items)
        default:
            throw ParseError.unknownType(type)
        }
    }

    private static let types: Set<UInt8> = [UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*")]

    private static func isInlineStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Reads up to the first `\r\n` (exclusive; a lone `\r` is part of the line) and consumes it;
    /// `nil` when the line is not complete yet; an error when it is longer than `maxLineLength`.
    private func readLine(_ buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        var index = view.startIndex
        while let cr = view[index...].firstIndex(of: UInt8(ascii: "\r")) {
            let next = view.index(after: cr)
            guard next < view.endIndex else { break }
            if view[next] == UInt8(ascii: "\n") {
                let length = cr - view.startIndex
                guard length <= maxLineLength else { throw ParseError.lineTooLong }
                let line = buffer.readString(length: length) ?? ""
                buffer.moveReaderIndex(forwardBy: 2)
                return line
            }
            index = next
        }
        if view.count > maxLineLength + 2 { throw ParseError.lineTooLong }
        return nil
    }
}
