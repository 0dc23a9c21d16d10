#!/usr/bin/env python3
"""journey_peer: an independent implementation of the journey-tracking contract
(/work/shared/CONTRACT.md), written from the contract and the review seeds only.

It is a test peer for the auditor: aiohttp for HTTP, redis-py asyncio for all
state, python-socketio (Redis manager) for chat, botocore for EventBridge.
`--bug NAME` (repeatable) turns it into one of the wrong implementations the
seeds describe. See README.md next to this file.

    python3 journey_peer.py --port 0 --redis redis://127.0.0.1:6379 \
        [--eventbridge-endpoint http://127.0.0.1:4010] [--bug NAME]... [--verbose]

Prints one JSON line on stdout when listening; logs go to stderr. Python 3.11+.
"""
import argparse
import asyncio
import concurrent.futures
import functools
import hashlib
import json
import logging
import math
import secrets
import signal
import socket
import sys
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError, RedisError
import socketio

log = logging.getLogger("journey_peer")

BUGS = {
    "check-then-set": "start does EXISTS then SET EX (two round trips): concurrent starts can both win (seed 002 Blocker #2)",
    "evb-throws": "the EventBridge publish is awaited in the request; a failure answers 500 (seed 002 Issue #2)",
    "no-410": "no journey:ended marker: an update after stop/arrived answers 404 (seed 001 Issue #2, seed 002 Issue #1)",
    "fail-open-409": "a store error/timeout during start answers 409 instead of 503 (seed 001 Blocker #2)",
    "ws-location-handlers": "Socket.IO startTravel/trainerLocation/stopTravel/subscribeToTrainerLocation with an in-memory activeTravelSessions (seed 003)",
    "no-session-cache": "start writes no session:meta:*; polling reads the database every time (seed 001 Issue #1, seed 002 Issue #3)",
    "leaky-live": "live polling does not check that the caller is the session's student (seed 001 location leakage)",
    "no-rate-limit": "no location:rate:* key and no 429",
    "no-speed-check": "no 120 km/h implied-speed check",
}

JOURNEY_TTL = 3600
LOCATION_TTL = 300
RATE_TTL = 5
RATE_WINDOW_MS = 5000
ENDED_TTL = 300
META_TTL = 3600
DB_TTL = 86400
MAX_SPEED_KMH = 120.0
ARRIVAL_RADIUS_M = 150.0
STORE_TIMEOUT_S = 1.0          # socket timeout of every Redis command
STORE_HARD_CAP_S = 1.5         # belt and braces around a command (connect + handshake + command)
STORE_POOL_SIZE = 64
STORE_QUEUE_CAP_S = 10.0
PUBLISH_TIMEOUT_S = 2.0
MAX_FIXTURES = 50000
DEFAULT_HOME = {"latitude": 12.9716, "longitude": 77.5946}


# ----------------------------------------------------------------- helpers

