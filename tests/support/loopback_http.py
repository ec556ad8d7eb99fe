"""The start every test HTTP server shares: 127.0.0.1 on a free port, TLS when given a certificate, and the port
written to PORT_FILE at once and whole (through a rename), so the C++ side never reads half a number.

Imported by the scripts beside the tests (tests/net/bundle_server.py, tests/diagnostics/diagnostics_server.py), which
put this folder on sys.path from their own location.
"""
import http.server
import os
import ssl


def serve(handler, port_file, cert=None, key=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".new", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".new", port_file)
    server.serve_forever()
