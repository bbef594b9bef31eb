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

DNS (dns, dnsmany, dnsforge and dnsbad bind to $PROBE_SRC/$PROBE_SPORT too):

  probe.py dns SERVER NAME TYPE [tcp]
                                    send SERVER:53 one standard query (random
                                    id, RD, one question; TYPE A, AAAA or a
                                    number) over UDP, or over TCP (length
                                    prefix and query in one send); print
                                    "ok" and every A/AAAA address of the
                                    answer section ("ok 192.0.2.1 ..."),
                                    "refused" (RCODE 5), "nxdomain" (3),
                                    "rcodeN", "closed" (TCP: EOF before an
                                    answer), or the errno name / "timeout"
  probe.py dnsmany SERVER SUFFIX FIRST N
                                    query (UDP, type A) nFIRST.SUFFIX ..
                                    n(FIRST+N-1).SUFFIX one after the other,
                                    each from a new socket; print how many
                                    did not end in an "ok" answer (it stops
                                    at 10)
  probe.py dnsforge SERVER NAME ADDR
                                    query SERVER:53 for NAME (type A, or
                                    AAAA when ADDR is IPv6), then at once
                                    forge its answer through a raw socket:
                                    from SERVER:53 to the query's own source
                                    address and port, same id and question,
                                    one record NAME -> ADDR; print "sent"
                                    and, for each answer the socket got, its
                                    addresses joined by "," (or its word);
                                    the errno name if a send failed
  probe.py dnsanswer SRC DST DPORT NAME ADDR
                                    send DST:DPORT an unsolicited answer
                                    (NAME -> ADDR) from SRC:53 through a
                                    raw socket; print how many sends failed
  probe.py dnsspoof SRC SPORT SERVER NAME
                                    send SERVER:53 a query for NAME (type A)
                                    from SRC:SPORT, an address the sender
                                    need not own, through a raw socket;
                                    print "ok" or the send's errno name
  probe.py dnsbad SERVER KIND       send SERVER:53 a malformed query over
                                    UDP: KIND garbage (not DNS), twoq (two
                                    questions), answer (a query carrying an
                                    answer record), noq (no question);
                                    print the send's errno name, else the
                                    answer's word or "timeout"
"""
import errno
import os
import random
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


def ip_datagram(src, dst, port, payload, sport=40000):
    """An IPv4 or IPv6 packet carrying a UDP datagram, checksums filled."""
    v6 = ":" in dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    saddr, daddr = socket.inet_pton(fam, src), socket.inet_pton(fam, dst)
    udp = bytearray(struct.pack("!HHHH", sport, port, 8 + len(payload), 0) + payload)
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


# DNS: just enough of RFC 1035 to ask one question and read the addresses
# in the answer section.
QTYPES = {"A": 1, "AAAA": 28, "CNAME": 5, "MX": 15, "TXT": 16, "ANY": 255}


def dns_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_question(name, qtype):
    return dns_name(name) + struct.pack("!HH", qtype, 1)


def dns_query(qid, name, qtype):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_question(name, qtype)


def dns_record(addr, ttl=300):
    """An A or AAAA record owned by the question's name (pointer to 12)."""
    fam = family(addr)
    rdata = socket.inet_pton(fam, addr)
    rtype = QTYPES["AAAA"] if fam == socket.AF_INET6 else QTYPES["A"]
    return b"\xc0\x0c" + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def dns_response(qid, name, qtype, addrs, ttl=300):
    return (struct.pack("!HHHHHH", qid, 0x8180, 1, len(addrs), 0, 0)
            + dns_question(name, qtype) + b"".join(dns_record(a, ttl) for a in addrs))


def skip_name(msg, off):
    while True:
        n = msg[off]
        if n == 0:
            return off + 1
        if n & 0xc0 == 0xc0:
            return off + 2
        off += 1 + n


def dns_word(msg):
    """"ok" and the answer's A/AAAA addresses, or the RCODE's word."""
    if len(msg) < 12:
        return "garbled"
    rcode = msg[3] & 15
    if rcode == 5:
        return "refused"
    if rcode == 3:
        return "nxdomain"
    if rcode:
        return f"rcode{rcode}"
    try:
        qdcount, ancount = struct.unpack_from("!HH", msg, 4)
        off = 12
        for _ in range(qdcount):
            off = skip_name(msg, off) + 4
        addrs = []
        for _ in range(ancount):
            off = skip_name(msg, off)
            rtype, _, _, rdlen = struct.unpack_from("!HHIH", msg, off)
            off += 10
            rdata = msg[off:off + rdlen]
            if rtype == 1 and rdlen == 4:
                addrs.append(socket.inet_ntop(socket.AF_INET, rdata))
            elif rtype == 28 and rdlen == 16:
                addrs.append(socket.inet_ntop(socket.AF_INET6, rdata))
            off += rdlen
    except (IndexError, struct.error):
        return "garbled"
    return " ".join(["ok"] + addrs)


def qtype_of(word):
    return QTYPES[word.upper()] if word.upper() in QTYPES else int(word)


