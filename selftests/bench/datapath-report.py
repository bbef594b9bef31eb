#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the datapath benchmark (run-datapath.sh), from what
guest-datapath.sh wrote in the VM's output directory:

  datapath-report.py VMOUT RESULTS_DIR KVER SECONDS

writes RESULTS_DIR/datapath.md (also printed), datapath.csv (every
measurement, per packet), datapath-summary.csv (the medians),
datapath-load.csv (load and swap times, kernel memory) and datapath.dat
(added cost against N, for datapath.gp).
"""
import csv
import datetime
import math
import os
import statistics
import sys

CONFIGS = {"a": "sbxfw", "b": "nftables", "c": "none", "d": "sbxfw-domain"}
PATHS = ["local", "forward"]
KINDS = ["udp", "tcp"]
FAMILIES = ["v4", "v6"]


def fmt(x, digits=0):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def traffic(kind):
    return f"{kind} (per {'datagram' if kind == 'udp' else 'connection'})"


def busy(r):
    """Guest ns the CPU was busy during a load (elapsed minus idle)."""
    idle = int(r.get("idle_ns") or -1)
    return int(r["guest_ns"]) - max(idle, 0)


def main():
    vmout, out, kver, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(f"{vmout}/datapath-raw.csv") as f:
        raw = list(csv.DictReader(f))
    loads = []
    if os.path.exists(f"{vmout}/datapath-load.csv"):
        with open(f"{vmout}/datapath-load.csv") as f:
            loads = list(csv.DictReader(f))
    icount = []
    if os.path.exists(f"{vmout}/datapath-icount.csv"):
        with open(f"{vmout}/datapath-icount.csv") as f:
            icount = list(csv.DictReader(f))

    # Every measurement, per packet (datagram or connection).
    per = {}  # (path, family, n, kind) -> {round: {config: ns per packet}}
    max_idle = 0.0
    with open(f"{out}/datapath.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "family", "n", "kind", "round", "config", "count",
                    "guest_ns", "idle_ns", "guest_ns_per_packet"])
        for r in raw:
            if not r["guest_ns"]:
                continue
            pp = int(r["guest_ns"]) / int(r["count"])
            idle = int(r.get("idle_ns") or -1)
            if idle >= 0:
                max_idle = max(max_idle, idle / int(r["guest_ns"]))
            w.writerow([r["path"], r["family"], r["n"], r["kind"], r["round"],
                        CONFIGS[r["config"]], r["count"], r["guest_ns"],
                        r.get("idle_ns", ""), f"{pp:.1f}"])
            key = (r["path"], r["family"], int(r["n"]), r["kind"])
            per.setdefault(key, {}).setdefault(int(r["round"]), {})[r["config"]] = pp

    def order(key):
        path, fam, n, kind = key
        return (PATHS.index(path), FAMILIES.index(fam), KINDS.index(kind), n)

    rows = []
    for key in sorted(per, key=order):
        rounds = per[key]
        med = {}
        for c in CONFIGS:
            vals = [r[c] for r in rounds.values() if c in r]
            med[c] = statistics.median(vals) if vals else None
        added = {}
        spread = {}
        for c in ("a", "b", "d"):
            # Against the baseline of the same round (interleaved a b c).
            d = [r[c] - r["c"] for r in rounds.values() if c in r and "c" in r]
            added[c] = statistics.median(d) if d else None
            spread[c] = (min(d), max(d)) if d else (None, None)
        rows.append((key, len(rounds), med, added, spread))

    with open(f"{out}/datapath-summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "family", "n", "kind", "unit", "rounds",
                    "none", "sbxfw", "nftables",
                    "added_sbxfw", "added_sbxfw_min", "added_sbxfw_max",
                    "added_nftables", "added_nftables_min", "added_nftables_max",
                    "ratio_sbxfw_nftables", "sbxfw_domain", "added_sbxfw_domain"])
        for (path, fam, n, kind), nr, med, added, spread in rows:
            rt = ratio(added["a"], added["b"])
            w.writerow([path, fam, n, kind,
                        "datagram" if kind == "udp" else "connection", nr,
                        *(f"{med[c]:.1f}" if med[c] is not None else "" for c in "cab"),
                        *(f"{v:.1f}" if v is not None else "" for v in
                          (added["a"], *spread["a"], added["b"], *spread["b"])),
                        f"{rt:.3f}" if rt is not None else "",
                        f"{med['d']:.1f}" if med["d"] is not None else "",
                        f"{added['d']:.1f}" if added["d"] is not None else ""])

    # added cost against N: one block per (path, kind), gnuplot's index
    # local/udp, local/tcp, forward/udp, forward/tcp; columns N, sbxfw v4,
    # nftables v4, sbxfw v6, nftables v6.
    with open(f"{out}/datapath.dat", "w") as f:
        f.write("# added guest instructions per datagram (udp) or connection (tcp)\n")
        for path in PATHS:
            for kind in KINDS:
                f.write(f"# {path} {kind}: N sbxfw-v4 nftables-v4 sbxfw-v6 nftables-v6\n")
                ns = sorted({k[2] for k in per if k[0] == path and k[3] == kind})
                byk = {k: a for k, _, _, a, _ in rows}
                for n in ns:
                    cols = []
                    for fam in FAMILIES:
                        a = byk.get((path, fam, n, kind))
                        for c in "ab":
                            v = a[c] if a else None
                            cols.append("NaN" if v is None else f"{v:.1f}")
                    f.write(f"{n} {' '.join(cols)}\n")
                f.write("\n\n")

    md = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    counts = {r["kind"]: r["count"] for r in raw}
    nrounds = max((nr for _, nr, _, _, _ in rows), default=0)
    md.append("# sbxfw datapath benchmark\n")
    md.append(f"{now}; guest kernel {kver}; QEMU TCG, one vCPU, "
              f"`-icount shift=0,sleep=off`; run time {seconds // 60} min {seconds % 60} s "
              "(builds, boot, loads and traffic).\n")
    md.append("**Unit: guest instructions.** With `-icount shift=0` QEMU advances the "
              "guest's clock by 1 ns per instruction it executes (and, with "
              "`sleep=off`, jumps over idle time), so the guest's CLOCK_MONOTONIC "
              "nanoseconds below are instruction counts of the whole guest (the "
              "sending process, softirqs, the peer's receive path, timer ticks), "
              "independent of the host's load. They are not the time of a real "
              "CPU: cache and TLB misses, branch mispredictions and memory latency "
              "cost nothing here, so a lookup in a large pointer-chasing structure "
              "looks cheaper than it is on hardware (see `make bench-lookup` for "
              "native lookup times).\n")
    if icount:
        rs = [int(r["guest_ns"]) / int(r["instructions"]) for r in icount]
        took = ", ".join(f"{int(r['guest_ns']):,}" for r in icount)
        md.append(f"icount check: a loop of {int(icount[0]['instructions']):,} "
                  f"instructions took {took} "
                  f"guest ns ({min(rs):.4f}–{max(rs):.4f} ns per instruction; the "
                  "excess is the timer interrupts it shares the CPU with).\n")
    md.append("Configurations, on identical topologies in one boot, measured "
              f"interleaved (sbxfw, nftables, none, and sbxfw domain beside the first N "
              f"of each family) × {nrounds} rounds: "
              "**sbxfw**: a policy of N CIDRs, one rule allowing TCP and UDP port 9 to "
              "them, default deny (inside_devices: the client's tap); "
              "**nftables**: an `inet` table with output and forward chains at filter "
              "priority, policy drop, `ct state established,related accept` first, then "
              "`ip daddr @allow4 meta l4proto { tcp, udp } th dport 9 accept` (and "
              "`ip6 daddr @allow6 ...`) over interval sets of the same N CIDRs, then "
              "`reject`s (conntrack comes with it); **none**: no filter (the module "
              "loaded, no policy). The allowed destination's CIDR is the last one listed.\n")
    md.append(f"Traffic: *local* is sent by the filtering namespace's own process "
              f"(LOCAL_OUT), *forward* by a client namespace routed through it "
              f"(FORWARD), each to a peer namespace over veths. *udp*: "
              f"{counts.get('udp', '?')} 16-byte datagrams on one connected socket, "
              f"figures per datagram; *tcp*: {counts.get('tcp', '?')} new connections "
              f"(connect, close; the peer accepts and closes), figures per connection. "
              "Columns none/sbxfw/nftables: median per datagram or connection; added: "
              "median over the rounds of (configuration − none of the same round); "
              "ratio: added sbxfw / added nftables (below 1: sbxfw costs less). "
              "The peer never answers the datagrams, so conntrack never sees "
              "their flow established: nftables looks the destination up in its set "
              "for every datagram, as sbxfw does (with answers, its `ct state "
              "established` rule would accept them before the set lookup, but "
              "conntrack's own cost stays). "
              f"The CPU was idle for at most {max_idle * 100:.3f}% of any measurement "
              "(idle time would be a jump of guest time, not instructions).\n")
    md.append("## Per-packet cost (guest instructions)\n")
    md.append("| path | family | N | traffic | none | sbxfw | nftables | added sbxfw | added nftables | sbxfw / nftables |")
    md.append("|---|---|--:|---|--:|--:|--:|--:|--:|--:|")
    for (path, fam, n, kind), nr, med, added, spread in rows:
        md.append(f"| {path} | IP{fam} | {n:,} | {traffic(kind)} | {fmt(med['c'])} | "
                  f"{fmt(med['a'])} | {fmt(med['b'])} | {fmt(added['a'])} | "
                  f"{fmt(added['b'])} | {fmt(ratio(added['a'], added['b']), 2)} |")
    md.append("")

    dns_rows = [row for row in rows if row[3]["d"] is not None]
    if dns_rows:
        md.append("## A destination allowed by a domain rule (guest instructions)\n")
        md.append("**sbxfw domain**: a policy whose rule for the peer is `allowed.bench` "
                  "(TCP and UDP port 9), the peer's address learned from the answer to the "
                  "filtering namespace's own query to dnsmasq, so each packet's verdict "
                  "includes a lookup in the learned table; measured in the same rounds as "
                  "the configurations of N CIDRs beside it (added: over none of the same "
                  "round). nftables has no domain rule of its own: its users fill a set "
                  "from the resolver (dnsmasq's `nftset`) or run a proxy, so its column "
                  "is the set lookup of the same N.\n")
        md.append("| path | family | traffic | none | sbxfw domain | added sbxfw domain | N | added sbxfw (N CIDRs) | added nftables (N CIDRs) | domain / nftables |")
        md.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|")
        for (path, fam, n, kind), nr, med, added, spread in dns_rows:
            md.append(f"| {path} | IP{fam} | {traffic(kind)} | {fmt(med['c'])} | "
                      f"{fmt(med['d'])} | {fmt(added['d'])} | {n:,} | {fmt(added['a'])} | "
                      f"{fmt(added['b'])} | {fmt(ratio(added['d'], added['b']), 2)} |")
        md.append("")

    if loads:
        md.append("## Control plane: loading N CIDRs, and kernel memory\n")
        md.append("*load*: `sbxfwctl policy set` / `ip netns exec NS nft -f` of the whole "
                  "ruleset into a namespace without one; *swap*: the same again, "
                  "replacing the live policy or table (the .nft file deletes and "
                  "recreates its table in one transaction). Busy guest ms ≈ millions of "
                  "guest instructions from the command's start to its exit (process "
                  "start, parsing, netlink, the kernel's work), inputs in tmpfs: "
                  "the elapsed guest time minus the CPU's idle time, which here is "
                  "waiting for the 9p root to open binaries and libraries (with "
                  "`sleep=off` each wait jumps to the next timer: some 100 ms for "
                  "sbxfwctl, 500 ms for ip + nft; elapsed times are in datapath-load.csv). "
                  "Kernel memory: SUnreclaim + VmallocUsed of /proc/meminfo after the "
                  "load minus before (one sample each: small N are within the noise).\n")
        md.append("| family | N | load sbxfw (busy ms) | load nftables (busy ms) | swap sbxfw (busy ms) | swap nftables (busy ms) | kernel memory sbxfw (kB) | per CIDR (B) | kernel memory nftables (kB) | per CIDR (B) |")
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        lt = {}
        for r in loads:
            lt[(r["family"], int(r["n"]), r["config"], r["what"])] = r
        with open(f"{out}/datapath-load.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["tool", "family", "n", "what", "elapsed_guest_ns",
                        "idle_ns", "busy_guest_ns", "kernel_memory_kb"])
            for r in loads:
                w.writerow([{"a": "sbxfwctl", "b": "nft"}[r["config"]], r["family"],
                            r["n"], r["what"], r["guest_ns"], r.get("idle_ns", ""), busy(r),
                            r["kmem_kb"] if r["what"] == "load" else ""])
        specs = sorted({(r["family"], int(r["n"])) for r in loads},
                       key=lambda s: (FAMILIES.index(s[0]), s[1]))
        for fam, n in specs:
            def ms(c, what):
                r = lt.get((fam, n, c, what))
                return fmt(busy(r) / 1e6, 1) if r else "–"

            def mem(c):
                r = lt.get((fam, n, c, "load"))
                if not r:
                    return "–", "–"
                kb = int(r["kmem_kb"])
                # One sample: below 1,000 CIDRs, or when other allocations
                # moved the total down, the difference is noise.
                return fmt(kb), fmt(kb * 1024 / n, 1) if n >= 1000 and kb > 0 else "–"
            ma, mb = mem("a"), mem("b")
            md.append(f"| IP{fam} | {n:,} | {ms('a', 'load')} | {ms('b', 'load')} | "
                      f"{ms('a', 'swap')} | {ms('b', 'swap')} | {ma[0]} | {ma[1]} | "
                      f"{mb[0]} | {mb[1]} |")
        md.append("")

    text = "\n".join(md) + "\n"
    with open(f"{out}/datapath.md", "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
