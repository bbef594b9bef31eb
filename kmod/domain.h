/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain patterns of a compiled policy: which egress rules' patterns
 * cover a name. See domain.c for the structure.
 */
#ifndef _SBXFW_DOMAIN_H
#define _SBXFW_DOMAIN_H

#include "lpm.h"
#include "pure.h"

struct sbxfw_policy_spec;
struct sbxfw_domains;

/*
 * Control plane: compiles the domain patterns of a checked spec's egress
 * rules. *@domainsp is NULL when the spec has none. -ENOMEM or 0.
 */
int sbxfw_domains_build(const struct sbxfw_policy_spec *spec,
			struct sbxfw_domains **domainsp);
/*
 * Packet path (no allocation, no lock, one hash lookup per label): adds to
 * @rules the rules whose patterns cover @name, a canonical name (lower
 * case, no final dot) of @len bytes. Returns whether any does.
 */
bool sbxfw_domains_match(const struct sbxfw_domains *domains,
			 const char *name, size_t len,
			 struct sbxfw_rule_set *rules);
void sbxfw_domains_free(struct sbxfw_domains *domains);
/* Distinct suffixes held (for tests and benchmarks). */
u32 sbxfw_domains_count(const struct sbxfw_domains *domains);

#endif /* _SBXFW_DOMAIN_H */