class ApiError(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class StoreUnavailable(Exception):
    pass


class PublishFailed(Exception):
    pass


def now_ms():
    return int(time.time() * 1000)


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def haversine_m(lat1, lon1, lat2, lon2):
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def mask_url(url):
    try:
        p = urlsplit(url)
        if p.password is None and p.username is None:
            return url
        host = p.hostname or ""
        if p.port:
            host = f"{host}:{p.port}"
        user = p.username or ""
        cred = f"{user}:***@" if p.password is not None else f"{user}@"
        return urlunsplit((p.scheme, cred + host, p.path, p.query, p.fragment))
    except ValueError:
        return "<unparseable redis URL>"


def token_key(token):
    # tokens are never stored or logged in clear: the "database" keys them by SHA-256
    return "peer:db:token:" + hashlib.sha256(token.encode()).hexdigest()


def k_journey(sid):
    return f"journey:active:{sid}"


def k_location(tid, sid):
    return f"location:trainer:{tid}:session:{sid}"


def k_rate(tid):
    return f"location:rate:{tid}"


def k_ended(sid):
    return f"journey:ended:{sid}"


def k_meta(sid):
    return f"session:meta:{sid}"


def k_db_session(sid):
    return f"peer:db:session:{sid}"


def ok(status, message, data):
    return web.json_response({"success": True, "message": message, "data": data}, status=status)


def err(status, message, headers=None):
    return web.json_response({"success": False, "message": message}, status=status, headers=headers)


# ----------------------------------------------------------------- store

class Store:
    """Every Redis command goes through run(): errors and timeouts become StoreUnavailable.
    The pool drops a connection on any error, so the next command reconnects by itself.
    Retries: none on a timeout (a 1 s socket timeout bounds every command); one immediate
    retry on a connection error, so that a pooled connection the server (or a proxy) closed
    while idle costs a reconnect rather than a 503. A refused connection fails twice, at once."""

    def __init__(self, url):
        # redis-py's async pool fails at once beyond max_connections ("Too many connections") and
        # its BlockingConnectionPool degrades badly with thousands of waiters, so a FIFO semaphore
        # of the pool's size queues bursts in front of it. Queueing is local work, not store
        # latency: it has its own, longer bound; the store timeouts apply once a slot is held.
        pool = aioredis.ConnectionPool.from_url(
            url, decode_responses=True, max_connections=STORE_POOL_SIZE,
            socket_timeout=STORE_TIMEOUT_S, socket_connect_timeout=STORE_TIMEOUT_S,
            # a bare connect: RESP2 (no HELLO, no CLIENT MAINT_NOTIFICATIONS), no CLIENT SETINFO,
            # so that opening a connection under a burst is one TCP handshake, not four round trips
            protocol=2, driver_info=None,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)), health_check_interval=0)
        self.r = aioredis.Redis(connection_pool=pool)
        self.slots = asyncio.Semaphore(STORE_POOL_SIZE)

    async def run(self, fn, timeout=STORE_HARD_CAP_S):
        try:
            async with asyncio.timeout(STORE_QUEUE_CAP_S):
                await self.slots.acquire()
        except TimeoutError:
            raise StoreUnavailable(f"no free store connection within {STORE_QUEUE_CAP_S:.0f} s")
        try:
            async with asyncio.timeout(timeout):
                return await fn(self.r)
        except (RedisError, OSError, TimeoutError) as e:
            raise StoreUnavailable(f"{type(e).__name__}: {e}") from e
        finally:
            self.slots.release()

    async def get_json(self, key):
        raw = await self.run(lambda r: r.get(key))
        return json.loads(raw) if raw else None

    async def batch(self, *commands):
        """Several read commands in one round trip (non-transactional pipeline)."""
        async def go(r):
            async with r.pipeline(transaction=False) as p:
                for name, *args in commands:
                    getattr(p, name)(*args)
                return await p.execute()
        return await self.run(go)


# ----------------------------------------------------------------- events

