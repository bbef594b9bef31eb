/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sbxfw: egress firewall for code-execution sandboxes.
 *
 * The generic netlink family shared by the module and sbxfwctl. Every
 * command is accepted only from a socket in the initial network namespace
 * whose opener holds CAP_NET_ADMIN in the initial user namespace, so root
 * inside a sandbox can neither read nor change what is enforced on it.
 */
#ifndef _UAPI_LINUX_SBXFW_H
#define _UAPI_LINUX_SBXFW_H

#include <linux/const.h>
#include <linux/types.h>

#define SBXFW_GENL_NAME		"sbxfw"
#define SBXFW_GENL_VERSION	1

/**
 * enum sbxfw_cmd - commands of the sbxfw family
 * @SBXFW_CMD_UNSPEC: unused
 * @SBXFW_CMD_GET_VERSION: reply carries SBXFW_A_VERSION, SBXFW_A_FEATURES
 *	and SBXFW_A_STATS; the request takes no attribute.
 * @SBXFW_CMD_POLICY_SET: replace the policy of the netns named by
 *	SBXFW_A_NETNS_FD or SBXFW_A_NETNS_PID with SBXFW_A_POLICY. A policy
 *	too large for one message is sent in parts from one socket: every
 *	part but the last carries SBXFW_SET_F_MORE, parts after the first
 *	carry SBXFW_SET_F_CONTINUE and only rules' SBXFW_RULE_A_INDEX plus
 *	more CIDRs/domains. Nothing is published before the last part; an
 *	error in any part drops the whole transaction. SBXFW_A_GENERATION,
 *	if present, must equal the current generation (0: no policy). The
 *	reply carries the new SBXFW_A_GENERATION.
 * @SBXFW_CMD_POLICY_GET: dump the policy of one netns exactly as it was
 *	set: the first message has SBXFW_A_GENERATION and the policy's mode
 *	and default; rules follow, a rule's CIDRs possibly spread over more
 *	messages (same SBXFW_RULE_A_INDEX). NLM_F_DUMP_INTR flags a dump that
 *	raced with a swap.
 * @SBXFW_CMD_POLICY_DEL: remove the policy of one netns (back to no
 *	filtering). SBXFW_A_GENERATION, if present, must match.
 * @SBXFW_CMD_POLICY_LIST: dump every netns that has a policy: its
 *	SBXFW_A_NETNS_ID, SBXFW_A_GENERATION and SBXFW_A_POLICY carrying only
 *	mode, default and the SBXFW_POLICY_A_N_* counts.
 * @SBXFW_CMD_LEARNED_GET: dump the learned entries of one netns (what DNS
 *	answers to its queries taught it), one SBXFW_A_LEARNED a message.
 * @SBXFW_CMD_LEARNED_FLUSH: forget every learned entry of one netns.
 */
enum sbxfw_cmd {
	SBXFW_CMD_UNSPEC,
	SBXFW_CMD_GET_VERSION,
	SBXFW_CMD_POLICY_SET,
	SBXFW_CMD_POLICY_GET,
	SBXFW_CMD_POLICY_DEL,
	SBXFW_CMD_POLICY_LIST,
	SBXFW_CMD_LEARNED_GET,
	SBXFW_CMD_LEARNED_FLUSH,

	__SBXFW_CMD_MAX,
};

#define SBXFW_CMD_MAX (__SBXFW_CMD_MAX - 1)

/**
 * enum sbxfw_attr - top-level attributes
 * @SBXFW_A_UNSPEC: unused
 * @SBXFW_A_VERSION: NUL-terminated string, the module's version
 * @SBXFW_A_FEATURES: nest of SBXFW_A_FEATURE strings, one per capability
 *	this build of the module has (see SBXFW_FEATURE_*)
 * @SBXFW_A_STATS: nest of enum sbxfw_stat_attr, module-wide counters
 * @SBXFW_A_PAD: padding for 64-bit attributes
 * @SBXFW_A_NETNS_FD: u32, a file descriptor of the target network
 *	namespace (/run/netns/NAME, /proc/PID/ns/net) in the caller
 * @SBXFW_A_NETNS_PID: u32, a process whose network namespace is the target
 * @SBXFW_A_NETNS_ID: u64, the namespace's inode number (as in
 *	/proc/PID/ns/net), in POLICY_LIST replies
 * @SBXFW_A_GENERATION: u64, the generation of a netns's policy; it grows by
 *	one with every published change and is never reused in that netns
 * @SBXFW_A_SET_FLAGS: u32, SBXFW_SET_F_* for POLICY_SET
 * @SBXFW_A_POLICY: nest of enum sbxfw_policy_attr
 * @SBXFW_A_LEARNED: nest of enum sbxfw_learned_attr, in LEARNED_GET replies
 */
