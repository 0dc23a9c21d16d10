import NIOCore
import Testing
@testable import Wire

@Suite("RESP codec")
struct RESPCodecTests {
    let parser = RESPParser()

    func encoded(_ value: RESPValue) -> ByteBuffer {
        var buffer = ByteBuffer()
        value.encode(into: &buffer)
        return buffer
    }

    @Test("every type survives a round trip", arguments: [
        RESPValue.simpleString("OK"), .error("ERR nope"), .integer(-42), .bulkString(nil), .bulk(""),
        .bulk("héllo\r\nworld"), .array(nil), .array([]),
        .array([.bulk("SET"), .integer(1), .array([.simpleString("x"), .bulkString(nil)])]),
    ])
    func roundTrip(_ value: RESPValue) throws {
        var buffer = encoded(value)
        #expect(try parser.parse(&buffer) == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test func wireFormIsRedis() {
        #expect(String(buffer: encoded(.command(["GET", "k"]))) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        #expect(String(buffer: encoded(.bulkString(nil))) == "$-1\r\n")
    }

    @Test("a value split at every byte boundary waits for the rest")
    func partialInput() throws {
        let whole = Array(encoded(.array([.bulk("journey:active:s1"), .integer(3600), .error("WRONGTYPE x")])).readableBytesView)
        for cut in 1..<whole.count {
            var buffer = ByteBuffer(bytes: whole[..<cut])
            #expect(try parser.parse(&buffer) == nil, "cut at \(cut)")
            #expect(buffer.readableBytes == cut, "nothing consumed at cut \(cut)")
            buffer.writeBytes(whole[cut...])
            #expect(try parser.parse(&buffer) != nil)
        }
    }

    @Test func pipelinedRepliesComeOutInOrder() throws {
        var buffer = ByteBuffer(string: ":1\r\n+PONG\r\n$2\r\nhi\r\n")
        #expect(try parser.parse(&buffer) == .integer(1))
        #expect(try parser.parse(&buffer) == .simpleString("PONG"))
        #expect(try parser.parse(&buffer) == .bulk("hi"))
        #expect(try parser.parse(&buffer) == nil)
    }

    @Test func inlineCommandsAreCommands() throws {
        var buffer = ByteBuffer(string: "TTL  journey:active:s1\r\n")
        #expect(try parser.parse(&buffer) == .command(["TTL", "journey:active:s1"]))
    }

    @Test func garbageIsAnError() {
        var bad = ByteBuffer(string: "?what\r\n")
        #expect(throws: RESPParser.ParseError.self) { try parser.parse(&bad) }
        var badLength = ByteBuffer(string: "$abc\r\n")
        #expect(throws: RESPParser.ParseError.self) { try parser.parse(&badLength) }
    }

    @Test func accessors() {
        #expect(RESPValue.bulk("12").int == 12)
        #expect(RESPValue.integer(5).string == "5")
        #expect(RESPValue.bulkString(nil).isNull)
        #expect(RESPValue.error("x").string == nil)
    }
}

@Suite("Redis URL")
struct RedisURLTests {
    @Test func parsesEveryPart() throws {
        let url = try RedisURL(parsing: "redis://auditor:s3cr%40t@10.0.0.5:6380/2")
        #expect(url.host == "10.0.0.5")
        #expect(url.port == 6380)
        #expect(url.user == "auditor")
        #expect(url.password == "s3cr@t")
        #expect(url.database == 2)
    }

    @Test func defaults() throws {
        let url = try RedisURL(parsing: "redis://localhost")
        #expect(url.port == 6379 && url.database == 0 && url.user == nil && url.password == nil)
    }

    @Test func passwordNeverPrinted() throws {
        let url = try RedisURL(parsing: "redis://:hunter2@h:1")
        #expect(!url.description.contains("hunter2"))
        #expect(url.description == "redis://:***@h:1")
        let error = #expect(throws: RESPConnectionError.self) { try RedisURL(parsing: "http://u:hunter2@h") }
        #expect(!"\(error!)".contains("hunter2"))
    }

    @Test func badDatabase() {
        #expect(throws: RESPConnectionError.self) { try RedisURL(parsing: "redis://h/abc") }
    }
}
