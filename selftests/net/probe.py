#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Clients that report how the network answered, as one word on stdout:
"ok", or the errno name the socket call failed with (ECONNREFUSED, EPERM,
EHOSTUNREACH, ...), or "timeout" when nothing answered in time.

  probe.py tcp ADDR PORT            connect, read the server's greeting
  probe.py udp ADDR PORT            send one datagram, wait for the answer
  probe.py icmp ADDR 0              send an echo request (raw socket), wait
                                    for the reply
  probe.py stream ADDR PORT N TAG   send N numbered datagrams, 2 ms apart,
                                    payloads TAG-0 .. TAG-(N-1); prints how
                                    many sends failed
  probe.py flow ADDR PORT STATUS    keep a TCP flow busy (a line every
                                    50 ms, each echoed); write "up" to
                                    STATUS once connected and the errno
                                    name when it breaks; stops when
                                    STATUS.stop appears
"""
import errno
import os
import socket
import sys
import time

TIMEOUT = 5.0


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def err_name(e):
    if isinstance(e, socket.timeout):
        return "timeout"
    return errno.errorcode.get(e.errno, str(e.errno))


def tcp(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect((addr, port))
        data = s.recv(16)
        return "ok" if data.startswith(b"ok") else "closed"
    except OSError as e:
        return err_name(e)
    finally:
        s.close()


def udp(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect((addr, port))
        s.send(b"probe")
        data = s.recv(16)
        return "ok" if data == b"ok" else "garbled"
    except OSError as e:
        return err_name(e)
    finally:
        s.close()


def icmp(addr):
    v6 = ":" in addr
    s = socket.socket(family(addr), socket.SOCK_RAW,
                      socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    s.settimeout(TIMEOUT)
    # Echo request, id 0x5342, seq 1; the kernel fills the ICMPv6 checksum.
    msg = bytearray([128 if v6 else 8, 0, 0, 0, 0x53, 0x42, 0, 1]) + b"sbxfw"
    if not v6:
        total = sum(int.from_bytes(msg[i:i + 2], "big") for i in range(0, len(msg) - 1, 2))
        total += msg[-1] << 8
        while total >> 16:
            total = (total & 0xffff) + (total >> 16)
        msg[2:4] = (~total & 0xffff).to_bytes(2, "big")
    try:
        s.sendto(bytes(msg), (addr, 0))
        while True:
            data = s.recv(256)
            reply = data if v6 else data[(data[0] & 15) * 4:]
            if reply[0] == (129 if v6 else 0) and reply[4:6] == b"\x53\x42":
                return "ok"
    except OSError as e:
        return err_name(e)
    finally:
        s.close()


def stream(addr, port, n, tag):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.connect((addr, port))
    failed = 0
    for i in range(n):
        try:
            s.send(f"{tag}-{i}".encode())
        except OSError:
            failed += 1
        time.sleep(0.002)
    return str(failed)


def flow(addr, port, status):
    def report(word):
        with open(status + ".tmp", "w") as f:
            f.write(word + "\n")
        os.replace(status + ".tmp", status)

    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect((addr, port))
        if not s.recv(16).startswith(b"ok"):
            report("closed")
            return "closed"
        report("up")
        while not os.path.exists(status + ".stop"):
            s.send(b"ping\n")
            if not s.recv(16):
                report("closed")
                return "closed"
            time.sleep(0.05)
        report("stopped")
        return "stopped"
    except OSError as e:
        report(err_name(e))
        return err_name(e)


def main():
    cmd, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == "tcp":
        print(tcp(addr, port))
    elif cmd == "udp":
        print(udp(addr, port))
    elif cmd == "icmp":
        print(icmp(addr))
    elif cmd == "stream":
        print(stream(addr, port, int(sys.argv[4]), sys.argv[5]))
    elif cmd == "flow":
        print(flow(addr, port, sys.argv[4]))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