class Events:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.client = None
        self.tasks = set()
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="evb")
        if endpoint:
            import botocore.config
            import botocore.session
            self.client = botocore.session.get_session().create_client(
                "events", region_name="us-east-1", endpoint_url=endpoint,
                aws_access_key_id="test", aws_secret_access_key="test",
                config=botocore.config.Config(connect_timeout=2, read_timeout=2, max_pool_connections=16,
                                              retries={"max_attempts": 1, "mode": "standard"}))

    async def put(self, detail_type, detail):
        """One PutEvents call, bounded by PUBLISH_TIMEOUT_S; raises PublishFailed on any failure."""
        if self.client is None:
            log.info("no --eventbridge-endpoint: %s for session %s not published", detail_type, detail.get("sessionId"))
            return
        entry = {"Source": "admin-service", "DetailType": detail_type, "Detail": json.dumps(detail),
                 "EventBusName": "application-events"}
        loop = asyncio.get_running_loop()
        try:
            fut = loop.run_in_executor(self.executor, functools.partial(self.client.put_events, Entries=[entry]))
            resp = await asyncio.wait_for(fut, PUBLISH_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise PublishFailed(f"{detail_type}: no answer within {PUBLISH_TIMEOUT_S:.0f} s")
        except Exception as e:  # botocore ClientError (4xx/5xx, throttling), connection/read timeouts
            raise PublishFailed(f"{detail_type}: {type(e).__name__}: {e}")
        failed = resp.get("FailedEntryCount") or 0
        if failed > 0:
            codes = [x.get("ErrorCode") for x in resp.get("Entries", []) if x.get("ErrorCode")]
            raise PublishFailed(f"{detail_type}: FailedEntryCount={failed} {codes}")
        log.info("published %s for session %s", detail_type, detail.get("sessionId"))

    def fire_and_forget(self, detail_type, detail):
        async def go():
            try:
                await self.put(detail_type, detail)
            except PublishFailed as e:
                log.warning("EventBridge publish failed (best-effort, ignored): %s", e)
            except Exception:
                log.exception("EventBridge publish crashed (ignored)")
        task = asyncio.get_running_loop().create_task(go())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def publish(self, bugs, detail_type, detail):
        if "evb-throws" in bugs:
            try:
                await self.put(detail_type, detail)
            except PublishFailed as e:
                log.error("EventBridge publish failed, failing the request (bug evb-throws): %s", e)
                raise ApiError(500, f"Failed to publish event: {detail_type}")
        else:
            self.fire_and_forget(detail_type, detail)


# ----------------------------------------------------------------- service

class Peer:
    def __init__(self, store, events, bugs):
        self.store, self.events, self.bugs = store, events, set(bugs)

    # --- lookups
    async def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        parts = header.split(None, 1)
        if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1].strip():
            raise ApiError(401, "Authentication required")
        uid = await self.store.run(lambda r: r.get(token_key(parts[1].strip())))
        if not uid:
            raise ApiError(401, "Invalid or expired token")
        return uid

    async def user_for_token(self, token):
        if not isinstance(token, str) or not token:
            return None
        return await self.store.run(lambda r: r.get(token_key(token)))

    async def session_from_db(self, sid):
        return await self.store.get_json(k_db_session(sid))

    async def session_cached(self, sid):
        """session:meta first (written by start), then the database."""
        if "no-session-cache" not in self.bugs:
            meta = await self.store.get_json(k_meta(sid))
            if meta:
                return meta
        return await self.session_from_db(sid)

    # --- 1. start journey
    async def start_journey(self, request):
        try:
            return await self._start_journey(request)
        except StoreUnavailable as e:
            if "fail-open-409" in self.bugs:
                log.warning("store error during start treated as 'already started' (bug fail-open-409): %s", e)
                raise ApiError(409, "Journey already started for this session")
            raise

    async def _start_journey(self, request):
        uid = await self.authenticate(request)
        sid = request.match_info["sessionId"]
        session = await self.session_from_db(sid)
        if not session:
            raise ApiError(404, "Session not found")
        if session["trainerId"] != uid:
            raise ApiError(403, "Trainer does not own this session")
        if session.get("status") != "scheduled":
            raise ApiError(400, f"Session is not scheduled (status: {session.get('status')})")
        started = now_ms()
        # startId: if a connection error made the store client resend the SET NX after it had
        # been applied, the resent one finds the key; its startId tells this request it won.
        start_id = secrets.token_hex(8)
        journey = {"sessionId": sid, "trainerId": session["trainerId"], "studentId": session["studentId"],
                   "startedAt": iso(started), "status": "in_progress", "startId": start_id}
        value = json.dumps(journey)
        key = k_journey(sid)
        if "check-then-set" in self.bugs:
            if await self.store.run(lambda r: r.exists(key)):
                raise ApiError(409, "Journey already started for this session")
            await self.store.run(lambda r: r.set(key, value, ex=JOURNEY_TTL))
        else:
            if not await self.store.run(lambda r: r.set(key, value, ex=JOURNEY_TTL, nx=True)):
                current = await self.store.get_json(key)
                if not current or current.get("startId") != start_id:
                    raise ApiError(409, "Journey already started for this session")
        if "no-session-cache" not in self.bugs:
            meta = json.dumps({"trainerId": session["trainerId"], "studentId": session["studentId"],
                               "status": session.get("status"), "studentHomeLocation": session["studentHomeLocation"]})
            try:  # a cache: the journey has started, a failed write only costs database reads later
                await self.store.run(lambda r: r.set(k_meta(sid), meta, ex=META_TTL))
            except StoreUnavailable as e:
                log.warning("session:meta write failed (cache, ignored): %s", e)
        await self.events.publish(self.bugs, "TrainerJourneyStarted", {
            "trainerId": journey["trainerId"], "studentId": journey["studentId"],
            "sessionId": sid, "startTime": journey["startedAt"]})
        return ok(201, "Journey started", {k: journey[k] for k in ("sessionId", "trainerId", "studentId", "startedAt")})

    # --- 2. location update
    @staticmethod
    def validate_update(raw):
        try:
            body = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "Body must be a JSON object")
        if not isinstance(body, dict):
            raise ApiError(400, "Body must be a JSON object")
        sid = body.get("sessionId")
        if not isinstance(sid, str) or not sid.strip():
            raise ApiError(400, "sessionId is required")
        lat, lon = body.get("latitude"), body.get("longitude")
        if not is_number(lat) or not -90 <= lat <= 90:
            raise ApiError(400, "latitude must be a number in [-90, 90]")
        if not is_number(lon) or not -180 <= lon <= 180:
            raise ApiError(400, "longitude must be a number in [-180, 180]")
        extra = {}
        for name in ("accuracy", "speed", "heading"):
            v = body.get(name)
            if v is None:
                continue
            if not is_number(v):
                raise ApiError(400, f"{name} must be a number")
            extra[name] = v
        return sid, float(lat), float(lon), extra

    async def location_update(self, request):
        uid = await self.authenticate(request)
        sid, lat, lon, extra = self.validate_update(await request.read())
        # one round trip reads the journey, the ended marker and the previous point (read-only and
        # speculative: the previous point is keyed by the caller, used only once ownership holds)
        raw_journey, ended, raw_prev = await self.store.batch(
            ("get", k_journey(sid)), ("exists", k_ended(sid)), ("get", k_location(uid, sid)))
        journey = json.loads(raw_journey) if raw_journey else None
        if not journey:
            if "no-410" not in self.bugs and ended:
                raise ApiError(410, "Journey has ended")
            raise ApiError(404, "Journey not active for this session")
        if journey["trainerId"] != uid:
            raise ApiError(403, "Trainer does not own this journey")
        tid = journey["trainerId"]
        now = now_ms()
        if "no-rate-limit" not in self.bugs:
            # check and write in one atomic command: the key holds the last accepted update (ms)
            if not await self.store.run(lambda r: r.set(k_rate(tid), str(now), ex=RATE_TTL, nx=True)):
                last = await self.store.run(lambda r: r.get(k_rate(tid)))
                try:
                    remaining = RATE_WINDOW_MS - (now - int(last))
                except (TypeError, ValueError):
                    remaining = RATE_WINDOW_MS
                retry = max(1, math.ceil(min(remaining, RATE_WINDOW_MS) / 1000))
                raise ApiError(429, "Location update too frequent", {"Retry-After": str(retry)})
        lkey = k_location(tid, sid)
        if "no-speed-check" not in self.bugs:
            prev = json.loads(raw_prev) if raw_prev else None
            if prev:
                prev_ms = prev.get("timestampMs")
                if not is_number(prev_ms):
                    prev_ms = datetime.fromisoformat(prev["timestamp"].replace("Z", "+00:00")).timestamp() * 1000
                dt = (now - prev_ms) / 1000
                if dt > 0:
                    kmh = haversine_m(prev["latitude"], prev["longitude"], lat, lon) / dt * 3.6
                    if kmh > MAX_SPEED_KMH:
                        raise ApiError(400, f"Suspicious location update (speed {kmh:.0f} km/h above {MAX_SPEED_KMH:.0f})")
        stamp = iso(now)
        loc = {"latitude": lat, "longitude": lon, **extra, "timestamp": stamp, "timestampMs": now,
               "sessionId": sid, "trainerId": tid}
        await self.store.run(lambda r: r.set(lkey, json.dumps(loc), ex=LOCATION_TTL))
        return ok(201, "Location updated", {"sessionId": sid, "timestamp": stamp, "ttl": LOCATION_TTL})

    # --- 3. live polling
    async def live_location(self, request):
        uid = await self.authenticate(request)
        sid = request.query.get("sessionId", "").strip()
        if not sid:
            raise ApiError(400, "sessionId is required")
        first = k_db_session(sid) if "no-session-cache" in self.bugs else k_meta(sid)
        raw_session, raw_journey = await self.store.batch(("get", first), ("get", k_journey(sid)))
        session = json.loads(raw_session) if raw_session else None
        if not session and "no-session-cache" not in self.bugs:
            session = await self.session_from_db(sid)   # no journey started yet (or meta expired)
        if not session:
            raise ApiError(404, "Session not found")
        if "leaky-live" not in self.bugs and session["studentId"] != uid:
            raise ApiError(403, "Student does not own this session")
        tid = session["trainerId"]
        active = raw_journey is not None
        location = None
        if active:
            stored = await self.store.get_json(k_location(tid, sid))
            if stored:
                location = {k: stored[k] for k in ("latitude", "longitude", "accuracy", "speed", "heading", "timestamp")
                            if k in stored}
        return ok(200, "Live location", {"sessionId": sid, "trainerId": tid, "location": location,
                                         "isActive": active, "lastUpdate": location["timestamp"] if location else None})

    # --- 4 and 5. end of journey
    async def _active_journey_of(self, request):
        uid = await self.authenticate(request)
        sid = request.match_info["sessionId"]
        journey = await self.store.get_json(k_journey(sid))
        if not journey:
            raise ApiError(404, "Journey not active for this session")
        if journey["trainerId"] != uid:
            raise ApiError(403, "Trainer does not own this session")
        return sid, journey

    async def _end(self, sid, journey, reason):
        """Delete the journey and location keys and write the ended marker, in one transaction.
        Returns False when another call ended the journey first."""
        tid = journey["trainerId"]

        async def tx(r):
            async with r.pipeline(transaction=True) as p:
                p.delete(k_journey(sid))
                p.delete(k_location(tid, sid))
                if "no-410" not in self.bugs:
                    p.set(k_ended(sid), reason, ex=ENDED_TTL)
                return await p.execute()
        res = await self.store.run(tx)
        return bool(res[0])

    async def arrived(self, request):
        sid, journey = await self._active_journey_of(request)
        session = await self.session_cached(sid)
        home = (session or {}).get("studentHomeLocation")
        if not home:
            raise ApiError(400, "Session has no student home location")
        loc = await self.store.get_json(k_location(journey["trainerId"], sid))
        if not loc:
            raise ApiError(400, "No known location for this journey")
        dist = haversine_m(loc["latitude"], loc["longitude"], home["latitude"], home["longitude"])
        if dist > ARRIVAL_RADIUS_M:
            raise ApiError(400, f"Trainer is {dist:.0f} m from the student's location (must be within {ARRIVAL_RADIUS_M:.0f} m)")
        if not await self._end(sid, journey, "arrived"):
            raise ApiError(404, "Journey not active for this session")
        when = iso(now_ms())
        otp = f"{secrets.randbelow(10000):04d}"
        try:  # the session now awaits the student's OTP
            db = await self.session_from_db(sid)
            if db:
                db.update(status="pending_verification", studentOtp=otp, arrivedAt=when)
                await self.store.run(lambda r: r.set(k_db_session(sid), json.dumps(db), keepttl=True))
        except StoreUnavailable as e:
            log.warning("session status update after arrival failed: %s", e)
        await self.events.publish(self.bugs, "TrainerJourneyEnded", {
            "trainerId": journey["trainerId"], "studentId": journey["studentId"], "sessionId": sid,
            "endTime": when, "reason": "arrived"})
        return ok(200, "Trainer has arrived", {"sessionId": sid, "otp": otp, "arrivedAt": when})

    async def stop_journey(self, request):
        sid, journey = await self._active_journey_of(request)
        if not await self._end(sid, journey, "cancelled"):
            raise ApiError(404, "Journey not active for this session")
        when = iso(now_ms())
        await self.events.publish(self.bugs, "TrainerJourneyEnded", {
            "trainerId": journey["trainerId"], "studentId": journey["studentId"], "sessionId": sid,
            "endTime": when, "reason": "cancelled"})
        return ok(200, "Journey stopped", {"sessionId": sid, "stoppedAt": when})

    # --- fixtures and root
    async def fixtures(self, request):
        count_q = request.query.get("count")
        count = 1
        if count_q is not None:
            try:
                count = int(count_q)
            except ValueError:
                raise ApiError(400, "count must be an integer")
            if not 1 <= count <= MAX_FIXTURES:
                raise ApiError(400, f"count must be between 1 and {MAX_FIXTURES}")
        home, status = dict(DEFAULT_HOME), "scheduled"
        raw = await request.read()
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise ApiError(400, "Body must be JSON")
            if not isinstance(body, dict):
                raise ApiError(400, "Body must be a JSON object")
            if "studentHome" in body:
                h = body["studentHome"]
                if not (isinstance(h, dict) and is_number(h.get("latitude")) and is_number(h.get("longitude"))
                        and -90 <= h["latitude"] <= 90 and -180 <= h["longitude"] <= 180):
                    raise ApiError(400, "studentHome must be {latitude, longitude}")
                home = {"latitude": h["latitude"], "longitude": h["longitude"]}
            if "status" in body:  # peer extension: a session in another status, to see start's 400
                if not isinstance(body["status"], str) or not body["status"]:
                    raise ApiError(400, "status must be a string")
                status = body["status"]
        out = []
        for start in range(0, count, 2000):
            batch = []
            for _ in range(start, min(count, start + 2000)):
                users = {role: {"id": str(uuid.uuid4()), "token": secrets.token_hex(32)}
                         for role in ("trainer", "student", "otherTrainer", "otherStudent")}
                # with a completed session of the same pair, for the auditor's JRN-SCHEDULED-001
                batch.append({"sessionId": str(uuid.uuid4()), **users, "studentHome": dict(home),
                              "nonScheduledSessionId": str(uuid.uuid4())})

            async def write(r, batch=batch):
                async with r.pipeline(transaction=False) as p:
                    for f in batch:
                        for sid, st in ((f["sessionId"], status), (f["nonScheduledSessionId"], "completed")):
                            p.set(k_db_session(sid), json.dumps({
                                "sessionId": sid, "trainerId": f["trainer"]["id"],
                                "studentId": f["student"]["id"], "status": st,
                                "studentHomeLocation": f["studentHome"]}), ex=DB_TTL)
                        for role in ("trainer", "student", "otherTrainer", "otherStudent"):
                            p.set(token_key(f[role]["token"]), f[role]["id"], ex=DB_TTL)
                    return await p.execute()
            await self.store.run(write, timeout=30)  # socket timeout still 1 s per read
            out.extend(batch)
        body = out[0] if count_q is None else {"fixtures": out}
        return web.json_response(body, status=201)

    async def root(self, request):
        return web.json_response({"service": "journey-peer"})


