// SPDX-License-Identifier: GPL-2.0
/*
 * Growing a policy spec one rule, port range, CIDR or domain at a time, as
 * the JSON parser and the netlink decoder do, in amortised constant time.
 *
 * struct sbxfw_rule_spec has counts but no capacities, so the capacity of
 * every array is a function of its count: 0, 4, then the next power of
 * two. An array reallocates exactly when an append crosses into a larger
 * capacity.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libsbxfw.h"
#include "policy.h"

static size_t capacity(size_t n)
{
	size_t cap = 4;

	if (!n)
		return 0;
	while (cap < n)
		cap *= 2;
	return cap;
}

/* Makes room for @add more elements of @size after @n in *@arrayp. */
static int grow(void **arrayp, uint32_t n, uint32_t add, size_t size)
{
	size_t want = (size_t)n + add, cap;
	void *p;

	if (want > UINT32_MAX)
		return -E2BIG;
	cap = capacity(want);
	if (cap == capacity(n))
		return 0;
	if (cap > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*arrayp, cap * size);
	if (!p)
		return -ENOMEM;
	*arrayp = p;
	return 0;
}

struct sbxfw_rule_spec *sbxfw_spec_add_rule(struct sbxfw_policy_spec *spec)
{
	struct sbxfw_rule_spec *r;

	if (grow((void **)&spec->rules, spec->nrules, 1, sizeof(*r)))
		return NULL;
	r = &spec->rules[spec->nrules++];
	memset(r, 0, sizeof(*r));
	return r;
}

int sbxfw_rule_add_ports(struct sbxfw_rule_spec *r,
			 const struct sbxfw_port_range *ports, uint32_t n)
{
	int err;

	if (!n)
		return 0;
	err = grow((void **)&r->ports, r->nports, n, sizeof(*ports));
	if (err)
		return err;
	memcpy(r->ports + r->nports, ports, n * sizeof(*ports));
	r->nports += n;
	return 0;
}

int sbxfw_rule_add_cidrs4(struct sbxfw_rule_spec *r,
			  const struct sbxfw_cidr4 *cidrs, uint32_t n)
{
	int err;

	if (!n)
		return 0;
	err = grow((void **)&r->cidrs4, r->ncidrs4, n, sizeof(*cidrs));
	if (err)
		return err;
	memcpy(r->cidrs4 + r->ncidrs4, cidrs, n * sizeof(*cidrs));
	r->ncidrs4 += n;
	return 0;
}

int sbxfw_rule_add_cidrs6(struct sbxfw_rule_spec *r,
			  const struct sbxfw_cidr6 *cidrs, uint32_t n)
{
	int err;

	if (!n)
		return 0;
	err = grow((void **)&r->cidrs6, r->ncidrs6, n, sizeof(*cidrs));
	if (err)
		return err;
	memcpy(r->cidrs6 + r->ncidrs6, cidrs, n * sizeof(*cidrs));
	r->ncidrs6 += n;
	return 0;
}

int sbxfw_spec_add_inside(struct sbxfw_policy_spec *spec, const char *name,
			  size_t len)
{
	int err;

	if (len >= sizeof(*spec->inside))
		return -EINVAL;
	err = grow((void **)&spec->inside, spec->ninside, 1,
		   sizeof(*spec->inside));
	if (err)
		return err;
	memset(spec->inside[spec->ninside], 0, sizeof(*spec->inside));
	memcpy(spec->inside[spec->ninside++], name, len);
	return 0;
}

int sbxfw_rule_add_domain(struct sbxfw_rule_spec *r, const char *domain,
			  size_t len)
{
	char *copy;
	int err;

	err = grow((void **)&r->domains, r->ndomains, 1, sizeof(char *));
	if (err)
		return err;
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, domain, len);
	copy[len] = '\0';
	r->domains[r->ndomains++] = copy;
	return 0;
}

void sbxfw_policy_count(const struct sbxfw_policy_spec *spec,
			struct sbxfw_policy_counts *c)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->rules = spec->nrules;
	for (i = 0; spec->rules && i < spec->nrules; i++) {
		c->cidrs4 += spec->rules[i].ncidrs4;
		c->cidrs6 += spec->rules[i].ncidrs6;
		c->domains += spec->rules[i].ndomains;
	}
}
