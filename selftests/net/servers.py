#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test servers for the "internet" namespace.

  servers.py COUNTS_FILE tcp:ADDR:PORT udp:ADDR:PORT ...

TCP: each connection gets "ok\\n", then every line it sends is echoed.
UDP: every datagram is answered with "ok" and counted per (addr, port) and
per distinct payload; the counts are written as JSON to COUNTS_FILE on
SIGUSR1 and at exit (SIGTERM). Prints "ready" once everything listens.
"""
import json
import selectors
import signal
import socket
import sys

counts = {}
seen = {}


def dump(*_):
    with open(sys.argv[1] + ".tmp", "w") as f:
        json.dump({"datagrams": counts, "distinct": {k: len(v) for k, v in seen.items()}}, f)
    import os
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])


def main():
    sel = selectors.DefaultSelector()
    for spec in sys.argv[2:]:
        proto, rest = spec.split(":", 1)
        addr, port = rest.rsplit(":", 1)
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        if proto == "tcp":
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, int(port)))
            s.listen(64)
        else:
            s = socket.socket(fam, socket.SOCK_DGRAM)
            # Lets a client send from the same port (ingress.sh).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, int(port)))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, (proto, f"{addr}:{port}"))

    signal.signal(signal.SIGUSR1, dump)
    signal.signal(signal.SIGTERM, lambda *_: (dump(), sys.exit(0)))
    dump()
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            proto, name = key.data
            sock = key.fileobj
            if proto == "tcp":
                conn, _ = sock.accept()
                conn.setblocking(False)
                try:
                    conn.send(b"ok\n")
                except OSError:
                    conn.close()
                    continue
                sel.register(conn, selectors.EVENT_READ, ("conn", name))
            elif proto == "conn":
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(sock)
                    sock.close()
                    continue
                try:
                    sock.send(data)
                except OSError:
                    pass
            else:
                try:
                    data, peer = sock.recvfrom(4096)
                except OSError:
                    continue
                counts[name] = counts.get(name, 0) + 1
                seen.setdefault(name, set()).add(data)
                try:
                    sock.sendto(b"ok", peer)
                except OSError:
                    pass


if __name__ == "__main__":
    main()
