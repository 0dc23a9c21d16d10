"""A real Socket.IO v4 server (python-socketio on aiohttp) for the auditor's client and probe tests.

Usage: socketio_server.py [--location-handlers]
Prints "READY <port>" once listening on 127.0.0.1 (a free port), then serves until killed.
Tokens: any token but "bad" connects. With --location-handlers it has the seeds' forbidden
journey handlers (003): they acknowledge and push trainerLocationUpdate / trainerTravelStarted.
"""
import asyncio
import socket
import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
app = web.Application()
sio.attach(app)
travelling = {}  # the seeds' in-memory activeTravelSessions


@sio.event
async def connect(sid, environ, auth):
    if not auth or auth.get("token") in (None, "bad"):
        raise socketio.exceptions.ConnectionRefusedError("invalid token")


@sio.on("chatMessage")
async def chat(sid, data):
    await sio.emit("chatMessage", data, skip_sid=sid)
    return {"ok": True}


if "--location-handlers" in sys.argv:
    @sio.on("startTravel")
    async def start_travel(sid, data):
        travelling[sid] = data.get("studentId")
        await sio.emit("trainerTravelStarted", {"trainerId": sid}, skip_sid=sid)
        return {"ok": True}

    @sio.on("trainerLocation")
    async def trainer_location(sid, data):
        await sio.emit("trainerLocationUpdate", data, skip_sid=sid)
        return {"ok": True}


async def main():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"READY {port}", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
