#!/usr/bin/env python3
"""A hostile target for the auditor's robustness tests: an HTTP or Redis peer that misbehaves.

Usage:
    hostile.py --mode MODE [--port 0]   serve one misbehaviour on 127.0.0.1
    hostile.py --list                    print every mode name, one per line

When ready it prints exactly one JSON line on stdout, for example
    {"mode": "hang", "baseURL": "http://127.0.0.1:P", "fixturesURL": "http://127.0.0.1:P/__hostile/fixtures"}
    {"mode": "redis-hang", "redisURL": "redis://:hostile-secret-pass@127.0.0.1:R"}
and then serves until SIGTERM or SIGINT (exit 0). An unknown mode exits 64.
Only the standard library is used; logs go to stderr (with a small budget, so an
unread stderr pipe can never block the server).

Modes (see MODES below for the one-line description of each):
  connection-level: every request, including `/` and the fixtures endpoint, misbehaves;
  API-level: `GET /` and `POST /__hostile/fixtures[?count=K]` are valid, every other
             request misbehaves;
  fixtures: the journey API answers like yes-to-everything, the fixtures endpoint misbehaves;
  redis: a RESP server misbehaves (the HTTP side is not used).
"""
import asyncio
import http
import json
import os
import random
import secrets
import signal
import socket
import struct
import sys
import urllib.parse
import uuid

HOST = "127.0.0.1"
REDIS_PASSWORD = "hostile-secret-pass"
FIXTURES_PATH = "/__hostile/fixtures"
MAX_HEAD = 256 * 1024              # largest request head we read
MAX_BODY = 64 * 1024 * 1024         # largest request body we read
MAX_FIXTURES = 1000

MODES = {
    # connection-level (every request)
    "refused": "nothing listens on the port: connecting is refused",
    "hang": "accept, read, never answer, never close",
    "garbage": "answer with 4 KiB of random non-HTTP bytes, then close",
    "reset": "accept, read the request, then reset the connection (RST)",
    "close-mid-body": "status line and Content-Length: 5000, then 100 bytes of JSON and close",
    "slowloris": "a valid response sent one byte per second",
    "tls-bytes": "answer with TLS records (a ServerHello-like record and a fatal alert), then close",
    "http09": "answer with a bare JSON body and no status line, then close",
    "bad-chunked": "Transfer-Encoding: chunked with an invalid chunk size line (zz), then close",
    "wrong-content-length": "Content-Length: 100 with a 20-byte body, connection kept open for 60 s",
    "huge-headers": "a status line followed by ~1 MiB of headers",
    "status-999": "HTTP/1.1 999 Weird with a valid small JSON body",
    # API-level (`/` and fixtures valid)
    "http-500": "every API call answers 500 {\"success\":false,\"message\":\"boom\"}",
    "html-200": "every API call answers 200 text/html with an HTML page",
    "yes-to-everything": "every API call answers 200/201 success; live polling says isActive at 0,0",
    "bad-json": "every API call answers 200/201 with the truncated body {\"success\":tru",
    "deep-json": "every API call answers 200/201 with 200 000 nested [ ]",
    "huge-body": "every API call answers 200/201 with a 64 MiB body",
    "redirect-loop": "every API call answers 302 to the same URL",
    "garbage-retry-after": "like yes-to-everything, location updates answer 429 Retry-After: banana",
    "api-hang": "API calls are never answered",
    "api-reset": "API calls get an RST",
    # fixtures (journey API like yes-to-everything)
    "fixtures-500": "the fixtures endpoint answers 500 {\"error\":\"db down\"}",
    "fixtures-garbage": "the fixtures endpoint answers 201 {\"sessionId\": 5, \"trainer\": \"x\"}",
    # redis
    "redis-refused": "nothing listens on the Redis port: connecting is refused",
    "redis-hang": "accept, never answer",
    "redis-garbage": "answer every command with random bytes that are not RESP",
    "redis-noauth": "answer every command with -NOAUTH",
    "redis-wrongpass": "answer AUTH (and HELLO … AUTH) with -WRONGPASS, everything else with -NOAUTH",
    "redis-noperm": "AUTH/SELECT/PING/CLIENT succeed, HELLO is unknown, every other command is -NOPERM",
    "redis-huge-bulk": "AUTH/SELECT/PING/CLIENT succeed, every other command gets $1073741824 and endless bytes",
}

