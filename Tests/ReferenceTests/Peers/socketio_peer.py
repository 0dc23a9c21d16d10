"""A real Socket.IO v4 peer (python-socketio) that exercises the reference's /socket.io/ endpoint.

Usage (prints one JSON object on stdout):
  socketio_peer.py chat URL TRAINER_TOKEN STUDENT_TOKEN SESSION_ID
  socketio_peer.py badtoken URL
  socketio_peer.py travel URL TRAINER_TOKEN STUDENT_TOKEN STUDENT_ID
"""
import json
import sys
import threading

import socketio


def client():
    return socketio.Client(reconnection=False)


def connect(sio, url, token):
    base = url.split("/socket.io")[0]
    sio.connect(base, socketio_path="socket.io", transports=["websocket"], auth={"token": token}, wait_timeout=5)


def chat(url, trainer_token, student_token, session_id):
    received = threading.Event()
    got = {}
    student = client()

    @student.on("chatMessage")
    def on_chat(data):
        got.update(data)
        received.set()

    trainer = client()
    connect(student, url, student_token)
    connect(trainer, url, trainer_token)
    ack = trainer.call("chatMessage", {"sessionId": session_id, "text": "on my way"}, timeout=5)
    received.wait(5)
    stranger_ack = student.call("chatMessage", {"sessionId": "not-my-session", "text": "hi"}, timeout=5)
    trainer.disconnect()
    student.disconnect()
    return {"ack": ack, "received": got, "strangerAck": stranger_ack}


def badtoken(url):
    sio = client()
    try:
        connect(sio, url, "definitely-not-a-token")
    except socketio.exceptions.ConnectionError as error:
        return {"refused": True, "message": str(error)}
    sio.disconnect()
    return {"refused": False}


def travel(url, trainer_token, student_token, student_id):
    forbidden_out = ["trainerLocationUpdate", "trainerTravelStarted", "trainerArrived", "travelStarted", "destinationReached"]
    seen = []
    student = client()

    @student.on("*")
    def on_any(event, *args):
        seen.append(event)

    trainer = client()
    connect(student, url, student_token)
    connect(trainer, url, trainer_token)
    acks = {}
    payloads = {
        "startTravel": {"studentId": student_id},
        "trainerLocation": {"latitude": 12.97, "longitude": 77.59, "studentId": student_id},
        "subscribeToTrainerLocation": {"trainerId": "someone"},
        "stopTravel": {"studentId": student_id},
    }
    for name, payload in payloads.items():
        try:
            acks[name] = trainer.call(name, payload, timeout=1)
        except socketio.exceptions.TimeoutError:
            acks[name] = None
    trainer.sleep(0.3)
    trainer.disconnect()
    student.disconnect()
    return {"acks": acks, "studentEvents": seen,
            "forbiddenSeen": [e for e in seen if e in forbidden_out or e.startswith("location_")]}


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    result = {"chat": chat, "badtoken": badtoken, "travel": travel}[mode](*args)
    print(json.dumps(result))