enum sbxfw_attr {
	SBXFW_A_UNSPEC,
	SBXFW_A_VERSION,
	SBXFW_A_FEATURES,
	SBXFW_A_STATS,
	SBXFW_A_PAD,
	SBXFW_A_NETNS_FD,
	SBXFW_A_NETNS_PID,
	SBXFW_A_NETNS_ID,
	SBXFW_A_GENERATION,
	SBXFW_A_SET_FLAGS,
	SBXFW_A_POLICY,
	SBXFW_A_LEARNED,

	__SBXFW_A_MAX,
};

#define SBXFW_A_MAX (__SBXFW_A_MAX - 1)

/**
 * enum sbxfw_feature_attr - attributes inside SBXFW_A_FEATURES
 * @SBXFW_A_FEATURE_UNSPEC: unused
 * @SBXFW_A_FEATURE: NUL-terminated string naming one feature; repeated
 */
enum sbxfw_feature_attr {
	SBXFW_A_FEATURE_UNSPEC,
	SBXFW_A_FEATURE,

	__SBXFW_A_FEATURE_MAX,
};

#define SBXFW_A_FEATURE_MAX (__SBXFW_A_FEATURE_MAX - 1)

/**
 * enum sbxfw_stat_attr - attributes inside SBXFW_A_STATS
 * @SBXFW_A_STAT_UNSPEC: unused
 * @SBXFW_A_STAT_NETNS: u32, network namespaces that currently hold sbxfw
 *	state (every live netns while the module is loaded); it returns to
 *	its earlier value once namespaces created since then are gone
 */
enum sbxfw_stat_attr {
	SBXFW_A_STAT_UNSPEC,
	SBXFW_A_STAT_NETNS,

	__SBXFW_A_STAT_MAX,
};

#define SBXFW_A_STAT_MAX (__SBXFW_A_STAT_MAX - 1)

/* SBXFW_A_SET_FLAGS */
#define SBXFW_SET_F_MORE	_BITUL(0)	/* more parts of this policy follow */
#define SBXFW_SET_F_CONTINUE	_BITUL(1)	/* this part continues a transaction */
#define SBXFW_SET_F_ALL		(SBXFW_SET_F_MORE | SBXFW_SET_F_CONTINUE)

/**
 * enum sbxfw_policy_attr - attributes inside SBXFW_A_POLICY
 * @SBXFW_POLICY_A_UNSPEC: unused
 * @SBXFW_POLICY_A_MODE: u8, enum sbxfw_mode
 * @SBXFW_POLICY_A_DEFAULT: u8, enum sbxfw_action taken when no rule matches
 *	(custom mode; allow-all and deny-all imply it)
 * @SBXFW_POLICY_A_RULE: nest of enum sbxfw_rule_attr; repeated, in order:
 *	the first rule that matches a packet decides
 * @SBXFW_POLICY_A_N_RULES: u32, number of rules (POLICY_LIST)
 * @SBXFW_POLICY_A_N_CIDRS4: u32, IPv4 CIDRs in all rules (POLICY_LIST)
 * @SBXFW_POLICY_A_N_CIDRS6: u32, IPv6 CIDRs in all rules (POLICY_LIST)
 * @SBXFW_POLICY_A_N_DOMAINS: u32, domain patterns in all rules (POLICY_LIST)
 * @SBXFW_POLICY_A_N_FLOWS: u32, flows the netns's flow table holds now
 *	(POLICY_LIST; recorded only while the policy filters inbound traffic)
 * @SBXFW_POLICY_A_FLOWS_REFUSED: u64, flows a full flow table (or a failed
 *	allocation) could not record since the netns's hooks came (POLICY_LIST)
 * @SBXFW_POLICY_A_PAD: padding for 64-bit attributes
 * @SBXFW_POLICY_A_N_LEARNED: u32, learned entries the netns holds now
 *	(POLICY_LIST)
 * @SBXFW_POLICY_A_LEARNED_EVICTED: u64, live learned entries a full table
 *	removed to make room (POLICY_LIST)
 * @SBXFW_POLICY_A_DNS: nest of enum sbxfw_dns_attr, how domain patterns are
 *	enforced through DNS; first part only; absent members take their
 *	defaults
 * @SBXFW_POLICY_A_INSIDE_DEV: string, the name of a device of the netns
 *	behind which the sandbox lives (a microVM's tap); repeated, first
 *	part only. Forwarded traffic that goes out through one, having come
 *	in through another device, enters the sandbox and is judged by
 *	ingress rules; without any, all forwarded traffic is egress.
 */
