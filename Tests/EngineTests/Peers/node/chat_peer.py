#!/usr/bin/env python3
"""chat_peer: the chat side of the Node peer deployment (see README.md next to this file).

Debian packages no Socket.IO server for Node, so chat is python-socketio (AsyncServer on
aiohttp, at /socket.io/). It authenticates the same tokens as journey_peer.js, read from the
shared Redis ("database" keys peerdb:*), and relays `chatMessage` between the two parties of a
session. WebSocket is for chat only (CONTRACT.md §WebSocket): without `--bug` it has no journey
or location handler at all.

    python chat_peer.py --port 0 --redis-env REDIS_URL [--bug ws-subscribe-push] [--verbose]

The Redis URL is read from the environment variable named by --redis-env (default REDIS_URL), so
its password stays out of argv. Prints one JSON line on stdout once listening; logs go to stderr.
Exit codes: 0 after SIGTERM/SIGINT, 2 Redis unreachable at start, 64 bad options.
"""
import argparse
import asyncio
import hashlib
import importlib.metadata
import json
import logging
import os
import signal
import socket
import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web
import redis.asyncio as aioredis
from redis.exceptions import RedisError
import socketio

log = logging.getLogger("chat_peer")

LOCATION_CHANNEL = "peer:trainer-location"  # journey_peer.js publishes here under --bug ws-subscribe-push
BUGS = {
    "ws-subscribe-push": "a subscribeToTrainerLocation handler that never acknowledges but pushes location_{trainerId} "
                         "events to the subscriber while the trainer's HTTP updates arrive (seed 001 Blocker #1)",
}
STORE_TIMEOUT_S = 1.0
MAX_TEXT = 4000