# ----------------------------------------------------------------- socket.io

def build_socketio(peer, redis_url, app):
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=socketio.AsyncRedisManager(redis_url))
    sio.attach(app)

    @sio.event
    async def connect(sid, environ, auth):
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            uid = await peer.user_for_token(token)
        except StoreUnavailable:
            raise socketio.exceptions.ConnectionRefusedError("service unavailable")
        if not uid:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        await sio.save_session(sid, {"userId": uid})
        await sio.enter_room(sid, f"user:{uid}")

    @sio.on("chatMessage")
    async def chat_message(sid, data):
        uid = (await sio.get_session(sid)).get("userId")
        if not isinstance(data, dict) or not isinstance(data.get("sessionId"), str) or not isinstance(data.get("text"), str):
            return {"ok": False, "error": "chatMessage needs {sessionId, text}"}
        try:
            session = await peer.session_cached(data["sessionId"])
        except StoreUnavailable:
            return {"ok": False, "error": "service unavailable"}
        if not session or uid not in (session["trainerId"], session["studentId"]):
            return {"ok": False, "error": "not a party of this session"}
        other = session["studentId"] if uid == session["trainerId"] else session["trainerId"]
        await sio.emit("chatMessage", {"sessionId": data["sessionId"], "from": uid, "text": data["text"],
                                       "sentAt": iso(now_ms())}, room=f"user:{other}")
        return {"ok": True}

    if "ws-location-handlers" in peer.bugs:
        add_ws_location_handlers(sio)
    return sio


