/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS on the packet path (dnshook.c): the hooks hand it what goes to or
 * comes from port 53 under a policy with domain patterns.
 */
#ifndef _SBXFW_DNSHOOK_H
#define _SBXFW_DNSHOOK_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "flow.h"
#include "learned.h"
#include "policy.h"

/* A DNS packet as the hooks classified it. */
struct sbxfw_dns_packet {
	const struct sbxfw_policy *policy;
	struct sbxfw_flows *flows;		/* may be NULL */
	struct sbxfw_learned *learned;		/* may be NULL */
	struct sbxfw_flow_key key;		/* the flow, as the sandbox sees it */
	enum sbxfw_flow_life life;		/* what the packet says of it */
	u8 protocol;				/* IPPROTO_UDP or IPPROTO_TCP */
	unsigned int thoff;			/* transport header */
};

enum sbxfw_dns_verdict {
	SBXFW_DNS_PASS,		/* judge it like any other packet */
	SBXFW_DNS_DROP,		/* drop it: malformed, or rebinding */
	SBXFW_DNS_REFUSE,	/* a refused query: deny it */
};

/* Bytes of queries one segment may carry (a query is at most ~350). */
#define SBXFW_DNS_QUERY_SEGMENT_MAX	1024

/*
 * A query leaving the sandbox, already allowed to its resolver by the
 * rules: passes if its names are allowed, and is then remembered on its
 * flow. Makes the judged bytes the skb's own (it may reallocate its head).
 */
enum sbxfw_dns_verdict sbxfw_dns_query(struct sk_buff *skb,
				       const struct sbxfw_dns_packet *dp);
/*
 * Answers a UDP query that sbxfw_dns_query() refused with REFUSED, from
 * its resolver's address, to its source, which the caller made sure is
 * where the query came from. Returns whether it was sent; the query is
 * still the caller's.
 */
bool sbxfw_dns_send_refusal(struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct sbxfw_dns_packet *dp);
/*
 * An answer entering the sandbox from outside: learned from when it
 * answers a query on its flow; dropped if it rebinds a public name to an
 * internal address.
 */
enum sbxfw_dns_verdict sbxfw_dns_answer(struct sk_buff *skb,
					const struct sbxfw_dns_packet *dp);

#endif /* _SBXFW_DNSHOOK_H */
