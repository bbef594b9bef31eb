#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends randomly mutated sbxfw generic netlink requests, from a fixed seed,
for a bounded number of iterations (nlfuzz.sh runs it).

  nlfuzz.py --seed N --iters N --safe NETNS... [--readable NETNS...]

Every command of the family is sent (version, policy set in one part and in
several, get, delete, list, learned get and flush, and numbers that are no
command), valid or built to be malformed, then mutated: attributes of the
wrong type or length, wrong nesting, missing, repeated hundreds of times,
huge counts and indexes, truncated messages and attributes, random bytes,
single bit flips, several messages in one send, dumps read in part, from a
pool of sockets that are closed and reopened, mid-upload too.

Requests only ever name (by pid or by fd) the namespaces given with --safe
(/run/netns names), or none at all, or, for the commands that only read
(version, get, list, learned get), those given with --readable: a message
whose top-level SBXFW_A_NETNS_PID or SBXFW_A_NETNS_FD, read the way the
kernel reads it, names any other namespace (the test network's), or a
readable one in a command that changes something, is not sent; the fuzzer
counts it as skipped. So the sandbox whose policy must survive has its
policy and learned entries dumped by mutated requests, and nothing else. Which messages
are made does not depend on the kernel's answers, so a seed always makes the
same sequence.

Prints one line of JSON with the counts: iterations, messages sent,
replies by errno name, skipped messages, sockets reopened, dumps cut short.
"""
import argparse
import copy
import errno
import json
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import Genl  # noqa: E402

NETLINK_GENERIC = 16
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3FFF
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
NETLINK_GET_STRICT_CHK = 12

# uapi/linux/sbxfw.h
CMD_VERSION, CMD_SET, CMD_GET, CMD_DEL, CMD_LIST, CMD_LEARNED_GET, CMD_LEARNED_FLUSH = range(1, 8)
A_VERSION, A_FEATURES, A_STATS, A_PAD, A_NETNS_FD, A_NETNS_PID, A_NETNS_ID = range(1, 8)
A_GENERATION, A_SET_FLAGS, A_POLICY, A_LEARNED = range(8, 12)
A_MAX = 11
SET_F_MORE, SET_F_CONTINUE = 1, 2
P_MODE, P_DEFAULT, P_RULE, P_N_RULES, P_N_CIDRS4, P_N_CIDRS6, P_N_DOMAINS = range(1, 8)
P_N_FLOWS, P_FLOWS_REFUSED, P_PAD, P_INSIDE_DEV, P_N_LEARNED, P_LEARNED_EVICTED, P_DNS = range(8, 15)
P_MAX = 14
R_INDEX, R_ACTION, R_DIRECTION, R_PROTOCOLS, R_PORTS, R_PRESETS = range(1, 7)
R_CIDRS4, R_CIDRS6, R_DOMAIN = range(7, 10)
R_MAX = 9
DNS_MIN_TTL, DNS_MAX_TTL, DNS_MAX_LEARNED, DNS_ALLOW_REBINDING = range(1, 5)
MAX_RULES = 256
READ_CMDS = (CMD_VERSION, CMD_GET, CMD_LIST, CMD_LEARNED_GET)

DOMAINS = ["api.example.com", "*.example.com", "a.b.example.org", "*.test.example",
           "x" * 63 + ".example", "*." + ".".join(["abcdefghi"] * 24) + ".com",
           "*.*.com", "localhost", "10.0.0.1", "EXAMPLE.COM", "", "a..b", "-a.com",
           "\xff.com"]
DEVICES = ["tap0", "eth0", "lo", "vm-1.2", "x" * 15, "x" * 16, "", "a/b", "a b", ".."]

# Attribute trees: a node is [type, payload] with payload bytes (a leaf) or
# a list of nodes (a nest, sent with NLA_F_NESTED unless mutated away).


def u8(v):
    return struct.pack("=B", v & 0xFF)


def u32(v):
    return struct.pack("=I", v & 0xFFFFFFFF)


def u64(v):
    return struct.pack("=Q", v & 0xFFFFFFFFFFFFFFFF)


# Longest request payload sent: beyond that a message is cut (netlink takes
# at most the socket's send buffer, 208 KiB).
PAYLOAD_MAX = 128 * 1024


def nla(atype, payload):
    """An attribute; one longer than its 16-bit length can say gets a
    length that wrapped, malformed like any other."""
    hdr = struct.pack("=HH", (4 + len(payload)) & 0xFFFF, atype & 0xFFFF)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def encode(nodes):
    out = []
    for node in nodes:
        atype, payload = node[0], node[1]
        if isinstance(payload, list):
            flag = NLA_F_NESTED if len(node) < 3 else node[2]
            out.append(nla(atype | flag, encode(payload)))
        else:
            out.append(nla(atype, payload))
    return b"".join(out)


class Fuzzer:
    def __init__(self, seed, safe, readable):
        self.rnd = random.Random(seed)
        self.family = Genl().family_id("sbxfw")
        if self.family is None:
            raise SystemExit("nlfuzz: the sbxfw family does not exist")
        self.safe_ns = set()
        self.safe_pids = []
        self.safe_fds = []
        for name in safe:
            path = f"/run/netns/{name}"
            self.safe_ns.add(os.stat(path).st_ino)
            self.safe_fds.append(os.open(path, os.O_RDONLY))
        # By fd only: how many there are must not vary, or the choices
        # made after a choice among them would.
        self.readable_ns = set()
        self.readable_fds = []
        for name in readable:
            path = f"/run/netns/{name}"
            if os.stat(path).st_ino in self.safe_ns:
                raise SystemExit(f"nlfuzz: {name} is both safe and readable")
            self.readable_ns.add(os.stat(path).st_ino)
            self.readable_fds.append(os.open(path, os.O_RDONLY))
        self.init_ns = os.stat("/proc/self/ns/net").st_ino
        self.nsfs = os.stat("/proc/self/ns/net").st_dev
        self.safe_pids = [pid for pid in self.pids() if self.pid_ns(pid) in self.safe_ns]
        self.safe_pids.sort()
        if not self.safe_pids:
            raise SystemExit("nlfuzz: no process lives in the safe namespaces")
        self.other_fd = os.open("/dev/null", os.O_RDONLY)
        # Payloads for "huge" mutations, made once: thousands of CIDRs.
        self.huge = [u32(0xFFFFFFFF), u32(MAX_RULES), u32(MAX_RULES - 1), u64(1 << 63),
                     u8(255), b"\xff" * 60000, self.cidrs4(7000), self.cidrs6(3000)]
        self.socks = [None] * 4
        self.seq = 0
        self.stats = {"iterations": 0, "messages": 0, "sends": 0, "skipped": 0,
                      "reopened": 0, "dumps_cut": 0, "uploads_abandoned": 0,
                      "replies": {}}

    @staticmethod
    def pids():
        return [int(p) for p in os.listdir("/proc") if p.isdigit()]

    @staticmethod
    def pid_ns(pid):
        try:
            return os.stat(f"/proc/{pid}/ns/net").st_ino
        except OSError:
            return None

    # --- sockets ---------------------------------------------------------

    def open_sock(self, i):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, self.rnd.random() < 0.8)
        s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, self.rnd.random() < 0.3)
        s.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, self.rnd.random() < 0.5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind((0, 0))
        s.setblocking(False)
        self.socks[i] = s
        return s

    def sock(self, i=None):
        if i is None:
            i = self.rnd.randrange(len(self.socks))
        return self.socks[i] or self.open_sock(i), i

    def reopen(self, i):
        if self.socks[i]:
            self.socks[i].close()
            self.socks[i] = None
            self.stats["reopened"] += 1

    def drain(self, s, cut=False):
        """Reads what the kernel queued; a dump goes on as it is read."""
        while True:
            try:
                data = s.recv(1 << 17)
            except BlockingIOError:
                return
            except OSError as e:  # ENOBUFS: replies were dropped
                self.count(errno.errorcode.get(e.errno, str(e.errno)) + "(recv)")
                continue
            off = 0
            finished = False
            while off + 16 <= len(data):
                length, mtype = struct.unpack_from("=IH", data, off)
                if mtype == NLMSG_ERROR and off + 20 <= len(data):
                    err = -struct.unpack_from("=i", data, off + 16)[0]
                    self.count(errno.errorcode.get(err, "OK" if not err else str(err)))
                    finished = True
                elif mtype == NLMSG_DONE:
                    self.count("DONE")
                    finished = True
                if length < 16:
                    break
                off += (length + 3) & ~3
            if cut and not finished:  # the rest of a dump stays unread
                self.stats["dumps_cut"] += 1
                return

    def count(self, what):
        self.stats["replies"][what] = self.stats["replies"].get(what, 0) + 1

    # --- what a message may name --------------------------------------------

    def ns_ok(self, ns, cmd):
        return ns in self.safe_ns or ns == self.init_ns or \
            (ns in self.readable_ns and cmd in READ_CMDS)

    def fd_ok(self, fd, cmd):
        try:
            st = os.stat(f"/proc/self/fd/{fd}")
        except OSError:
            return True  # not open: the kernel finds nothing
        # A namespace file is on nsfs, whatever path it was opened by.
        return st.st_dev != self.nsfs or self.ns_ok(st.st_ino, cmd)

    def pid_ok(self, pid, cmd):
        ns = self.pid_ns(pid)
        return ns is None or self.ns_ok(ns, cmd)

    def safe(self, buf):
        """Whether every message in @buf, parsed as the kernel parses it,
        names only safe namespaces (or none)."""
        off = 0
        while len(buf) - off >= 16:
            length, mtype = struct.unpack_from("=IH", buf, off)
            if length < 16 or length > len(buf) - off:
                break
            if mtype >= 16 and mtype != self.family:
                return False  # another family's: never sent
            if mtype == self.family:
                cmd = buf[off + 16] if length >= 17 else None
                attrs = buf[off + 20:off + length]
                while len(attrs) >= 4:
                    alen, atype = struct.unpack_from("=HH", attrs)
                    if alen < 4 or alen > len(attrs):
                        break
                    atype &= NLA_TYPE_MASK
                    if alen >= 8 and atype in (A_NETNS_PID, A_NETNS_FD):
                        value = struct.unpack_from("=I", attrs, 4)[0]
                        if atype == A_NETNS_PID and not self.pid_ok(value, cmd):
                            return False
                        if atype == A_NETNS_FD and not self.fd_ok(value, cmd):
                            return False
                    attrs = attrs[(alen + 3) & ~3:]
            off += (length + 3) & ~3
        return True

    # --- valid-looking requests -----------------------------------------------

    def target(self, cmd=None):
        r = self.rnd
        k = r.random()
        if k < 0.45:
            return [A_NETNS_PID, u32(r.choice(self.safe_pids))]
        if k < 0.8:
            return [A_NETNS_FD, u32(r.choice(self.safe_fds))]
        if k < 0.88 and self.readable_fds and cmd in READ_CMDS:
            return [A_NETNS_FD, u32(r.choice(self.readable_fds))]
        return r.choice([[A_NETNS_PID, u32(1)], [A_NETNS_PID, u32(0)],
                         [A_NETNS_PID, u32(0xFFFFFFFF)], [A_NETNS_PID, u32(r.randrange(1 << 32))],
                         [A_NETNS_FD, u32(self.other_fd)], [A_NETNS_FD, u32(1000)],
                         [A_NETNS_FD, u32(0xFFFFFFFF)]])

    def ports(self):
        r = self.rnd
        out = b""
        for _ in range(r.choice([1, 1, 2, 5, 64, 65])):
            a, b = sorted((r.randrange(1, 65536), r.randrange(1, 65536)))
            if r.random() < 0.05:
                a, b = b, a
            out += struct.pack("=HH", a, b)
        return out

    def cidrs4(self, n):
        r = self.rnd
        out = b""
        for _ in range(n):
            prefix = r.getrandbits(8)
            if prefix < 240:  # mostly a valid prefix
                prefix %= 33
            addr = r.getrandbits(32)
            if r.getrandbits(5):  # host bits mostly clear
                addr &= (0xFFFFFFFF << (32 - min(prefix, 32))) & 0xFFFFFFFF
            out += struct.pack("!IB3s", addr, prefix, b"\0\0\0" if r.getrandbits(5) else b"\0\1\0")
        return out

    def cidrs6(self, n):
        r = self.rnd
        out = b""
        for _ in range(n):
            prefix = r.getrandbits(8)
            if prefix < 240:
                prefix %= 129
            addr = r.getrandbits(128)
            if r.getrandbits(5):
                addr &= ((1 << 128) - 1) ^ ((1 << (128 - min(prefix, 128))) - 1)
            out += addr.to_bytes(16, "big") + bytes([prefix]) + b"\0\0\0"
        return out

    def domain(self):
        r = self.rnd
        if r.random() < 0.8:
            return r.choice(DOMAINS[:6]).encode() + b"\0"
        return r.choice(DOMAINS).encode("utf-8", "surrogateescape") + b"\0"

    def rule(self, index=None, data_only=False):
        r = self.rnd
        attrs = []
        if index is not None:
            attrs.append([R_INDEX, u32(index)])
        if not data_only:
            attrs.append([R_ACTION, u8(r.randrange(2))])
            if r.random() < 0.5:
                attrs.append([R_DIRECTION, u8(r.randrange(2))])
            if r.random() < 0.5:
                attrs.append([R_PROTOCOLS, u32(r.choice([1, 2, 3, 4, 8, 15]))])
            if r.random() < 0.4:
                attrs.append([R_PORTS, self.ports()])
            if r.random() < 0.4:
                attrs.append([R_PRESETS, u32(r.randrange(1, 128))])
        if r.random() < 0.6:
            attrs.append([R_CIDRS4, self.cidrs4(r.choice([1, 2, 8, 100]))])
        if r.random() < 0.4:
            attrs.append([R_CIDRS6, self.cidrs6(r.choice([1, 3, 50]))])
        for _ in range(r.choice([0, 0, 1, 3])):
            attrs.append([R_DOMAIN, self.domain()])
        return [P_RULE, attrs]

    def dns(self):
        r = self.rnd
        attrs = []
        if r.random() < 0.5:
            attrs.append([DNS_MIN_TTL, u32(r.choice([1, 30, 60, 86400, 0, 86401]))])
        if r.random() < 0.5:
            attrs.append([DNS_MAX_TTL, u32(r.choice([1, 60, 3600, 604800, 604801]))])
        if r.random() < 0.5:
            attrs.append([DNS_MAX_LEARNED, u32(r.choice([1, 10, 65536, 65537]))])
        if r.random() < 0.3:
            attrs.append([DNS_ALLOW_REBINDING, b""])
        return [P_DNS, attrs]

    def policy(self, nrules=None):
        r = self.rnd
        mode = r.choice([0, 1, 2, 2, 2])
        attrs = [[P_MODE, u8(mode)]]
        if r.random() < 0.8:
            attrs.append([P_DEFAULT, u8(r.randrange(2))])
        if nrules is None:
            nrules = 0 if mode != 2 else r.choice([0, 1, 2, 3, 8])
        for i in range(nrules):
            attrs.append(self.rule(i if r.random() < 0.5 else None))
        for _ in range(r.choice([0, 0, 0, 1, 2, 9])):
            attrs.append([P_INSIDE_DEV, r.choice(DEVICES).encode() + b"\0"])
        if r.random() < 0.3:
            attrs.append(self.dns())
        return [A_POLICY, attrs]

    def request(self):
        """One command as a list of (flags, attribute tree); several for
        an upload in parts."""
        r = self.rnd
        cmd = r.choice([CMD_VERSION, CMD_SET, CMD_SET, CMD_SET, CMD_SET, CMD_GET,
                        CMD_GET, CMD_DEL, CMD_LIST, CMD_LEARNED_GET, CMD_LEARNED_FLUSH])
        if r.random() < 0.04:  # no command of the family
            cmd = r.choice([0, 8, 255])
        dump = cmd in (CMD_GET, CMD_LIST, CMD_LEARNED_GET)
        if r.random() < 0.1:
            dump = not dump
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        attrs = [] if cmd in (CMD_VERSION, CMD_LIST) and r.random() < 0.8 else [self.target(cmd)]
        if cmd == CMD_SET and r.random() < 0.35:
            return cmd, [(flags, part) for part in self.upload(attrs)]
        if cmd in (CMD_SET, CMD_DEL) and r.random() < 0.3:
            attrs.append([A_GENERATION, u64(r.choice([0, 1, 2, r.randrange(1 << 64)]))])
        if cmd == CMD_SET:
            if r.random() < 0.2:
                attrs.append([A_SET_FLAGS, u32(r.randrange(8))])
            attrs.append(self.policy())
        return cmd, [(flags, attrs)]

    def upload(self, target):
        """The parts of a policy sent in several messages."""
        r = self.rnd
        nrules = r.choice([1, 2, 5, 40])
        def own(attrs):  # a part's own copy of the target
            return [list(node) for node in attrs]
        parts = [own(target) + [[A_SET_FLAGS, u32(SET_F_MORE)], self.policy(nrules)]]
        parts[0][-1][1][0] = [P_MODE, u8(2)]
        for _ in range(r.choice([1, 2, 4])):
            rules = [self.rule(r.randrange(nrules + 1), data_only=True)
                     for _ in range(r.choice([1, 2, 6]))]
            rules.sort(key=lambda node: struct.unpack("=I", node[1][0][1])[0])
            parts.append(own(target) + [[A_SET_FLAGS, u32(SET_F_MORE | SET_F_CONTINUE)],
                                   [A_POLICY, rules]])
        parts[-1][-2] = [A_SET_FLAGS, u32(SET_F_CONTINUE)]
        return parts

    # --- mutations ---------------------------------------------------------

    def nodes(self, tree, out=None):
        """Every node of @tree with the list that holds it."""
        out = [] if out is None else out
        for node in tree:
            out.append((tree, node))
            if isinstance(node[1], list):
                self.nodes(node[1], out)
        return out

    def mutate_tree(self, tree):
        r = self.rnd
        nodes = self.nodes(tree)
        if not nodes:
            tree.append([r.randrange(0, A_MAX + 3), r.randbytes(r.randrange(0, 12))])
            return
        holder, node = r.choice(nodes)
        k = r.randrange(12)
        if k == 0:  # wrong attribute type
            node[0] = r.choice([0, r.randrange(1, 16), r.randrange(16, NLA_TYPE_MASK + 1)])
        elif k == 1:  # wrong length: a leaf cut or grown
            if isinstance(node[1], bytes):
                n = len(node[1])
                node[1] = node[1][:r.randrange(n)] if n and r.random() < 0.5 \
                    else node[1] + r.randbytes(r.choice([1, 3, 4, 100]))
            else:
                node[1] = encode(node[1])[:r.randrange(1, 64)]
        elif k == 2:  # wrong nesting: a nest made flat, or a leaf a nest
            if isinstance(node[1], list):
                node[2:] = [0]
            else:
                node[1] = [[r.randrange(0, 16), node[1]]]
        elif k == 3:  # missing
            holder.remove(node)
        elif k == 4:  # repeated, many times (up to what can be sent)
            times = r.choice([1, 2, 10, 300])
            times = min(times, max(1, PAYLOAD_MAX // len(encode([node]))))
            holder.extend([node] * times)  # the same node: cheap, and cycle-free
        elif k == 5:  # random payload
            node[1] = r.randbytes(r.choice([0, 1, 2, 4, 8, 20, 300]))
        elif k == 6:  # huge counts and values
            node[1] = r.choice(self.huge)
        elif k == 7:  # deep nesting
            for _ in range(r.choice([2, 10, 40])):
                node[1] = [[r.randrange(0, 16), node[1]]]
        elif k == 8:  # a string without its NUL, or with bytes after it
            if isinstance(node[1], bytes):
                node[1] = node[1].rstrip(b"\0") if r.random() < 0.5 else node[1] + b"x\0"
        elif k == 9:  # a reply-only attribute
            holder.append([r.choice([A_VERSION, A_FEATURES, A_STATS, A_PAD, A_NETNS_ID,
                                     A_LEARNED, P_N_RULES, P_N_FLOWS, P_PAD]), u32(1)])
        elif k == 10:  # an attribute of another level here
            other = copy.deepcopy(r.choice(nodes)[1])
            holder.insert(r.randrange(len(holder) + 1), other)
        else:  # order shuffled
            r.shuffle(holder)

    def header(self, cmd, flags, payload):
        payload = payload[:PAYLOAD_MAX]
        self.seq += 1
        return struct.pack("=IHHIIBBH", 20 + len(payload), self.family, flags,
                           self.seq, 0, cmd, 1, 0) + payload

    def mutate_bytes(self, msg):
        r = self.rnd
        msg = bytearray(msg)
        k = r.randrange(8)
        if k == 0:  # bit flips, headers included (the type stays the family's)
            for _ in range(r.choice([1, 1, 2, 8])):
                i = r.randrange(len(msg))
                if i not in (4, 5):
                    msg[i] ^= 1 << r.randrange(8)
        elif k == 1:  # truncated, with nlmsg_len left or fixed
            msg = msg[:r.randrange(16, len(msg) + 1)]
            if r.random() < 0.5:
                struct.pack_into("=I", msg, 0, len(msg))
        elif k == 2:  # nlmsg_len wrong
            struct.pack_into("=I", msg, 0, r.choice([0, 15, 16, 19, 20, len(msg) + 4,
                                                     0xFFFFFFFF, r.randrange(len(msg) + 1)]))
        elif k == 3 and len(msg) >= 24:  # an attribute's length wrong
            struct.pack_into("=H", msg, 20, r.choice([0, 1, 3, 4, 5, 0xFFFF,
                                                      len(msg) - 20 + 4]))
        elif k == 4:  # garbage after
            msg += r.randbytes(r.choice([1, 4, 16, 200]))
        elif k == 5:  # genl header: command, version, reserved
            msg[16 + r.randrange(4)] = r.randrange(256)
        elif k == 6:  # flags: no ACK, no REQUEST, dump, echo, others
            struct.pack_into("=H", msg, 6, r.randrange(1 << 16))
        else:  # random bytes after the headers
            msg[20:] = r.randbytes(r.choice([0, 4, 8, 64, 512]))
        return bytes(msg)

    # --- one iteration -------------------------------------------------------

    def iteration(self):
        r = self.rnd
        self.stats["iterations"] += 1
        cmd, parts = self.request()
        mutate = r.random() < 0.75
        # The part that is mutated, if any.
        bad = r.randrange(len(parts)) if mutate else -1
        si = r.randrange(len(self.socks))
        for n, (flags, tree) in enumerate(parts):
            if n == bad and r.random() < 0.6:
                for _ in range(r.choice([1, 1, 2, 3])):
                    self.mutate_tree(tree)
            msg = self.header(cmd, flags, encode(tree))
            if n == bad and r.random() < 0.5:
                msg = self.mutate_bytes(msg)
            if r.random() < 0.05:  # several messages in one send
                msg += self.header(r.choice([CMD_VERSION, CMD_LIST, CMD_SET]),
                                   NLM_F_REQUEST | NLM_F_ACK,
                                   encode([self.target(), self.policy()]))
            if len(parts) > 1 and r.random() < 0.1:  # another socket's part
                si = r.randrange(len(self.socks))
            s, si = self.sock(si)
            if self.safe(msg):
                try:
                    s.send(msg)
                    self.stats["sends"] += 1
                except OSError as e:
                    self.count(errno.errorcode.get(e.errno, str(e.errno)) + "(send)")
                self.stats["messages"] += 1
            else:
                self.stats["skipped"] += 1
            self.drain(s, cut=r.random() < 0.2)
            if len(parts) > 1 and n < len(parts) - 1 and r.random() < 0.1:
                self.reopen(si)  # closed mid-upload
                self.stats["uploads_abandoned"] += 1
                break
        if r.random() < 0.02:
            self.reopen(r.randrange(len(self.socks)))

    def close(self):
        for i in range(len(self.socks)):
            self.reopen(i)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iters", type=int, default=1000)
    ap.add_argument("--safe", nargs="+", required=True,
                    help="/run/netns names that requests may name")
    ap.add_argument("--readable", nargs="*", default=[],
                    help="/run/netns names that only reading requests may name")
    args = ap.parse_args()
    f = Fuzzer(args.seed, args.safe, args.readable)
    for _ in range(args.iters):
        f.iteration()
    f.close()
    print(json.dumps(f.stats, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
