"""A real Socket.IO v4 server (python-socketio on aiohttp) for the auditor's client and probe tests.

Usage: socketio_server.py [--location-handlers]
Prints "READY <port>" once listening on 127.0.0.1 (port 0: the kernel's choice), then serves until killed.
python-socketio's defaults are kept: in particular it accepts only its own origin, as a deployment does.
Tokens: any token but "bad" connects. With --location-handlers it has the seeds' forbidden
journey handlers (003): they acknowledge and push trainerLocationUpdate / trainerTravelStarted.
"""
import asyncio
import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp")
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
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
