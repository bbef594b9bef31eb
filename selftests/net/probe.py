#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Clients that report how the network answered, as one word on stdout:
"ok", or the errno name the socket call failed with (ECONNREFUSED, EPERM,
EHOSTUNREACH, ...), or "timeout" when nothing answered in time.

  tcp, udp, icmp and flow bind their socket to $PROBE_SRC (an address)
  and $PROBE_SPORT (a port) when those are set.

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
  probe.py rawudp SRC DST PORT N    send N UDP datagrams through a raw IP
                                    socket that writes its own IP header
                                    (IP_HDRINCL / IPV6_HDRINCL); prints how
                                    many sends failed
  probe.py icmperr DST QSRC QSPORT QDST QDPORT
                                    send DST an ICMP port unreachable that
                                    quotes a TCP segment QSRC:QSPORT to
                                    QDST:QDPORT; "ok" or the send's errno
  probe.py frames IFACE MAC SPEC N [bypass]
                                    write N Ethernet frames to MAC through
                                    an AF_PACKET socket on IFACE (with
                                    PACKET_QDISC_BYPASS if asked); SPEC is
                                    udp,SRC,DST,PORT (a datagram),
                                    ethertype,0xNNNN (a 46-byte payload) or
                                    marker (an ARP frame sniff stops at);
                                    prints how many sends failed
  probe.py xdp IFACE MAC SPEC N     the same through an AF_XDP socket in copy
                                    mode (no XDP program needed to send);
                                    prints how many frames the kernel did
                                    not take, or the errno name of a setup
                                    step that failed
  probe.py sniff IFACE ETHERTYPE    print "ready", count the frames of
                                    ETHERTYPE arriving on IFACE until a
                                    marker frame arrives, print the count
"""
import errno
import os
import socket
import struct
import sys
import time

TIMEOUT = 5.0


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def err_name(e):
    if isinstance(e, socket.timeout):
        return "timeout"
    return errno.errorcode.get(e.errno, str(e.errno))


def bound(s):
    """Binds S to $PROBE_SRC and $PROBE_SPORT when they are set."""
    src = os.environ.get("PROBE_SRC", "")
    sport = int(os.environ.get("PROBE_SPORT", "0"))
    if src or sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((src, sport))
    return s


def tcp(addr, port):
    s = bound(socket.socket(family(addr), socket.SOCK_STREAM))
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
    s = bound(socket.socket(family(addr), socket.SOCK_DGRAM))
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
    s = bound(socket.socket(family(addr), socket.SOCK_RAW,
                            socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP))
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

    s = bound(socket.socket(family(addr), socket.SOCK_STREAM))
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


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def ip_datagram(src, dst, port, payload):
    """An IPv4 or IPv6 packet carrying a UDP datagram, checksums filled."""
    v6 = ":" in dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    saddr, daddr = socket.inet_pton(fam, src), socket.inet_pton(fam, dst)
    udp = bytearray(struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload)
    if v6:
        pseudo = saddr + daddr + struct.pack("!IxxxB", len(udp), socket.IPPROTO_UDP)
        udp[6:8] = struct.pack("!H", checksum(pseudo + bytes(udp)) or 0xffff)
        return struct.pack("!IHBB", 6 << 28, len(udp), socket.IPPROTO_UDP, 64) + saddr + daddr + udp
    hdr = bytearray(struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                                socket.IPPROTO_UDP, 0) + saddr + daddr)
    hdr[10:12] = struct.pack("!H", checksum(bytes(hdr)))
    return bytes(hdr) + bytes(udp)


def send_all(send, packets):
    failed = 0
    for pkt in packets:
        try:
            send(pkt)
        except OSError:
            failed += 1
    return str(failed)


def rawudp(src, dst, port, n):
    v6 = ":" in dst
    s = socket.socket(family(dst), socket.SOCK_RAW, socket.IPPROTO_RAW)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, 36, 1)  # IPV6_HDRINCL
    pkts = [ip_datagram(src, dst, port, f"raw-{i}".encode()) for i in range(n)]
    return send_all(lambda p: s.sendto(p, (dst, 0)), pkts)


def icmperr(dst, qsrc, qsport, qdst, qdport):
    """Sends DST an ICMP port unreachable quoting a TCP segment QSRC:QSPORT
    -> QDST:QDPORT, with a payload after it; "ok" or the send's errno."""
    ip = bytearray(struct.pack("!BBHHHBBH", 0x45, 0, 40, 0, 0x4000, 64,
                               socket.IPPROTO_TCP, 0)
                   + socket.inet_aton(qsrc) + socket.inet_aton(qdst))
    ip[10:12] = struct.pack("!H", checksum(bytes(ip)))
    tcp = struct.pack("!HHIIBBHHH", qsport, qdport, 1, 1, 0x50, 0x10, 512, 0, 0)
    msg = bytearray(struct.pack("!BBHI", 3, 3, 0, 0)) + ip + tcp + b"x" * 64
    msg[2:4] = struct.pack("!H", checksum(bytes(msg)))
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    try:
        s.sendto(bytes(msg), (dst, 0))
        return "ok"
    except OSError as e:
        return err_name(e)