CONNECTION_MODES = {"refused", "hang", "garbage", "reset", "close-mid-body", "slowloris", "tls-bytes",
                    "http09", "bad-chunked", "wrong-content-length", "huge-headers", "status-999"}
FIXTURE_MODES = {"fixtures-500", "fixtures-garbage"}
REDIS_MODES = {m for m in MODES if m.startswith("redis-")}

OK_BODY = {"success": True, "message": "ok", "data": {}}
LIVE_BODY = {"success": True, "data": {"isActive": True, "location": {
    "latitude": 0, "longitude": 0, "timestamp": "2026-01-01T00:00:00Z"}}}


# ---------------------------------------------------------------- logging (never blocks for long)

_log_budget = [32 * 1024]


def log(message):
    """Writes one line to stderr while the budget lasts: an unread stderr pipe must never fill."""
    line = f"hostile[{MODE}]: {message}\n"
    if _log_budget[0] <= 0:
        return
    _log_budget[0] -= len(line)
    try:
        sys.stderr.write(line if _log_budget[0] > 0 else "hostile: log budget spent, going quiet\n")
        sys.stderr.flush()
    except Exception:
        pass


MODE = "?"


# ---------------------------------------------------------------- small helpers

class ClientGone(Exception):
    pass


class BadRequest(Exception):
    pass


async def send(writer, data):
    """Writes and drains; raises ClientGone once the peer has gone away."""
    if writer.transport.is_closing():
        raise ClientGone()
    writer.write(data)
    try:
        await writer.drain()
    except (ConnectionError, OSError) as error:
        raise ClientGone() from error
    if writer.transport.is_closing():
        raise ClientGone()


async def discard_until_eof(reader):
    """Reads and drops everything until the peer closes (used by the never-answer modes)."""
    try:
        while await reader.read(65536):
            pass
    except (ConnectionError, OSError):
        pass


def reset(writer):
    """Closes with SO_LINGER {1, 0}: the kernel sends RST instead of FIN."""
    sock = writer.get_extra_info("socket")
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except (OSError, AttributeError):
        pass
    writer.transport.abort()


def close(writer):
    try:
        writer.close()
    except Exception:
        pass


