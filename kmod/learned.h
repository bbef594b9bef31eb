/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one filtered namespace learned from the DNS answers to its own
 * queries: which names an address was given for, and until when. A
 * destination that a domain pattern allows is allowed only while its
 * address is learned under a name the pattern covers.
 */
#ifndef _SBXFW_LEARNED_H
#define _SBXFW_LEARNED_H

#include <linux/types.h>

#include "policy.h"

/*
 * A namespace holds at most its policy's dns max_learned entries (address,
 * name), of at most ~330 bytes each: 5 MiB at the default 16384.
 */
/* Addresses one answer may teach: a resolver cannot flood the table. */
#define SBXFW_LEARNED_PER_ANSWER	32
/*
 * Names one address is learned under at most (the oldest gives way): each
 * packet to it matches them all, so a wildcard zone whose names all
 * resolve to one address must not make that cost grow.
 */
#define SBXFW_LEARNED_NAMES_PER_ADDR	8
/*
 * An entry lives for its record's TTL, clamped to the policy's dns
 * min_ttl and max_ttl, and while it carries traffic, until
 * SBXFW_LEARNED_IDLE seconds after its last packet: a TTL-0 answer still
 * lets the client connect, and a flow is not cut when the record expires.
 */
#define SBXFW_LEARNED_IDLE		(10 * 60)

struct sbxfw_learned;

struct sbxfw_learned *sbxfw_learned_new(void);
/* Once no hook or dump can see it any more. */
void sbxfw_learned_free(struct sbxfw_learned *learned);

/*
 * Packet path: learns that @name (canonical, @len bytes) resolved to
 * @addr (network order) for @ttl seconds, within @policy's dns options.
 * Returns false when it could not (no memory).
 */
bool sbxfw_learned_add(struct sbxfw_learned *learned,
		       const struct sbxfw_policy *policy, u8 family,
		       const void *addr, const char *name, size_t len,
		       u32 ttl);
/*
 * Packet path (RCU read side): adds to @rules the rules of @policy whose
 * patterns cover a live name @addr was learned under, and marks those
 * entries used. Returns whether any does.
 */
bool sbxfw_learned_rules(struct sbxfw_learned *learned,
			 const struct sbxfw_policy *policy, u8 family,
			 const void *addr, struct sbxfw_rule_set *rules);
/*
 * Control plane: drops the entries whose name @policy no longer allows,
 * or whose address it takes for rebinding (all of them when @policy is
 * NULL), and evicts the oldest beyond its bound.
 */
void sbxfw_learned_prune(struct sbxfw_learned *learned,
			 const struct sbxfw_policy *policy);

/* One entry, as a dump shows it. */
struct sbxfw_learned_info {
	u8 family;
	u8 addr[16];
	u32 expires;		/* seconds from now until it may go */
	char name[SBXFW_MAX_DOMAIN_LEN + 1];
};

/*
 * Dumps (RCU read side): the live entry at position *@pos or after it
 * in table order, into @info, and advances *@pos past it. False when
 * there is none. Entries added or removed meanwhile may be missed.
 */
bool sbxfw_learned_next(struct sbxfw_learned *learned, u64 *pos,
			struct sbxfw_learned_info *info);

unsigned int sbxfw_learned_count(const struct sbxfw_learned *learned);
/* Live entries a full table removed to make room. */
unsigned long sbxfw_learned_evicted(const struct sbxfw_learned *learned);

#endif /* _SBXFW_LEARNED_H */
