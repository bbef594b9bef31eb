#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A scripted DNS server for dns.sh, answering over UDP what a real resolver
would not:

  dnsd.py N ADDR...

listens on port 53 of each ADDR and prints "ready". Every answer has TTL 3600 and
owns its records by a pointer to the question. By the question's first
label (type A; any other type gets an empty answer):

  nK        N distinct A records in 198.18.0.0/15 (public, for sbxfw),
            from 198.18.0.0 + K * N on (modulo 0x1ff00, clear of the
            ones below): an answer too big to learn whole
  wrongid   one record, 198.19.255.1, under another id than the query's
  wrongname one record, 198.19.255.2, for a question of another name
            ("other-" and the name asked)
  wrongtype one record, 198.19.255.3, with the question's type AAAA
  slow      one record, 198.19.255.5, two seconds late (the query is
            still waiting meanwhile); so is an empty answer to another type
  else      one record, 198.19.255.4
"""
import heapq
import selectors
import socket
import struct
import sys
import time

TTL = 3600
A, AAAA = 1, 28
BASE = int.from_bytes(socket.inet_aton("198.18.0.0"), "big")


def read_question(msg):
    """The question's labels, type and class, and where it ends."""
    labels, off = [], 12
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n])
        off += 1 + n
    qtype, qclass = struct.unpack_from("!HH", msg, off + 1)
    return labels, qtype, qclass, off + 5


def encode(labels):
    return b"".join(bytes([len(lab)]) + lab for lab in labels) + b"\0"


def a_record(addr):
    return b"\xc0\x0c" + struct.pack("!HHIH", A, 1, TTL, 4) + struct.pack("!I", addr)


def answer(msg, n):
    """The answer to MSG and how many seconds to hold it back."""
    qid, flags = struct.unpack_from("!HH", msg)
    labels, qtype, qclass, _ = read_question(msg)
    first = labels[0].decode(errors="replace").lower() if labels else ""
    addrs, delay = [], 2 if first == "slow" else 0
    if qtype == A:
        if first[1:].isdigit() and first[0] == "n":
            k = int(first[1:])
            addrs = [BASE + (k * n + i) % 0x1ff00 for i in range(n)]
        elif first == "wrongid":
            qid ^= 0x8000
            addrs = [BASE + 0x1ff01]
        elif first == "wrongname":
            labels = [b"other-" + labels[0]] + labels[1:]
            addrs = [BASE + 0x1ff02]
        elif first == "wrongtype":
            qtype = AAAA
            addrs = [BASE + 0x1ff03]
        elif first == "slow":
            addrs = [BASE + 0x1ff05]
        else:
            addrs = [BASE + 0x1ff04]
    # QR, the query's opcode and RD, RA; NOERROR.
    hdr = struct.pack("!HHHHHH", qid, 0x8080 | (flags & 0x7900), 1, len(addrs), 0, 0)
    return hdr + encode(labels) + struct.pack("!HH", qtype, qclass) + \
        b"".join(a_record(a) for a in addrs), delay


def main():
    n = int(sys.argv[1])
    sel = selectors.DefaultSelector()
    for addr in sys.argv[2:]:
        s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, 53))
        sel.register(s, selectors.EVENT_READ)
    print("ready", flush=True)
    late = []  # (when, seq, socket, answer, peer)
    seq = 0
    while True:
        timeout = max(0, late[0][0] - time.monotonic()) if late else None
        for key, _ in sel.select(timeout):
            s = key.fileobj
            try:
                msg, peer = s.recvfrom(4096)
                if len(msg) < 17 or msg[2] & 0x80:
                    continue
                reply, delay = answer(msg, n)
            except (IndexError, struct.error, OSError):
                continue
            seq += 1
            heapq.heappush(late, (time.monotonic() + delay, seq, s, reply, peer))
        while late and late[0][0] <= time.monotonic():
            _, _, s, reply, peer = heapq.heappop(late)
            try:
                s.sendto(reply, peer)
            except OSError:
                pass


if __name__ == "__main__":
    main()
