#!/usr/bin/env python3
"""A virtual contactless badge for vpcd: put it on "Virtual PCD 00 00" and it answers FF CA 00 00 00 with a UID.

Usage: virtual-badge.py [UID-HEX] [--port 35963] [--seconds N]
The badge stays on the reader until Ctrl-C (or N seconds), then is taken off. vpcd's protocol: each
message is a 2-byte big-endian length then the payload; a 1-byte payload is a control message
(0 power off, 1 power on, 2 reset, 4 send the ATR); a longer one is a command APDU to answer.
"""
import argparse
import socket
import struct
import sys
import time

# The ATR a PC/SC reader reports for a MIFARE Classic 1K badge (PC/SC part 3).
ATR = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")


def read_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        data += chunk
    return data


def answer(command, uid):
    if len(command) == 5 and command[:4] == b"\xff\xca\x00\x00":
        return uid + b"\x90\x00"
    return b"\x6d\x00"  # instruction not supported


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uid", nargs="?", default="04A1B2C3D4E5F6", help="4, 7 or 10 bytes in hex")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--seconds", type=float, default=0, help="take the badge off after this long")
    args = parser.parse_args()
    uid = bytes.fromhex(args.uid)
    if len(uid) not in (4, 7, 10):
        sys.exit("virtual-badge: a UID has 4, 7 or 10 bytes")
    conn = socket.create_connection(("127.0.0.1", args.port), timeout=5)
    deadline = time.monotonic() + args.seconds if args.seconds else None
    print(f"virtual-badge: {args.uid.upper()} on the reader at port {args.port}; Ctrl-C takes it off", flush=True)
    try:
        while True:
            if deadline is not None:
                conn.settimeout(max(0.01, deadline - time.monotonic()))
            (length,) = struct.unpack(">H", read_exactly(conn, 2))
            payload = read_exactly(conn, length)
            if length == 1:
                if payload[0] == 4:
                    conn.sendall(struct.pack(">H", len(ATR)) + ATR)
                continue
            response = answer(payload, uid)
            conn.sendall(struct.pack(">H", len(response)) + response)
    except (KeyboardInterrupt, socket.timeout):
        pass
    finally:
        conn.close()
        print("virtual-badge: taken off the reader", flush=True)


if __name__ == "__main__":
    main()
