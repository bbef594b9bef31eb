/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy model, shared by the module and sbxfwctl: a policy as it is
 * specified (struct sbxfw_policy_spec, what set accepts and get returns),
 * its validation and limits, and the compiled, immutable form the packet
 * path evaluates.
 */
#ifndef _SBXFW_POLICY_H
#define _SBXFW_POLICY_H

#include <linux/sbxfw.h>

#include "domain.h"
#include "lpm.h"
#include "pure.h"

/* Limits of one policy; each is enforced with its own error. */
#define SBXFW_MAX_RULES		SBXFW_LPM_MAX_RULES	/* 256 */
#define SBXFW_MAX_PORT_RANGES	64			/* per rule */
#define SBXFW_MAX_CIDRS		1048576U	/* IPv4 + IPv6, all rules */
#define SBXFW_MAX_DOMAINS	16384		/* all rules */
#define SBXFW_MAX_DOMAIN_LEN	253
#define SBXFW_MAX_INSIDE_DEVS	8
#define SBXFW_IFNAMSIZ		16	/* IFNAMSIZ, with the final NUL */

/* How domain patterns are enforced through DNS (learned.c, dnshook.c). */
#define SBXFW_DNS_MIN_TTL_DEFAULT	60		/* seconds */
#define SBXFW_DNS_MAX_TTL_DEFAULT	(24 * 60 * 60)
#define SBXFW_DNS_TTL_LIMIT		(7 * 24 * 60 * 60)
#define SBXFW_DNS_MAX_LEARNED_DEFAULT	16384
#define SBXFW_DNS_MAX_LEARNED_LIMIT	65536

/* 0 in a member: its default. */
struct sbxfw_dns_options {
	u32 min_ttl;
	u32 max_ttl;
	u32 max_learned;
	bool allow_rebinding;
};

struct sbxfw_rule_spec {
	u8 action;			/* enum sbxfw_action */
	u8 direction;			/* enum sbxfw_direction */
	u32 protocols;			/* SBXFW_PROTO_F_*, 0: any */
	u32 presets;			/* SBXFW_PRESET_F_* */
	u32 nports;			/* 0: any port */
	struct sbxfw_port_range *ports;
	u32 ncidrs4;
	struct sbxfw_cidr4 *cidrs4;
	u32 ncidrs6;
	struct sbxfw_cidr6 *cidrs6;
	u32 ndomains;
	char **domains;			/* canonical: lower case, no final dot */
};

struct sbxfw_policy_spec {
	u8 mode;			/* enum sbxfw_mode */
	u8 default_action;		/* enum sbxfw_action */
	u32 nrules;
	struct sbxfw_rule_spec *rules;
	u32 ninside;
	char (*inside)[SBXFW_IFNAMSIZ];	/* device names, NUL-padded */
	struct sbxfw_dns_options dns;
};

/*
 * Checks every value and limit of a spec. On error returns -EINVAL or
 * -E2BIG, sets *why to a static sentence and *bad_rule to the offending
 * rule's index (-1 when the error is not in a rule).
 */
int sbxfw_spec_check(const struct sbxfw_policy_spec *spec, const char **why,
		     int *bad_rule);
/* Is this a name a device may have (what the kernel's dev_valid_name takes)? */
bool sbxfw_ifname_valid(const char *name, size_t len);
/* Is this a canonical domain pattern ("a.example.com", "*.example.com")? */
bool sbxfw_domain_valid(const char *pattern, size_t len);
/* Frees what the spec points to (not the spec itself). */
void sbxfw_spec_release(struct sbxfw_policy_spec *spec);

/* A compiled rule: what is left to check once the address matched. */
struct sbxfw_rule {
	u8 action;
	u8 direction;
	u32 protocols;
	u32 nports;
	const struct sbxfw_port_range *ports;
};

struct sbxfw_policy {
	u8 mode;
	u8 default_action;
	/*
	 * Inbound traffic is judged: under deny-all, and in a custom policy
	 * with an ingress rule (then the default action applies to inbound
	 * traffic too). Otherwise only what leaves is.
	 */
	bool filters_ingress;
	u32 nrules;
	struct sbxfw_rule *rules;
	struct sbxfw_lpm *lpm4;
	struct sbxfw_lpm *lpm6;
	/* NULL without domain patterns: then DNS is left to the rules. */
	struct sbxfw_domains *domains;
	/* Allow rules that name addresses (CIDRs, presets): see rebinding. */
	struct sbxfw_rule_set addressed_allow;
	struct sbxfw_dns_options dns;	/* defaults filled in */
	struct sbxfw_policy_spec spec;	/* what was set, for get */
};

/* What a verdict depends on; filled by the hooks from one packet. */
struct sbxfw_pkt {
	u8 family;		/* 4 or 6 */
	u8 direction;		/* enum sbxfw_direction */
	u8 protocol;		/* IPPROTO_* of the transport header */
	bool has_port;		/* TCP, UDP (port is valid) */
	bool loopback;		/* the netns's own loopback traffic */
	u16 port;		/* destination port, host byte order */
	/*
	 * The other end's address, network order, 4 or 16 bytes: the
	 * destination of what leaves, the source of what comes in.
	 */
	const void *peer;
	/*
	 * The rules whose domain patterns cover a name the peer's address
	 * was learned under (DNS), or NULL.
	 */
	const struct sbxfw_rule_set *learned;
};

#define SBXFW_VERDICT_DEFAULT	(-1)

/*
 * Compiles a checked spec. On success the policy owns the spec's contents
 * (the caller's spec is zeroed); on failure the spec is left to the caller.
 */
int sbxfw_policy_compile(struct sbxfw_policy_spec *spec,
			 struct sbxfw_policy **policyp, const char **why);
/*
 * The action for a packet, and in *rule the index of the rule that decided
 * it or SBXFW_VERDICT_DEFAULT. Packet path: no allocation, no lock.
 */
enum sbxfw_action sbxfw_policy_eval(const struct sbxfw_policy *policy,
				    const struct sbxfw_pkt *pkt, int *rule);
void sbxfw_policy_free(struct sbxfw_policy *policy);

/*
 * The action for a DNS query of @name (canonical, @len bytes): that of the
 * first egress rule whose patterns cover it, else the default; *@rule as
 * for sbxfw_policy_eval.
 */
enum sbxfw_action sbxfw_policy_eval_name(const struct sbxfw_policy *policy,
					 const char *name, size_t len,
					 int *rule);
/*
 * Whether an address (network order) is one a public name must not
 * resolve to: private, loopback, link-local, metadata, unspecified or
 * IPv4-mapped. Such answers are DNS rebinding.
 */
bool sbxfw_addr_internal(u8 family, const void *addr);
/* Whether an egress allow rule names @addr by a CIDR or a preset, not "any". */
bool sbxfw_policy_names_addr(const struct sbxfw_policy *policy, u8 family,
			     const void *addr);
/*
 * Whether an answer giving @addr for a name is DNS rebinding under
 * @policy: an internal address that no allow rule names, unless the
 * policy's dns options allow rebinding.
 */
bool sbxfw_policy_rebinds(const struct sbxfw_policy *policy, u8 family,
			  const void *addr);

#endif /* _SBXFW_POLICY_H */