enum sbxfw_policy_attr {
	SBXFW_POLICY_A_UNSPEC,
	SBXFW_POLICY_A_MODE,
	SBXFW_POLICY_A_DEFAULT,
	SBXFW_POLICY_A_RULE,
	SBXFW_POLICY_A_N_RULES,
	SBXFW_POLICY_A_N_CIDRS4,
	SBXFW_POLICY_A_N_CIDRS6,
	SBXFW_POLICY_A_N_DOMAINS,
	SBXFW_POLICY_A_N_FLOWS,
	SBXFW_POLICY_A_FLOWS_REFUSED,
	SBXFW_POLICY_A_PAD,
	SBXFW_POLICY_A_INSIDE_DEV,
	SBXFW_POLICY_A_N_LEARNED,
	SBXFW_POLICY_A_LEARNED_EVICTED,
	SBXFW_POLICY_A_DNS,

	__SBXFW_POLICY_A_MAX,
};

#define SBXFW_POLICY_A_MAX (__SBXFW_POLICY_A_MAX - 1)

/**
 * enum sbxfw_rule_attr - attributes inside SBXFW_POLICY_A_RULE
 * @SBXFW_RULE_A_UNSPEC: unused
 * @SBXFW_RULE_A_INDEX: u32, the rule's position from 0; required in
 *	continuation parts and in dumps, optional (must be in order) otherwise
 * @SBXFW_RULE_A_ACTION: u8, enum sbxfw_action (required in a rule's first
 *	appearance)
 * @SBXFW_RULE_A_DIRECTION: u8, enum sbxfw_direction (default egress)
 * @SBXFW_RULE_A_PROTOCOLS: u32, SBXFW_PROTO_F_* (absent or 0: any protocol)
 * @SBXFW_RULE_A_PORTS: binary, array of struct sbxfw_port_range (absent:
 *	any port); destination ports of TCP and UDP
 * @SBXFW_RULE_A_PRESETS: u32, SBXFW_PRESET_F_* destinations
 * @SBXFW_RULE_A_CIDRS4: binary, array of struct sbxfw_cidr4; may repeat
 * @SBXFW_RULE_A_CIDRS6: binary, array of struct sbxfw_cidr6; may repeat
 * @SBXFW_RULE_A_DOMAIN: string, a domain pattern ("api.example.com",
 *	"*.example.com"); may repeat
 *
 * A rule's destination is the union of its presets, CIDRs and domains; a
 * rule with none of them matches any destination.
 */
enum sbxfw_rule_attr {
	SBXFW_RULE_A_UNSPEC,
	SBXFW_RULE_A_INDEX,
	SBXFW_RULE_A_ACTION,
	SBXFW_RULE_A_DIRECTION,
	SBXFW_RULE_A_PROTOCOLS,
	SBXFW_RULE_A_PORTS,
	SBXFW_RULE_A_PRESETS,
	SBXFW_RULE_A_CIDRS4,
	SBXFW_RULE_A_CIDRS6,
	SBXFW_RULE_A_DOMAIN,

	__SBXFW_RULE_A_MAX,
};

#define SBXFW_RULE_A_MAX (__SBXFW_RULE_A_MAX - 1)

/**
 * enum sbxfw_dns_attr - attributes inside SBXFW_POLICY_A_DNS
 * @SBXFW_DNS_A_UNSPEC: unused
 * @SBXFW_DNS_A_MIN_TTL: u32, seconds a learned entry lives at least,
 *	whatever the answer's TTL (1..86400, default 60)
 * @SBXFW_DNS_A_MAX_TTL: u32, seconds it lives at most (1..604800, at
 *	least the minimum; default 86400)
 * @SBXFW_DNS_A_MAX_LEARNED: u32, learned entries the netns holds at most
 *	(1..65536, default 16384); the oldest go first
 * @SBXFW_DNS_A_ALLOW_REBINDING: flag: learn answers that give a private,
 *	loopback, link-local or metadata address for a name (by default they
 *	are dropped unless an allow rule names the address)
 */
