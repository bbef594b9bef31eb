#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Inputs of the datapath benchmark (run-datapath.sh), made on the host:
for each FAMILY:N, an sbxfw policy (FAMILY-N.json) and the equivalent
nftables ruleset (FAMILY-N.nft) allowing TCP and UDP port 9 to the same N
CIDRs, default deny.

  datapath-gen.py OUTDIR v4:10 v4:1000 v6:10 ...

The CIDRs are disjoint and never adjacent: IPv4 /24s (every fourth a /28)
at even /24 indices spread over the address space by a multiplicative
permutation, IPv6 /48s (every fourth a /56) in 2a00::/16 likewise. The
benchmark's allowed destinations, 198.51.100.0/24 and 2001:db8:1::/48,
come last in the list (their place in the address order is anywhere);
its denied ones, 198.51.101.10 and 2001:db8:2::10, are in none.
Also domain.json, the policy of the domain-rule configuration: TCP and
UDP port 9 to allowed.bench, which the benchmark's resolver answers with
the allowed destinations, and DNS to that resolver.
Unchanged files are not rewritten.
"""
import ipaddress
import json
import os
import sys

ALLOWED = {"v4": "198.51.100.0/24", "v6": "2001:db8:1::/48"}

# sbxfw: one rule (its CIDR limit is per policy, so one rule of N rather
# than one per protocol); inside_devices names the forward topology's tap,
# so that replies travelling to the client are inbound (not judged: no
# ingress rule), as conntrack's "established" lets them through in nft.
NFT_CHAINS = """\
	chain output {
		type filter hook output priority filter; policy drop;
		ct state established,related accept
		oif "lo" accept
		ip daddr @allow4 meta l4proto { tcp, udp } th dport 9 accept
		ip6 daddr @allow6 meta l4proto { tcp, udp } th dport 9 accept
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, mld2-listener-report } accept
		meta l4proto tcp reject with tcp reset
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip daddr @allow4 meta l4proto { tcp, udp } th dport 9 accept
		ip6 daddr @allow6 meta l4proto { tcp, udp } th dport 9 accept
		meta l4proto tcp reject with tcp reset
		reject with icmpx admin-prohibited
	}
"""


def cidrs_v4(n):
    allowed = int(ipaddress.ip_network(ALLOWED["v4"]).network_address) >> 8
    out = []
    i = 0
    while len(out) < n - 1:
        slot = ((i * 2654435761) % (1 << 23)) * 2
        i += 1
        first = slot >> 16
        if first in (0, 127) or first >= 224 or slot == allowed:
            continue
        plen = 28 if len(out) % 4 == 3 else 24
        out.append(f"{ipaddress.IPv4Address(slot << 8)}/{plen}")
    return out + [ALLOWED["v4"]]


def cidrs_v6(n):
    out = []
    i = 0
    while len(out) < n - 1:
        slot = ((i * 2654435761) % (1 << 31)) * 2
        i += 1
        plen = 56 if len(out) % 4 == 3 else 48
        addr = ((0x2A00 << 48) | (slot << 16)) << 64
        out.append(f"{ipaddress.IPv6Address(addr).compressed}/{plen}")
    return out + [ALLOWED["v6"]]


# The resolver is the forward topology's peer, also the router's next hop.
DOMAIN_POLICY = {
    "mode": "custom",
    "default": "deny",
    "inside_devices": ["tap0"],
    "dns": {"min_ttl": 86400},
    "rules": [
        {"action": "allow", "protocols": ["tcp", "udp"], "ports": ["53"],
         "destinations": ["10.10.0.1", "fd10::1"]},
        {"action": "allow", "protocols": ["tcp", "udp"], "ports": ["9"],
         "destinations": ["allowed.bench"]},
    ],
}


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    write_if_changed(f"{outdir}/domain.json", json.dumps(DOMAIN_POLICY) + "\n")
    for spec in sys.argv[2:]:
        fam, n = spec.split(":")
        n = int(n)
        cidrs = cidrs_v4(n) if fam == "v4" else cidrs_v6(n)
        assert len(set(cidrs)) == n
        policy = {
            "mode": "custom",
            "default": "deny",
            "inside_devices": ["tap0"],
            "rules": [{"action": "allow", "protocols": ["tcp", "udp"],
                       "ports": ["9"], "destinations": cidrs}],
        }
        write_if_changed(f"{outdir}/{fam}-{n}.json", json.dumps(policy) + "\n")
        elems = ",\n\t\t\t".join(cidrs)
        sets = {"v4": "", "v6": ""}
        sets[fam] = f"\n\t\telements = {{\n\t\t\t{elems}\n\t\t}}"
        nft = ("add table inet sbxbench\n"
               "delete table inet sbxbench\n"
               "table inet sbxbench {\n"
               f"\tset allow4 {{\n\t\ttype ipv4_addr; flags interval;{sets['v4']}\n\t}}\n"
               f"\tset allow6 {{\n\t\ttype ipv6_addr; flags interval;{sets['v6']}\n\t}}\n"
               + NFT_CHAINS + "}\n")
        write_if_changed(f"{outdir}/{fam}-{n}.nft", nft)


if __name__ == "__main__":
    main()