def reason_for(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Weird"


def head_bytes(status, headers, reason=None):
    lines = [f"HTTP/1.1 {status} {reason or reason_for(status)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_bytes(value):
    return json.dumps(value, separators=(",", ":")).encode()


# ---------------------------------------------------------------- HTTP requests

class Request:
    def __init__(self, method, target, version, headers, body):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        split = urllib.parse.urlsplit(target)
        self.path = split.path or "/"
        self.query = urllib.parse.parse_qs(split.query)
        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.0":
            self.keep_alive = "keep-alive" in connection
        else:
            self.keep_alive = "close" not in connection


async def read_request(reader, writer):
    """One request (head and body), or None when the peer closed before sending one."""
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None
        except asyncio.LimitOverrunError:
            raise BadRequest("request head too large")
        head = head.lstrip(b"\r\n")  # tolerate stray CRLFs between requests
        if head:
            break
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise BadRequest("bad request line")
    method, target, version = parts
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest("bad header line")
        headers[name.strip().lower()] = value.strip()
    if headers.get("expect", "").lower() == "100-continue":
        await send(writer, b"HTTP/1.1 100 Continue\r\n\r\n")
    body = b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise BadRequest("bad chunk size")
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                break
            total += size
            if total > MAX_BODY:
                raise BadRequest("body too large")
            chunks.append((await reader.readexactly(size + 2))[:-2])
        body = b"".join(chunks)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            raise BadRequest("bad content-length")
        if length < 0 or length > MAX_BODY:
            raise BadRequest("bad content-length")
        body = await reader.readexactly(length)
    return Request(method, target, version, headers, body)


async def respond(writer, request, status, body, content_type="application/json", extra=(), reason=None):
    """A correct HTTP/1.1 response; returns whether the connection stays open."""
    keep = request.keep_alive
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    headers += list(extra)
    headers.append(("Connection", "keep-alive" if keep else "close"))
    await send(writer, head_bytes(status, headers, reason) + body)
    return keep


# ---------------------------------------------------------------- the valid parts

def person():
    return {"id": str(uuid.uuid4()), "token": secrets.token_hex(32)}


def fixture():
    return {"sessionId": str(uuid.uuid4()),
            "trainer": person(), "student": person(),
            "otherTrainer": person(), "otherStudent": person(),
            "studentHome": {"latitude": 12.9716, "longitude": 77.5946}}


def fixture_count(request):
    """None for a single fixture, else the requested count; raises BadRequest when malformed."""
    values = request.query.get("count")
    if not values:
        return None
    try:
        count = int(values[-1])
    except ValueError:
        raise BadRequest("count is not a number")
    if count < 0 or count > MAX_FIXTURES:
        raise BadRequest(f"count must be between 0 and {MAX_FIXTURES}")
    return count


async def valid_fixtures(writer, request):
    try:
        count = fixture_count(request)
    except BadRequest as error:
        return await respond(writer, request, 400, json_bytes({"error": str(error)}))
    body = fixture() if count is None else {"fixtures": [fixture() for _ in range(count)]}
    return await respond(writer, request, 201, json_bytes(body))


# ---------------------------------------------------------------- connection-level misbehaviour

def random_non_http(size):
    data = bytearray(os.urandom(size))
    data[0] = 0x80 | (data[0] & 0x7F)  # never 'H' (nor any ASCII): cannot start a status line
    return bytes(data)


def tls_bytes():
    hello = (b"\x03\x03" + os.urandom(32) + b"\x00" + b"\x13\x01" + b"\x00" + b"\x00\x00")
    handshake = b"\x02" + len(hello).to_bytes(3, "big") + hello
    record = b"\x16\x03\x03" + len(handshake).to_bytes(2, "big") + handshake
    alert = bytes.fromhex("15030300020228")  # fatal handshake_failure
    return record + alert


SMALL_JSON = json_bytes(OK_BODY)


async def connection_misbehave(mode, reader, writer, request):
    """Returns True to keep the connection for another request, False to close it, None if it is gone."""
    if mode == "garbage":
        await send(writer, random_non_http(4096))
        return False
    if mode == "reset":
        reset(writer)
        return None
    if mode == "close-mid-body":
        body = json_bytes({"success": True, "message": "ok", "data": {"padding": "x" * 200}})[:100]
        head = head_bytes(200, [("Content-Type", "application/json"), ("Content-Length", "5000")])
        await send(writer, head + body)
        return False
    if mode == "slowloris":
        data = head_bytes(200, [("Content-Type", "application/json"), ("Content-Length", str(len(SMALL_JSON))),
                                ("Connection", "close")]) + SMALL_JSON
        for index in range(len(data)):
            await send(writer, data[index:index + 1])
            await asyncio.sleep(1)
        return False
    if mode == "tls-bytes":
        await send(writer, tls_bytes())
        return False
    if mode == "http09":
        await send(writer, SMALL_JSON + b"\n")
        return False
    if mode == "bad-chunked":
        data = head_bytes(200, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        data += b"zz\r\n" + SMALL_JSON + b"\r\n0\r\n\r\n"
        await send(writer, data)
        return False
    if mode == "wrong-content-length":
        body = json_bytes({"success": True})[:20].ljust(20, b" ")
        await send(writer, head_bytes(200, [("Content-Type", "application/json"), ("Content-Length", "100")]) + body)
        try:
            await asyncio.wait_for(discard_until_eof(reader), 60)
        except asyncio.TimeoutError:
            pass
        return False
    if mode == "huge-headers":
        await send(writer, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        line_value = "a" * 1000
        block = "".join(f"X-Hostile-{index:05d}: {line_value}\r\n" for index in range(64)).encode()
        for _ in range(16):  # 16 × 64 lines × ~1019 bytes ≈ 1 MiB
            await send(writer, block)
        await send(writer, b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
        return False
    if mode == "status-999":
        return await respond(writer, request, 999, SMALL_JSON, reason="Weird")
    raise AssertionError(mode)


# ---------------------------------------------------------------- API-level misbehaviour

HTML = (b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head>"
        b"<body><h1>It works!</h1><p>This is not the API you are looking for.</p></body></html>\n")


def success_status(request):
    return 201 if request.method == "POST" else 200


async def yes_to_everything(writer, request):
    if request.path.endswith("/location-tracking/journey/live"):
        return await respond(writer, request, 200, json_bytes(LIVE_BODY))
    return await respond(writer, request, success_status(request), json_bytes(OK_BODY))


async def huge_body(writer, request):
    total = 64 * 1024 * 1024
    prefix = b'{"success":true,"message":"ok","data":{"padding":"'
    suffix = b'"}}'
    head = head_bytes(success_status(request), [("Content-Type", "application/json"),
                                                 ("Content-Length", str(total)),
                                                 ("Connection", "keep-alive" if request.keep_alive else "close")])
    await send(writer, head + prefix)
    remaining = total - len(prefix) - len(suffix)
    chunk = b"a" * 65536
    while remaining > 0:
        piece = chunk if remaining >= len(chunk) else chunk[:remaining]
        await send(writer, piece)
        remaining -= len(piece)
    await send(writer, suffix)
    return request.keep_alive


async def api_misbehave(mode, reader, writer, request):
    if mode == "http-500":
        return await respond(writer, request, 500, json_bytes({"success": False, "message": "boom"}))
    if mode == "html-200":
        return await respond(writer, request, 200, HTML, content_type="text/html; charset=utf-8")
    if mode in ("yes-to-everything", "fixtures-500", "fixtures-garbage"):
        return await yes_to_everything(writer, request)
    if mode == "bad-json":
        return await respond(writer, request, success_status(request), b'{"success":tru')
    if mode == "deep-json":
        return await respond(writer, request, success_status(request), b"[" * 200000 + b"]" * 200000)
    if mode == "huge-body":
        return await huge_body(writer, request)
    if mode == "redirect-loop":
        host = request.headers.get("host") or f"{HOST}:{PORT}"
        target = request.target if request.target.startswith("/") else request.path
        location = request.target if "://" in request.target else f"http://{host}{target}"
        return await respond(writer, request, 302, b"", extra=[("Location", location)])
    if mode == "garbage-retry-after":
        if request.path.endswith("/location-tracking/journey/updates"):
            return await respond(writer, request, 429, json_bytes({"success": False, "message": "slow down"}),
                                 extra=[("Retry-After", "banana")])
        return await yes_to_everything(writer, request)
    if mode == "api-hang":
        await discard_until_eof(reader)
        return None
    if mode == "api-reset":
        reset(writer)
        return None
    raise AssertionError(mode)


async def fixtures_misbehave(mode, writer, request):
    if mode == "fixtures-500":
        return await respond(writer, request, 500, json_bytes({"error": "db down"}))
    wrong = {"sessionId": 5, "trainer": "x"}
    try:
        count = fixture_count(request)
    except BadRequest:
        count = None
    body = wrong if count is None else {"fixtures": [wrong for _ in range(count)]}
    return await respond(writer, request, 201, json_bytes(body))


# ---------------------------------------------------------------- HTTP connections

async def handle_http(reader, writer):
    try:
        if MODE == "hang":
            await discard_until_eof(reader)
            return
        if MODE == "reset":
            try:
                await asyncio.wait_for(read_request(reader, writer), 2)
            except Exception:
                pass
            reset(writer)
            return
        while True:
            try:
                request = await read_request(reader, writer)
            except BadRequest as error:
                log(f"bad request: {error}")
                await send(writer, head_bytes(400, [("Content-Type", "application/json"), ("Content-Length", "2"),
                                                    ("Connection", "close")]) + b"{}")
                return
            if request is None:
                return
            log(f"{request.method} {request.target}")
            if MODE in CONNECTION_MODES:
                keep = await connection_misbehave(MODE, reader, writer, request)
            elif request.method == "GET" and request.path == "/":
                keep = await respond(writer, request, 200, json_bytes({"service": "hostile"}))
            elif request.method == "POST" and request.path == FIXTURES_PATH:
                if MODE in FIXTURE_MODES:
                    keep = await fixtures_misbehave(MODE, writer, request)
                else:
                    keep = await valid_fixtures(writer, request)
            else:
                keep = await api_misbehave(MODE, reader, writer, request)
            if not keep:
                return
    except (ClientGone, ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    except asyncio.CancelledError:
        raise
    except Exception as error:  # never let one connection take the server down
        log(f"connection error: {error!r}")
    finally:
        close(writer)


# ---------------------------------------------------------------- RESP

class ProtocolError(Exception):
    pass


def parse_command(buffer):
    """(args, consumed) for the first complete command in buffer, or None when more bytes are needed.
    args is a list of bytes (possibly empty for a blank inline line)."""
    if not buffer:
        return None
    if buffer[0] == ord("*"):
        end = buffer.find(b"\r\n")
        if end < 0:
            if len(buffer) > 64:
                raise ProtocolError("array header too long")
            return None
        try:
            count = int(buffer[1:end])
        except ValueError:
            raise ProtocolError("bad array length")
        position = end + 2
        if count <= 0:
            return [], position
        if count > 1024 * 1024:
            raise ProtocolError("array too long")
        args = []
        for _ in range(count):
            if position >= len(buffer):
                return None
            if buffer[position] != ord("$"):
                raise ProtocolError("expected a bulk string")
            end = buffer.find(b"\r\n", position)
            if end < 0:
                if len(buffer) - position > 64:
                    raise ProtocolError("bulk header too long")
                return None
            try:
                length = int(buffer[position + 1:end])
            except ValueError:
                raise ProtocolError("bad bulk length")
            if length < 0 or length > 512 * 1024 * 1024:
                raise ProtocolError("bad bulk length")
            start = end + 2
            if len(buffer) < start + length + 2:
                return None
            args.append(bytes(buffer[start:start + length]))
            position = start + length + 2
        return args, position
    end = buffer.find(b"\n")
    if end < 0:
        if len(buffer) > 64 * 1024:
            raise ProtocolError("inline command too long")
        return None
    return bytes(buffer[:end]).rstrip(b"\r").split(), end + 1


def redis_garbage():
    data = bytearray(os.urandom(random.randint(64, 1024)))
    data[0] = random.choice(b"ZQWVYzqwvy@^&\x01\x02\x7f\x80\xfe")  # no RESP type byte (+-:$*_,#!=(%~>|)
    return bytes(data)


NOAUTH = b"-NOAUTH Authentication required.\r\n"
WRONGPASS = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"


async def stream_huge_bulk(writer):
    await send(writer, b"$1073741824\r\n")
    chunk = b"x" * 65536
    while True:
        await send(writer, chunk)
        await asyncio.sleep(0.02)  # ~3 MB/s: endless, never finishes within a test


def redis_reply(mode, args):
    """The reply bytes for one command, or None to say nothing."""
    name = args[0].decode("latin-1").lower() if args else ""
    if mode == "redis-garbage":
        return redis_garbage()
    if mode == "redis-noauth":
        return NOAUTH
    if mode == "redis-wrongpass":
        if name == "auth":
            return WRONGPASS
        if name == "hello" and any(arg.lower() == b"auth" for arg in args[1:]):
            return WRONGPASS
        return NOAUTH
    # redis-noperm and redis-huge-bulk share the connection set-up answers
    if name in ("auth", "select", "client"):
        return b"+OK\r\n"
    if name == "ping":
        return b"+PONG\r\n"
    if name == "hello":
        return b"-ERR unknown command 'HELLO'\r\n"
    if name == "quit":
        return b"+OK\r\n"
    if mode == "redis-noperm":
        return f"-NOPERM this user has no permissions to run the '{name}' command\r\n".encode("latin-1")
    return "huge"


async def handle_redis(reader, writer):
    try:
        if MODE == "redis-hang":
            await discard_until_eof(reader)
            return
        buffer = bytearray()
        while True:
            try:
                parsed = parse_command(buffer)
            except ProtocolError as error:
                log(f"protocol error: {error}")
                reply = redis_garbage() if MODE == "redis-garbage" else f"-ERR Protocol error: {error}\r\n".encode()
                await send(writer, reply)
                return
            if parsed is None:
                data = await reader.read(65536)
                if not data:
                    return
                buffer += data
                continue
            args, consumed = parsed
            del buffer[:consumed]
            if not args:
                continue
            name = args[0].decode("latin-1").lower()
            log(f"command {name}")
            reply = redis_reply(MODE, args)
            if reply == "huge":
                await stream_huge_bulk(writer)
                return
            await send(writer, reply)
            if name == "quit" and MODE in ("redis-noperm", "redis-huge-bulk"):
                return
    except (ClientGone, ConnectionError, OSError, asyncio.IncompleteReadError):
        pass
    except asyncio.CancelledError:
        raise
    except Exception as error:
        log(f"connection error: {error!r}")
    finally:
        close(writer)


# ---------------------------------------------------------------- main

PORT = 0


def usage(stream):
    stream.write("usage: hostile.py --mode MODE [--port 0]\n       hostile.py --list\n")


def parse_args(argv):
    mode, port, listing = None, 0, False
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("-h", "--help"):
            usage(sys.stdout)
            sys.stdout.write("modes:\n" + "".join(f"  {name:22} {text}\n" for name, text in MODES.items()))
            sys.exit(0)
        if arg == "--list":
            listing = True
        elif arg in ("--mode", "--port"):
            if index + 1 >= len(argv):
                usage(sys.stderr)
                sys.exit(64)
            index += 1
            if arg == "--mode":
                mode = argv[index]
            else:
                port = argv[index]
        elif arg.startswith("--mode="):
            mode = arg.split("=", 1)[1]
        elif arg.startswith("--port="):
            port = arg.split("=", 1)[1]
        else:
            sys.stderr.write(f"hostile: unknown argument {arg!r}\n")
            usage(sys.stderr)
            sys.exit(64)
        index += 1
    if listing:
        sys.stdout.write("".join(name + "\n" for name in MODES))
        sys.stdout.flush()
        sys.exit(0)
    if mode not in MODES:
        sys.stderr.write(f"hostile: unknown mode {mode!r}; try --list\n" if mode else "hostile: --mode is required\n")
        usage(sys.stderr)
        sys.exit(64)
    try:
        port = int(port)
        if not 0 <= port <= 65535:
            raise ValueError
    except ValueError:
        sys.stderr.write(f"hostile: bad port {port!r}\n")
        sys.exit(64)
    return mode, port


def ready_line(port):
    line = {"mode": MODE}
    if MODE in REDIS_MODES:
        line["redisURL"] = f"redis://:{REDIS_PASSWORD}@{HOST}:{port}"
    else:
        line["baseURL"] = f"http://{HOST}:{port}"
        line["fixturesURL"] = f"http://{HOST}:{port}{FIXTURES_PATH}"
    return json.dumps(line)


async def main(port):
    global PORT
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    loop.set_exception_handler(lambda _loop, context: log(f"loop: {context.get('message')} "
                                                           f"{context.get('exception')!r}"))
    keep = []
    if MODE in ("refused", "redis-refused"):
        # Bound but never listening: the kernel refuses connections (RST to the SYN), and holding
        # the bound socket keeps any other process from taking the port while the test runs.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, port))
        PORT = sock.getsockname()[1]
        keep.append(sock)
    else:
        handler = handle_redis if MODE in REDIS_MODES else handle_http
        server = await asyncio.start_server(handler, HOST, port, limit=MAX_HEAD, backlog=128)
        PORT = server.sockets[0].getsockname()[1]
        keep.append(server)
    sys.stdout.write(ready_line(PORT) + "\n")
    sys.stdout.flush()
    log(f"serving on {HOST}:{PORT}")
    await stop.wait()
    log("signal: exiting")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    # Exit at once: no tear-down of hanging or streaming connections (they just get closed by the kernel).
    os._exit(0)


if __name__ == "__main__":
    MODE, requested_port = parse_args(sys.argv[1:])
    status = 0
    try:
        asyncio.run(main(requested_port))
    except KeyboardInterrupt:
        pass
    except Exception as failure:  # e.g. the port cannot be bound: say so, exit non-zero
        _log_budget[0] = max(_log_budget[0], 1024)
        log(f"cannot serve: {failure!r}")
        status = 70
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    # Exit at once, without waiting for hanging or streaming connections to wind down.
    os._exit(status)