def add_ws_location_handlers(sio):
    """Bug ws-location-handlers: the pre-fix socketServer.ts of seed 003 (in-memory, stateful)."""
    activeTravelSessions = {}  # trainerId -> {studentId, startTime}: the forbidden in-memory map

    def student_of(data):
        if isinstance(data, str):
            return data
        if isinstance(data, dict):
            return data.get("studentId")
        return None

    @sio.on("startTravel")
    async def start_travel(sid, data):
        tid = (await sio.get_session(sid)).get("userId")
        student = student_of(data)
        activeTravelSessions[tid] = {"studentId": student, "startTime": iso(now_ms())}
        if student:
            await sio.emit("trainerTravelStarted", {"trainerId": tid, "studentId": student,
                                                    "startTime": activeTravelSessions[tid]["startTime"]},
                           room=f"user:{student}")
        return {"ok": True, "studentId": student}

    @sio.on("trainerLocation")
    async def trainer_location(sid, data):
        tid = (await sio.get_session(sid)).get("userId")
        data = data if isinstance(data, dict) else {}
        student = data.get("studentId") or activeTravelSessions.get(tid, {}).get("studentId")
        payload = {**data, "trainerId": tid, "studentId": student, "timestamp": iso(now_ms())}
        if student:
            await sio.emit("trainerLocationUpdate", payload, room=f"user:{student}")
            await sio.emit(f"location_{tid}", payload, room=f"user:{student}")
        await sio.emit(f"location_{tid}", payload, room=f"trainer-location:{tid}")
        return {"ok": True}

    @sio.on("stopTravel")
    async def stop_travel(sid, data):
        tid = (await sio.get_session(sid)).get("userId")
        entry = activeTravelSessions.pop(tid, None) or {}
        student = student_of(data) or entry.get("studentId")
        if student:
            await sio.emit("trainerArrived", {"trainerId": tid, "studentId": student, "arrivedAt": iso(now_ms())},
                           room=f"user:{student}")
        return {"ok": True}

    @sio.on("subscribeToTrainerLocation")
    async def subscribe(sid, data):
        tid = data.get("trainerId") if isinstance(data, dict) else data
        if isinstance(tid, str) and tid:
            await sio.enter_room(sid, f"trainer-location:{tid}")
        return {"ok": True, "trainerId": tid}


