#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends one raw generic netlink request to the sbxfw family and prints the
kernel's answer as JSON: {"errno": N, "extack": "...", "attrs": {type: hex}}.

It encodes whatever it is told, valid or not, so tests can feed the module
malformed requests. Attributes are given as TYPE:KIND:VALUE with KIND one of
u8 u16 u32 u64 str (NUL-terminated) raw (hex) nest (TYPE:nest:ATTR,ATTR..;
inner attributes joined by commas, no deeper nesting).

  genl.py --cmd 1 [--version 1] [--reserved 0] [--flags 0] [ATTR...]

The answer also counts the messages ("messages") and says whether one was
flagged NLM_F_DUMP_INTR ("intr"). --pause FILE creates FILE once the first
part of the answer has been read and goes on reading when FILE is removed,
so a test can change things in the middle of a dump.

--json '[[TYPE, KIND, VALUE], ...]' gives the attributes as JSON instead,
nesting to any depth: a nest's VALUE is again such a list.
"""
import argparse
import errno
import json
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NETLINK_EXT_ACK = 11
NLM_F_DUMP_INTR = 0x10
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
SOL_NETLINK = 270


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = (4 - len(payload) % 4) % 4
    return hdr + payload + b"\0" * pad


def parse_attrs(buf):
    attrs = {}
    while len(buf) >= 4:
        length, atype = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        attrs.setdefault(atype & 0x3FFF, buf[4:length])
        buf = buf[(length + 3) & ~3:]
    return attrs


def encode_json(attrs):
    out = b""
    for atype, kind, value in attrs:
        if kind == "nest":
            out += nla(atype | 0x8000, encode_json(value))
        else:
            out += encode_attr(f"{atype}:{kind}:{value}")
    return out


def encode_attr(spec):
    atype, kind, value = spec.split(":", 2)
    atype = int(atype, 0)
    if kind == "nest":
        inner = b"".join(encode_attr(s.replace("/", ":")) for s in value.split(",") if s)
        return nla(atype | 0x8000, inner)
    if kind == "str":
        return nla(atype, value.encode() + b"\0")
    if kind == "raw":
        return nla(atype, bytes.fromhex(value))
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}[kind]
    return nla(atype, struct.pack(fmt, int(value, 0)))


def wait_removed(path, timeout=60.0):
    open(path, "w").close()
    deadline = time.monotonic() + timeout
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, reserved, payload, flags=0, pause=None):
        self.seq += 1
        genl = struct.pack("=BBH", cmd, version, reserved)
        body = genl + payload
        hdr = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.sock.send(hdr + body)
        result = {"errno": 0, "extack": None, "attrs": {}, "messages": 0, "intr": False}
        while True:
            data = self.sock.recv(65536)
            if pause:
                wait_removed(pause)
                pause = None
            off = 0
            while off + 16 <= len(data):
                length, mtype, mflags, _, _ = struct.unpack_from("=IHHII", data, off)
                msg = data[off + 16:off + length]
                off += (length + 3) & ~3
                result["messages"] += 1
                result["intr"] |= bool(mflags & NLM_F_DUMP_INTR)
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg)[0]
                    result["errno"] = -err
                    if mflags & NLM_F_ACK_TLVS:
                        # the echoed request header (capped) precedes the TLVs
                        orig_len = struct.unpack_from("=I", msg, 4)[0]
                        skip = 4 + (16 if err == 0 or orig_len < 16 else orig_len)
                        tlvs = parse_attrs(msg[(skip + 3) & ~3:])
                        if NLMSGERR_ATTR_MSG in tlvs:
                            result["extack"] = tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
                    return result
                if mtype == NLMSG_DONE:
                    return result
                result["attrs"].update({k: v.hex() for k, v in parse_attrs(msg[4:]).items()})

    def family_id(self, name):
        res = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0,
                           nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if res["errno"]:
            return None
        return struct.unpack("=H", bytes.fromhex(res["attrs"][CTRL_ATTR_FAMILY_ID]))[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="sbxfw")
    ap.add_argument("--cmd", type=lambda v: int(v, 0), required=True)
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--reserved", type=int, default=0)
    ap.add_argument("--flags", type=lambda v: int(v, 0), default=0)
    ap.add_argument("--json", help="attributes as a JSON list")
    ap.add_argument("--pause", help="a file to wait on after the first read")
    ap.add_argument("attrs", nargs="*")
    args = ap.parse_args()

    g = Genl()
    fam = g.family_id(args.family)
    if fam is None:
        print(json.dumps({"errno": errno.ENOENT, "extack": "no such family"}))
        return
    payload = b"".join(encode_attr(a) for a in args.attrs)
    if args.json:
        payload += encode_json(json.loads(args.json))
    res = g.request(fam, args.cmd, args.version, args.reserved, payload, args.flags,
                    args.pause)
    res["errname"] = errno.errorcode.get(res["errno"], "OK" if not res["errno"] else "?")
    print(json.dumps(res))


if __name__ == "__main__":
    sys.exit(main())