def recv_answer(s, qid, deadline):
    """The next datagram on S answering QID; datagrams with another id are
    ignored (as a resolver does). Raises socket.timeout at DEADLINE."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout()
        s.settimeout(left)
        msg = s.recv(65535)
        if len(msg) >= 12 and struct.unpack_from("!H", msg)[0] == qid:
            return msg


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def dns(server, name, qtype, tcp=False):
    qid = random.randrange(65536)
    query = dns_query(qid, name, qtype)
    s = bound(socket.socket(family(server), socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM))
    s.settimeout(TIMEOUT)
    try:
        s.connect((server, 53))
        if not tcp:
            s.send(query)
            return dns_word(recv_answer(s, qid, time.monotonic() + TIMEOUT))
        s.sendall(struct.pack("!H", len(query)) + query)
        head = recv_exact(s, 2)
        msg = head and recv_exact(s, struct.unpack("!H", head)[0])
        if not msg:
            return "closed"
        return dns_word(msg) if struct.unpack_from("!H", msg)[0] == qid else "garbled"
    except OSError as e:
        return err_name(e)
    finally:
        s.close()


def dnsmany(server, suffix, first, n):
    """Gives up after 10 failures: each may have waited TIMEOUT."""
    failed = 0
    for i in range(first, first + n):
        if not dns(server, f"n{i}.{suffix}", QTYPES["A"]).startswith("ok"):
            failed += 1
            if failed == 10:
                break
    return str(failed)


def raw_socket(dst):
    s = socket.socket(family(dst), socket.SOCK_RAW, socket.IPPROTO_RAW)
    if ":" in dst:
        s.setsockopt(socket.IPPROTO_IPV6, 36, 1)  # IPV6_HDRINCL
    return s


def dnsforge(server, name, addr):
    """A real query, then a forged answer to it from inside: the same
    addresses, ports, id and question, through a raw socket."""
    qtype = QTYPES["AAAA"] if ":" in addr else QTYPES["A"]
    qid = random.randrange(65536)
    s = bound(socket.socket(family(server), socket.SOCK_DGRAM))
    try:
        s.connect((server, 53))
        own, port = s.getsockname()[:2]
        s.send(dns_query(qid, name, qtype))
        forged = dns_response(qid, name, qtype, [addr])
        raw_socket(server).sendto(ip_datagram(server, own, port, forged, sport=53), (own, 0))
    except OSError as e:
        return err_name(e)
    words = ["sent"]
    deadline = time.monotonic() + TIMEOUT
    try:
        while len(words) < 3:
            words.append(dns_word(recv_answer(s, qid, deadline)).replace("ok ", "").replace(" ", ","))
            deadline = min(deadline, time.monotonic() + 1)
    except OSError:
        pass
    return " ".join(words)


def dnsspoof(src, sport, server, name):
    """A query for NAME to SERVER from SRC:SPORT, an address the sender
    need not own, through a raw socket: "ok" or the send's errno."""
    msg = dns_query(random.randrange(65536), name, QTYPES["A"])
    try:
        raw_socket(server).sendto(ip_datagram(src, server, 53, msg, sport=sport), (server, 0))
    except OSError as e:
        return err_name(e)
    return "ok"


def dnsanswer(src, dst, dport, name, addr):
    qtype = QTYPES["AAAA"] if ":" in addr else QTYPES["A"]
    msg = dns_response(random.randrange(65536), name, qtype, [addr])
    return send_all(lambda p: raw_socket(dst).sendto(p, (dst, 0)),
                    [ip_datagram(src, dst, dport, msg, sport=53)])


def dnsbad(server, kind):
    qid = random.randrange(65536)
    question = dns_question("www.example.test", QTYPES["A"])
    if kind == "garbage":
        msg = b"\x12\x34this is not a DNS query"
    elif kind == "twoq":
        msg = (struct.pack("!HHHHHH", qid, 0x0100, 2, 0, 0, 0) + question
               + dns_question("www2.example.test", QTYPES["A"]))
    elif kind == "answer":
        msg = (struct.pack("!HHHHHH", qid, 0x0100, 1, 1, 0, 0) + question
               + dns_record("192.0.2.1"))
    elif kind == "noq":
        msg = struct.pack("!HHHHHH", qid, 0x0100, 0, 0, 0, 0)
    else:
        raise SystemExit(f"unknown malformed query {kind}")
    s = bound(socket.socket(family(server), socket.SOCK_DGRAM))
    try:
        s.connect((server, 53))
        s.send(msg)
    except OSError as e:
        return err_name(e)
    try:
        return dns_word(recv_answer(s, struct.unpack_from("!H", msg)[0],
                                    time.monotonic() + TIMEOUT))
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
    if sys.argv[1] == "dns":
        print(dns(sys.argv[2], sys.argv[3], qtype_of(sys.argv[4]), sys.argv[5:] == ["tcp"]))
        return
    if sys.argv[1] == "dnsmany":
        print(dnsmany(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
        return
    if sys.argv[1] == "dnsforge":
        print(dnsforge(sys.argv[2], sys.argv[3], sys.argv[4]))
        return
    if sys.argv[1] == "dnsspoof":
        print(dnsspoof(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]))
        return
    if sys.argv[1] == "dnsanswer":
        print(dnsanswer(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]))
        return
    if sys.argv[1] == "dnsbad":
        print(dnsbad(sys.argv[2], sys.argv[3]))
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