# ----------------------------------------------------------------- app

@web.middleware
async def envelope(request, handler):
    try:
        return await handler(request)
    except ApiError as e:
        return err(e.status, e.message, e.headers)
    except StoreUnavailable as e:
        log.warning("state store unavailable on %s %s: %s", request.method, request.path, e)
        return err(503, "State store unavailable")
    except web.HTTPException as e:
        if e.status >= 400 and not request.path.startswith("/socket.io"):
            return err(e.status, e.reason)
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return err(500, "Internal server error")


def build_app(peer, redis_url):
    app = web.Application(middlewares=[envelope], client_max_size=4 * 1024 * 1024)
    app.router.add_get("/", peer.root)
    app.router.add_post("/__peer/fixtures", peer.fixtures)
    app.router.add_post("/api/v1/admin/sessions/{sessionId}/start-journey", peer.start_journey)
    app.router.add_post("/api/v1/admin/location-tracking/journey/updates", peer.location_update)
    app.router.add_get("/api/v1/admin/location-tracking/journey/live", peer.live_location)
    app.router.add_post("/api/v1/admin/sessions/{sessionId}/arrived", peer.arrived)
    app.router.add_post("/api/v1/admin/sessions/{sessionId}/stop-journey", peer.stop_journey)
    sio = build_socketio(peer, redis_url, app)
    return app, sio


class UsageParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"journey_peer: {message}", file=sys.stderr)
        sys.exit(64)


def parse_args(argv):
    p = UsageParser(prog="journey_peer.py", description="Independent journey-tracking peer for the auditor.")
    p.add_argument("--port", type=int, default=8080, help="listen port on 127.0.0.1 (0 = any free port)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--redis", required=True, help="redis://[user:password@]host:port[/db]")
    p.add_argument("--eventbridge-endpoint", default=None, help="send PutEvents here; without it events are skipped")
    p.add_argument("--bug", action="append", default=[], metavar="NAME", help="reproduce a defect; repeatable")
    p.add_argument("--verbose", action="store_true", help="access log and debug logs on stderr")
    a = p.parse_args(argv)
    unknown = [b for b in a.bug if b not in BUGS]
    if unknown:
        print(f"journey_peer: unknown bug {', '.join(unknown)}; valid: {', '.join(BUGS)}", file=sys.stderr)
        for name, what in BUGS.items():
            print(f"  {name}: {what}", file=sys.stderr)
        sys.exit(64)
    if not 0 <= a.port <= 65535:
        p.error("--port must be in 0..65535")
    a.bug = list(dict.fromkeys(a.bug))
    return a


async def serve(args):
    store = Store(args.redis)
    try:
        await store.run(lambda r: r.ping())
    except StoreUnavailable as e:
        print(f"journey_peer: cannot reach Redis at {mask_url(args.redis)}: {e}", file=sys.stderr)
        return 2
    events = Events(args.eventbridge_endpoint)
    if not args.eventbridge_endpoint:
        log.info("no --eventbridge-endpoint: EventBridge events will be skipped")
    peer = Peer(store, events, args.bug)
    app, sio = build_app(peer, args.redis)

    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0,
                           access_log=logging.getLogger("journey_peer.access") if args.verbose else None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    site = web.SockSite(runner, sock, backlog=1024)
    await site.start()
    port = sock.getsockname()[1]
    base = f"http://{args.host}:{port}"
    sys.stdout.write(json.dumps({"baseURL": base, "socketURL": f"ws://{args.host}:{port}/socket.io/",
                                 "fixturesURL": f"{base}/__peer/fixtures", "bugs": args.bug}) + "\n")
    sys.stdout.flush()
    log.info("listening on %s (redis %s, bugs %s)", base, mask_url(args.redis), args.bug or "none")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("signal received, shutting down")
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(sio.shutdown(), 2)
    except Exception:
        pass
    log.debug("socket.io shut down in %.3f s", time.monotonic() - t0)
    try:
        await asyncio.wait_for(runner.cleanup(), 5)
    except Exception:
        pass
    log.debug("http server shut down in %.3f s", time.monotonic() - t0)
    try:
        await asyncio.wait_for(store.r.aclose(), 1)
    except Exception:
        pass
    events.executor.shutdown(wait=False, cancel_futures=True)
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiohttp.access", "botocore", "urllib3", "socketio", "engineio"):
        if not args.verbose:
            logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.verbose:
        logging.getLogger("botocore").setLevel(logging.INFO)
    code = asyncio.run(serve(args))
    sys.exit(code)


if __name__ == "__main__":
    main()
