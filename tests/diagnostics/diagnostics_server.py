#!/usr/bin/env python3
"""The far ends of the network diagnostics' tests, on 127.0.0.1 and a port of their own.

Modes:
  https CERT KEY   HTTPS; every GET or HEAD answers 200 with a short page, /status/N answers N
  mute CERT KEY    HTTPS; the handshake completes, then no request is ever answered
  probe            plain HTTP; every GET answers 204 with nothing, as a connectivity check does
  portal           plain HTTP; every GET answers 302 to http://portal.invalid/login, as a captive portal does
  portal-page      plain HTTP; every GET answers 200 with a login page instead of 204
Usage: diagnostics_server.py PORT_FILE MODE [CERT KEY]
"""
import http.server
import os
import sys
import time

# The shared start lives in tests/support; no __pycache__ is left in the source tree by importing it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import loopback_http  # noqa: E402


class Handler(http.server.BaseHTTPRequestHandler):
    mode = ""

    def log_message(self, *args):
        pass

    def answer(self, with_body):
        if self.mode == "mute":
            time.sleep(60)
            return
        if self.mode == "probe":
            self.send_response(204)
            self.end_headers()
            return
        if self.mode == "portal":
            self.send_response(302)
            self.send_header("Location", "http://portal.invalid/login")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html><body>Bienvenue</body></html>\n"
        status = 200
        if self.path.startswith("/status/"):
            status = int(self.path[len("/status/"):])
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)


def main():
    port_file, mode = sys.argv[1:3]
    Handler.mode = mode
    if mode in ("https", "mute"):
        loopback_http.serve(Handler, port_file, sys.argv[3], sys.argv[4])
    else:
        loopback_http.serve(Handler, port_file)


if __name__ == "__main__":
    main()
