#!/usr/bin/env python3
"""The fleet's configuration server for the tests: HTTPS on 127.0.0.1, a port of its own, files from one folder.

GET /PATH serves ROOT/PATH with an ETag (a 304 when If-None-Match names it). A first path part picks a fault:
  /slow/PATH       the headers, then one byte every 0.3 s
  /hang/PATH       the TLS handshake, then nothing at all
  /truncated/PATH  the full Content-Length, half the bytes, then the connection closed
Each request is one line in ROOT/requests.log: "PATH STATUS IF-NONE-MATCH".
POST /webhook/STATUS is a chat webhook answering that status (200, 500, ...), or nothing at all for
/webhook/hang; each body is one line in ROOT/posts.log, as JSON with sorted keys, after its Content-Type.
Usage: bundle_server.py ROOT CERT KEY PORT_FILE
"""
import hashlib
import http.server
import json
import os
import sys
import threading
import time

# The shared start lives in tests/support; no __pycache__ is left in the source tree by importing it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import loopback_http  # noqa: E402


class Handler(http.server.BaseHTTPRequestHandler):
    root = ""
    log_lock = threading.Lock()

    def log_message(self, *args):
        pass

    def note(self, status):
        with self.log_lock, open(os.path.join(self.root, "requests.log"), "a") as log:
            log.write(f"{self.path} {status} {self.headers.get('If-None-Match', '-')}\n")

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
        body = self.rfile.read(length)
        try:
            shown = json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False)
        except ValueError:
            shown = "not JSON: " + repr(body)
        with self.log_lock, open(os.path.join(self.root, "posts.log"), "a", encoding="utf-8") as log:
            log.write(f"{self.path} {self.headers.get('Content-Type', '-')} {shown}\n")
        parts = self.path.lstrip("/").split("/")
        if len(parts) != 2 or parts[0] != "webhook":
            self.send_error(404)
            return
        if parts[1] == "hang":
            time.sleep(60)
            return
        self.send_response(int(parts[1]))
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        parts = self.path.lstrip("/").split("/")
        fault = parts[0] if parts[0] in ("slow", "hang", "truncated") else ""
        if fault:
            parts = parts[1:]
        if fault == "hang":
            self.note("hang")
            time.sleep(60)
            return
        path = os.path.join(self.root, *parts)
        if ".." in parts or not os.path.isfile(path):
            self.note(404)
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.note(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        if fault == "slow":
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.3)
        elif fault == "truncated":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)
        else:
            self.wfile.write(body)


def main():
    root, cert, key, port_file = sys.argv[1:5]
    Handler.root = root
    loopback_http.serve(Handler, port_file, cert, key)


if __name__ == "__main__":
    main()