MARKER = b"sbxfw-marker"
ETH_P_ARP = 0x0806


def frame_body(spec, i):
    kind, *args = spec.split(",")
    if kind == "udp":
        src, dst, port = args
        return (0x86DD if ":" in dst else 0x0800), ip_datagram(src, dst, int(port), f"frame-{i}".encode())
    if kind == "ethertype":
        return int(args[0], 16), bytes(46)
    if kind == "marker":
        return ETH_P_ARP, MARKER.ljust(46, b"\0")
    raise SystemExit(f"unknown frame spec {spec}")


def ethernet_frames(iface, mac, spec, n):
    own = bytes.fromhex(open(f"/sys/class/net/{iface}/address").read().strip().replace(":", ""))
    dst = bytes.fromhex(mac.replace(":", ""))
    pkts = []
    for i in range(n):
        ethertype, body = frame_body(spec, i)
        pkts.append(dst + own + struct.pack("!H", ethertype) + body)
    return pkts


def frames(iface, mac, spec, n, bypass):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    if bypass:
        s.setsockopt(263, 20, 1)  # SOL_PACKET, PACKET_QDISC_BYPASS
    return send_all(s.send, ethernet_frames(iface, mac, spec, n))


AF_XDP, SOL_XDP = 44, 283
XDP_MMAP_OFFSETS, XDP_TX_RING, XDP_UMEM_REG = 1, 3, 4
XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING = 5, 6
XDP_PGOFF_TX_RING = 0x80000000
XDP_COPY = 1 << 1
RING, CHUNK = 64, 2048


def xdp(iface, mac, spec, n):
    """Frames written into a UMEM and handed to the kernel through an
    AF_XDP TX ring: in copy mode the kernel builds an skb of each and gives
    it to the driver directly (__dev_direct_xmit)."""
    import ctypes
    import mmap
    pkts = ethernet_frames(iface, mac, spec, min(n, RING))
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        s = socket.socket(AF_XDP, socket.SOCK_RAW, 0)
        umem = mmap.mmap(-1, RING * CHUNK)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(umem))
        s.setsockopt(SOL_XDP, XDP_UMEM_REG, struct.pack("=QQIIII", addr, RING * CHUNK, CHUNK, 0, 0, 0))
        for opt in (XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING, XDP_TX_RING):
            s.setsockopt(SOL_XDP, opt, struct.pack("=I", RING))
        offsets = struct.unpack("=16Q", s.getsockopt(SOL_XDP, XDP_MMAP_OFFSETS, 128))
        producer, _, desc, _ = offsets[4:8]  # the TX ring's
        ring = mmap.mmap(s.fileno(), desc + RING * 16, mmap.MAP_SHARED,
                         mmap.PROT_READ | mmap.PROT_WRITE, offset=XDP_PGOFF_TX_RING)
        sxdp = struct.pack("=HHIII", AF_XDP, XDP_COPY, socket.if_nametoindex(iface), 0, 0)
        if libc.bind(s.fileno(), sxdp, len(sxdp)) != 0:
            raise OSError(ctypes.get_errno(), "bind")
    except OSError as e:
        return err_name(e)
    for i, pkt in enumerate(pkts):
        umem[i * CHUNK:i * CHUNK + len(pkt)] = pkt
        struct.pack_into("=QII", ring, desc + i * 16, i * CHUNK, len(pkt), 0)
    struct.pack_into("=I", ring, producer, len(pkts))
    consumer = offsets[5]
    deadline = time.monotonic() + TIMEOUT
    while struct.unpack_from("=I", ring, consumer)[0] < len(pkts) and time.monotonic() < deadline:
        try:
            s.send(b"", socket.MSG_DONTWAIT)
        except OSError:
            time.sleep(0.01)
    return str(len(pkts) - struct.unpack_from("=I", ring, consumer)[0])


def sniff(iface, ethertype):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))  # ETH_P_ALL
    s.bind((iface, 0))
    s.settimeout(10 * TIMEOUT)
    print("ready", flush=True)
    count = 0
    try:
        while True:
            frame = s.recv(2048)
            kind = int.from_bytes(frame[12:14], "big")
            if kind == ETH_P_ARP and frame[14:14 + len(MARKER)] == MARKER:
                return str(count)
            count += kind == ethertype
    except OSError as e:
        return err_name(e)


def main():
    if sys.argv[1] == "frames":
        print(frames(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]),
                     sys.argv[6:] == ["bypass"]))
        return
    if sys.argv[1] == "xdp":
        print(xdp(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
        return
    if sys.argv[1] == "sniff":
        print(sniff(sys.argv[2], int(sys.argv[3], 16)))
        return
    if sys.argv[1] == "icmperr":
        print(icmperr(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5],
                      int(sys.argv[6])))
        return
    if sys.argv[1] == "rawudp":
        print(rawudp(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
        return
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
