/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address lookup for compiled policies: for one address family, which
 * rules' address sets contain an address. See lpm.c for the structure.
 */
#ifndef _SBXFW_LPM_H
#define _SBXFW_LPM_H

#include "pure.h"

/* Rules of one policy are numbered 0..SBXFW_LPM_MAX_RULES - 1. */
#define SBXFW_LPM_MAX_RULES	256

/* The rules, by number, whose address sets contain an address. */
struct sbxfw_rule_set {
	u64 bits[SBXFW_LPM_MAX_RULES / 64];
};

struct sbxfw_lpm;
struct sbxfw_lpm_builder;

/*
 * Building happens in the control plane (may sleep, allocates); family is
 * 4 or 6; max_entries bounds the number of add calls (-E2BIG beyond).
 * Addresses are in network byte order, 4 or 16 bytes. A prefix must have
 * no host bits set (-EINVAL), a range needs first <= last (-EINVAL), a
 * rule number must be below SBXFW_LPM_MAX_RULES (-EINVAL).
 */
int sbxfw_lpm_builder_new(struct sbxfw_lpm_builder **builderp, int family,
			  u32 max_entries);
int sbxfw_lpm_add_prefix(struct sbxfw_lpm_builder *builder, const void *addr,
			 unsigned int prefix_len, unsigned int rule);
int sbxfw_lpm_add_range(struct sbxfw_lpm_builder *builder, const void *first,
			const void *last, unsigned int rule);
/* Frees the builder whatever the outcome. */
int sbxfw_lpm_build(struct sbxfw_lpm_builder *builder, struct sbxfw_lpm **lpmp);
void sbxfw_lpm_builder_free(struct sbxfw_lpm_builder *builder);

/*
 * Lookup happens on the packet path: no allocation, no lock, bounded time
 * (logarithmic in the number of intervals). NULL when no entry covers the
 * address.
 */
const struct sbxfw_rule_set *sbxfw_lpm_lookup(const struct sbxfw_lpm *lpm,
					      const void *addr);

void sbxfw_lpm_free(struct sbxfw_lpm *lpm);

/* Bytes held by a built structure (for stats and benchmarks). */
size_t sbxfw_lpm_size(const struct sbxfw_lpm *lpm);
/* Disjoint intervals and distinct rule sets it holds. */
u32 sbxfw_lpm_intervals(const struct sbxfw_lpm *lpm);
u32 sbxfw_lpm_sets(const struct sbxfw_lpm *lpm);

#endif /* _SBXFW_LPM_H */
