// SPDX-License-Identifier: GPL-2.0
/*
 * Domain patterns, compiled: a hash table of name suffixes. "a.example.com"
 * is the suffix a.example.com with the rule in its exact set;
 * "*.example.com" is the suffix example.com with the rule in its below set,
 * which covers the suffix itself and every name under it (the apex
 * matches, as most sandbox APIs have it). A name is matched by looking up
 * the name itself (exact and below sets) and then each shorter suffix at
 * a label boundary (below sets only): one lookup per label, whatever the
 * number of patterns. Suffixes are hashed from their last byte back, so
 * that one pass over a name, right to left, hashes all its suffixes.
 *
 * Suffixes point into the spec's pattern strings, which the compiled
 * policy owns along with this table.
 */
#include "domain.h"
#include "policy.h"

#define NO_SUFFIX	((u32)-1)

struct suffix {
	u32 hash;
	u32 next;			/* in its bucket, or NO_SUFFIX */
	const char *name;
	u32 len;
	struct sbxfw_rule_set exact;	/* rules naming the suffix itself */
	struct sbxfw_rule_set below;	/* rules naming "*." the suffix */
};

struct sbxfw_domains {
	u32 count;
	u32 mask;			/* buckets - 1 */
	u32 *buckets;			/* first suffix of each, or NO_SUFFIX */
	struct suffix *suffixes;
};

/* One more byte, to the left, of a suffix's hash. */
static u32 hash_left(u32 hash, char c)
{
	return sbxfw_fnv1a(hash, &c, 1);
}

static u32 suffix_hash(const char *name, size_t len)
{
	u32 hash = SBXFW_FNV1A_SEED;

	while (len--)
		hash = hash_left(hash, name[len]);
	return hash;
}

static const struct suffix *find(const struct sbxfw_domains *d,
				 const char *name, size_t len, u32 hash)
{
	u32 i;

	for (i = d->buckets[hash & d->mask]; i != NO_SUFFIX;
	     i = d->suffixes[i].next) {
		const struct suffix *s = &d->suffixes[i];

		if (s->hash == hash && s->len == len &&
		    !memcmp(s->name, name, len))
			return s;
	}
	return NULL;
}

static void set_rule(struct sbxfw_rule_set *set, unsigned int rule)
{
	set->bits[rule / 64] |= 1ULL << (rule % 64);
}

static void add(struct sbxfw_domains *d, const char *pattern,
		unsigned int rule)
{
	bool wild = pattern[0] == '*';
	const char *name = wild ? pattern + 2 : pattern;
	size_t len = strlen(name);
	u32 hash = suffix_hash(name, len);
	struct suffix *s = (struct suffix *)find(d, name, len, hash);

	if (!s) {
		s = &d->suffixes[d->count];
		memset(s, 0, sizeof(*s));
		s->hash = hash;
		s->name = name;
		s->len = len;
		s->next = d->buckets[hash & d->mask];
		d->buckets[hash & d->mask] = d->count++;
	}
	set_rule(wild ? &s->below : &s->exact, rule);
}

int sbxfw_domains_build(const struct sbxfw_policy_spec *spec,
			struct sbxfw_domains **domainsp)
{
	struct sbxfw_domains *d;
	u32 n = 0, buckets = 1, i, j;

	*domainsp = NULL;
	for (i = 0; i < spec->nrules; i++)
		if (spec->rules[i].direction == SBXFW_DIR_EGRESS)
			n += spec->rules[i].ndomains;
	if (!n)
		return 0;
	/* At most half full: chains stay short. */
	while (buckets < 2 * n)
		buckets <<= 1;
	d = sbxfw_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->mask = buckets - 1;
	d->buckets = sbxfw_alloc_array(buckets, sizeof(*d->buckets));
	d->suffixes = sbxfw_alloc_array(n, sizeof(*d->suffixes));
	if (!d->buckets || !d->suffixes) {
		sbxfw_domains_free(d);
		return -ENOMEM;
	}
	memset(d->buckets, 0xff, buckets * sizeof(*d->buckets));
	for (i = 0; i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *r = &spec->rules[i];

		if (r->direction != SBXFW_DIR_EGRESS)
			continue;
		for (j = 0; j < r->ndomains; j++)
			add(d, r->domains[j], i);
	}
	*domainsp = d;
	return 0;
}

/* Adds @add to @rules; false when @add is empty. */
static bool merge(struct sbxfw_rule_set *rules,
		  const struct sbxfw_rule_set *add)
{
	u64 any = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rules->bits); i++) {
		rules->bits[i] |= add->bits[i];
		any |= add->bits[i];
	}
	return any;
}

bool sbxfw_domains_match(const struct sbxfw_domains *domains,
			 const char *name, size_t len,
			 struct sbxfw_rule_set *rules)
{
	u32 hash = SBXFW_FNV1A_SEED;
	const struct suffix *s;
	bool any = false;
	size_t i = len;

	if (!domains || !len)
		return false;
	/* Right to left: at each label's start, the suffix from there. */
	while (i--) {
		hash = hash_left(hash, name[i]);
		if (i && name[i - 1] != '.')
			continue;
		s = find(domains, name + i, len - i, hash);
		if (!s)
			continue;
		if (!i && merge(rules, &s->exact))
			any = true;
		if (merge(rules, &s->below))
			any = true;
	}
	return any;
}

void sbxfw_domains_free(struct sbxfw_domains *domains)
{
	if (!domains)
		return;
	sbxfw_free(domains->buckets);
	sbxfw_free(domains->suffixes);
	sbxfw_free(domains);
}

u32 sbxfw_domains_count(const struct sbxfw_domains *domains)
{
	return domains ? domains->count : 0;
}