def iso_now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def versions():
    out = {"python": sys.version.split()[0]}
    for name in ("python-socketio", "python-engineio", "aiohttp", "redis"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def mask_url(url):
    try:
        p = urlsplit(url)
        if p.password is None:
            return url
        host = p.hostname or ""
        if p.port:
            host = f"{host}:{p.port}"
        return urlunsplit((p.scheme, f"{p.username or ''}:***@{host}", p.path, p.query, p.fragment))
    except ValueError:
        return "<unparseable redis URL>"


def token_key(token):
    return "peerdb:token:" + hashlib.sha256(token.encode()).hexdigest()


class Usage(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"chat_peer: {message}", file=sys.stderr)
        sys.exit(64)


def parse_args(argv):
    p = Usage(prog="chat_peer.py", description="Socket.IO chat for the Node peer deployment.")
    p.add_argument("--port", type=int, default=0, help="listen port (0 = a free port the kernel picks)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--redis-env", default="REDIS_URL", metavar="VAR",
                   help="environment variable holding redis://[user:password@]host:port (default REDIS_URL)")
    p.add_argument("--bug", action="append", default=[], metavar="NAME", help="; ".join(f"{k}: {v}" for k, v in BUGS.items()))
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args(argv)
    unknown = [b for b in a.bug if b not in BUGS]
    if unknown:
        p.error(f"unknown bug {', '.join(unknown)}; valid: {', '.join(BUGS)}")
    if not 0 <= a.port <= 65535:
        p.error("--port must be in 0..65535")
    a.redis = os.environ.get(a.redis_env)
    if not a.redis:
        p.error(f"environment variable {a.redis_env} (the Redis URL) is not set")
    a.bug = list(dict.fromkeys(a.bug))
    return a


class Chat:
    def __init__(self, redis_url, bugs):
        self.r = aioredis.from_url(redis_url, decode_responses=True, socket_timeout=STORE_TIMEOUT_S,
                                   socket_connect_timeout=STORE_TIMEOUT_S)
        self.bugs = set(bugs)
        # python-engineio's default origin check stays on: the server's own origin, or none.
        self.sio = socketio.AsyncServer(async_mode="aiohttp")
        self.app = web.Application()
        self.sio.attach(self.app, socketio_path="socket.io")
        self.app.router.add_get("/", self.root)
        self.subscriber = None
        self.disconnected = {}
        self.register()

    async def root(self, request):
        return web.json_response({"service": "chat-peer", "bugs": sorted(self.bugs)})

    async def user_for(self, token):
        if not isinstance(token, str) or not token:
            return None
        return await asyncio.wait_for(self.r.get(token_key(token)), STORE_TIMEOUT_S * 1.5)

    async def session(self, sid):
        raw = await asyncio.wait_for(self.r.get(f"peerdb:session:{sid}"), STORE_TIMEOUT_S * 1.5)
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def register(self):
        sio = self.sio

        @sio.event
        async def connect(sid, environ, auth):
            token = auth.get("token") if isinstance(auth, dict) else None
            if not token:  # a client that sends the bearer header instead of the auth payload
                header = environ.get("HTTP_AUTHORIZATION", "")
                if header.lower().startswith("bearer "):
                    token = header[7:].strip()
            try:
                uid = await self.user_for(token)
            except (RedisError, OSError, asyncio.TimeoutError) as e:
                log.warning("token lookup failed: %s", e)
                raise socketio.exceptions.ConnectionRefusedError("service unavailable")
            if not uid:
                raise socketio.exceptions.ConnectionRefusedError("unauthorized")
            await sio.save_session(sid, {"userId": uid})
            await sio.enter_room(sid, f"user:{uid}")
            log.debug("connected %s as user %s", sid, uid)

        @sio.event
        async def disconnect(sid, *args):
            gone = self.disconnected.pop(sid, None)
            if gone:
                gone.set()

        @sio.on("chatMessage")
        async def chat_message(sid, data):
            uid = (await sio.get_session(sid)).get("userId")
            if not isinstance(data, dict) or not isinstance(data.get("sessionId"), str) or not isinstance(data.get("text"), str):
                return {"ok": False, "error": "chatMessage needs {sessionId, text}"}
            if len(data["text"]) > MAX_TEXT:
                return {"ok": False, "error": f"text longer than {MAX_TEXT} characters"}
            try:
                session = await self.session(data["sessionId"])
            except (RedisError, OSError, asyncio.TimeoutError):
                return {"ok": False, "error": "service unavailable"}
            if not session or uid not in (session.get("trainerId"), session.get("studentId")):
                return {"ok": False, "error": "not a party of this session"}
            other = session["studentId"] if uid == session["trainerId"] else session["trainerId"]
            message = {"sessionId": data["sessionId"], "from": uid, "text": data["text"], "sentAt": iso_now()}
            await sio.emit("chatMessage", message, room=f"user:{other}")
            return {"ok": True, "sentAt": message["sentAt"]}

        if "ws-subscribe-push" in self.bugs:
            self.register_subscribe_push()

    def register_subscribe_push(self):
        """Bug ws-subscribe-push: the student app's socket.subscribeToTrainerLocation(trainerId) of
        seed 001 Blocker #1 gets a server side. The handler never returns while the client is
        connected, so no acknowledgement is ever sent; meanwhile every accepted HTTP location
        update of that trainer (published by journey_peer.js) is pushed as location_{trainerId}."""
        sio = self.sio

        @sio.on("subscribeToTrainerLocation")
        async def subscribe(sid, data):
            tid = data.get("trainerId") if isinstance(data, dict) else data
            if not isinstance(tid, str) or not tid:
                return None
            gone = self.disconnected.setdefault(sid, asyncio.Event())
            await sio.enter_room(sid, f"trainer-location:{tid}")
            log.info("socket %s subscribed to trainer %s's location (bug ws-subscribe-push)", sid, tid)
            await gone.wait()  # holds the acknowledgement back for as long as the client stays
            return None

    async def relay_locations(self):
        """Bug ws-subscribe-push: pub/sub → Socket.IO rooms. Resubscribes after a Redis error."""
        while True:
            pubsub = self.r.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(LOCATION_CHANNEL)
                log.info("subscribed to %s (bug ws-subscribe-push)", LOCATION_CHANNEL)
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if not message:
                        continue
                    try:
                        point = json.loads(message["data"])
                        tid = point["trainerId"]
                    except (ValueError, KeyError, TypeError):
                        continue
                    await self.sio.emit(f"location_{tid}", point, room=f"trainer-location:{tid}")
            except asyncio.CancelledError:
                raise
            except Exception as e:  # Redis gone: try again shortly
                log.warning("location subscription failed, retrying: %s", e)
                await asyncio.sleep(0.5)
            finally:
                try:
                    await pubsub.aclose()
                except Exception:
                    pass


async def serve(args):
    chat = Chat(args.redis, args.bug)
    try:
        await asyncio.wait_for(chat.r.ping(), 5)
    except (RedisError, OSError, asyncio.TimeoutError) as e:
        print(f"chat_peer: cannot reach Redis at {mask_url(args.redis)}: {e}", file=sys.stderr)
        return 2
    runner = web.AppRunner(chat.app, handle_signals=False, shutdown_timeout=2.0,
                           access_log=logging.getLogger("chat_peer.access") if args.verbose else None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    site = web.SockSite(runner, sock, backlog=256)
    await site.start()
    port = sock.getsockname()[1]
    relay = asyncio.create_task(chat.relay_locations()) if "ws-subscribe-push" in chat.bugs else None
    sys.stdout.write(json.dumps({"socketURL": f"ws://{args.host}:{port}/socket.io/", "baseURL": f"http://{args.host}:{port}",
                                 "bugs": args.bug, "versions": versions()}) + "\n")
    sys.stdout.flush()
    log.info("listening on %s:%d (redis %s, bugs %s)", args.host, port, mask_url(args.redis), args.bug or "none")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("signal received, shutting down")
    for gone in list(chat.disconnected.values()):
        gone.set()
    if relay:
        relay.cancel()
    try:
        await asyncio.wait_for(chat.sio.shutdown(), 2)
    except Exception:
        pass
    try:
        await asyncio.wait_for(runner.cleanup(), 3)
    except Exception:
        pass
    try:
        await asyncio.wait_for(chat.r.aclose(), 1)
    except Exception:
        pass
    return 0


def main():
    args = parse_args(sys.argv[1:])
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        for noisy in ("aiohttp.access", "socketio", "engineio"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    sys.exit(asyncio.run(serve(args)))


if __name__ == "__main__":
    main()
