"""Creates N fixtures on a reference and starts a journey for each; writes 'sessionId token' lines."""
import http.client
import json
import sys
import threading
from urllib.parse import urlparse

base, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
url = urlparse(base)
lines, lock = [], threading.Lock()


def worker(n):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    for _ in range(n):
        conn.request("POST", "/__reference/fixtures", body=b"", headers={"Content-Length": "0"})
        fixture = json.loads(conn.getresponse().read())
        session, token = fixture["sessionId"], fixture["trainer"]["token"]
        conn.request("POST", f"/api/v1/admin/sessions/{session}/start-journey", body=b"",
                     headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
        response = conn.getresponse()
        response.read()
        assert response.status == 201, response.status
        with lock:
            lines.append(f"{session} {token}")


threads = [threading.Thread(target=worker, args=(count // 8,)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