enum sbxfw_dns_attr {
	SBXFW_DNS_A_UNSPEC,
	SBXFW_DNS_A_MIN_TTL,
	SBXFW_DNS_A_MAX_TTL,
	SBXFW_DNS_A_MAX_LEARNED,
	SBXFW_DNS_A_ALLOW_REBINDING,

	__SBXFW_DNS_A_MAX,
};

#define SBXFW_DNS_A_MAX (__SBXFW_DNS_A_MAX - 1)

/**
 * enum sbxfw_learned_attr - attributes inside SBXFW_A_LEARNED
 * @SBXFW_LEARNED_A_UNSPEC: unused
 * @SBXFW_LEARNED_A_ADDR: binary, 4 or 16 bytes, network order: an address
 *	a DNS answer gave
 * @SBXFW_LEARNED_A_NAME: string, the name the sandbox asked for
 * @SBXFW_LEARNED_A_EXPIRES: u32, seconds until the entry may be forgotten
 * @SBXFW_LEARNED_A_RULE: u32, the index of the first rule whose patterns
 *	cover the name under the current policy (absent: none does)
 */
enum sbxfw_learned_attr {
	SBXFW_LEARNED_A_UNSPEC,
	SBXFW_LEARNED_A_ADDR,
	SBXFW_LEARNED_A_NAME,
	SBXFW_LEARNED_A_EXPIRES,
	SBXFW_LEARNED_A_RULE,

	__SBXFW_LEARNED_A_MAX,
};

#define SBXFW_LEARNED_A_MAX (__SBXFW_LEARNED_A_MAX - 1)

enum sbxfw_mode {
	SBXFW_MODE_ALLOW_ALL,	/* everything passes; rules are not allowed */
	SBXFW_MODE_DENY_ALL,	/* nothing but the netns's own loopback passes */
	SBXFW_MODE_CUSTOM,	/* rules, then the default action */

	__SBXFW_MODE_MAX,
};

#define SBXFW_MODE_MAX (__SBXFW_MODE_MAX - 1)

enum sbxfw_action {
	SBXFW_ACTION_ALLOW,
	SBXFW_ACTION_DENY,

	__SBXFW_ACTION_MAX,
};

#define SBXFW_ACTION_MAX (__SBXFW_ACTION_MAX - 1)

enum sbxfw_direction {
	SBXFW_DIR_EGRESS,	/* leaving the sandbox: destination is the peer */
	SBXFW_DIR_INGRESS,	/* entering it: the source is the peer */

	__SBXFW_DIR_MAX,
};

#define SBXFW_DIR_MAX (__SBXFW_DIR_MAX - 1)

/* SBXFW_RULE_A_PROTOCOLS */
#define SBXFW_PROTO_F_TCP	_BITUL(0)
#define SBXFW_PROTO_F_UDP	_BITUL(1)
#define SBXFW_PROTO_F_ICMP	_BITUL(2)
#define SBXFW_PROTO_F_ICMPV6	_BITUL(3)
#define SBXFW_PROTO_F_ALL	(_BITUL(4) - 1)

/* SBXFW_RULE_A_PRESETS; "public" is every address in none of the others */
#define SBXFW_PRESET_F_ANY		_BITUL(0)
#define SBXFW_PRESET_F_PRIVATE		_BITUL(1)	/* RFC 1918, CGNAT, ULA */
#define SBXFW_PRESET_F_LOOPBACK		_BITUL(2)
#define SBXFW_PRESET_F_METADATA		_BITUL(3)	/* 169.254.169.254, fd00:ec2::254 */
#define SBXFW_PRESET_F_LINK_LOCAL	_BITUL(4)
#define SBXFW_PRESET_F_MULTICAST	_BITUL(5)
#define SBXFW_PRESET_F_PUBLIC		_BITUL(6)
#define SBXFW_PRESET_F_ALL		(_BITUL(7) - 1)

struct sbxfw_port_range {
	__u16 first;	/* host byte order, first <= last */
	__u16 last;
};

struct sbxfw_cidr4 {
	__be32 addr;	/* host bits beyond the prefix must be zero */
	__u8 prefix;	/* 0..32 */
	__u8 pad[3];	/* zero */
};

struct sbxfw_cidr6 {
	__u8 addr[16];	/* host bits beyond the prefix must be zero */
	__u8 prefix;	/* 0..128 */
	__u8 pad[3];	/* zero */
};

#endif /* _UAPI_LINUX_SBXFW_H */
