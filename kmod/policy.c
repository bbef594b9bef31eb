// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled policies: a checked spec becomes per-rule match data plus one
 * address lookup per family (lpm.c) whose entries name the rules they
 * belong to, so a verdict costs one lookup and a walk over the few rules
 * whose addresses matched, however many rules and CIDRs the policy has.
 *
 * Presets are fixed address lists added to the same lookups; "public" is
 * the complement, per family, of every other preset. A rule with no
 * destination at all matches every address. Domain patterns compile to
 * domain.c's suffix table; they match a packet only through the names
 * its peer's address was learned under from DNS (learned.c).
 */
#include "policy.h"

struct preset {
	u32 flag;
	u8 family;
	u8 prefix_len;
	u8 addr[16];
};

/* Every preset but "public", which is what none of these cover. */
static const struct preset presets[] = {
	{ SBXFW_PRESET_F_PRIVATE, 4, 8, { 10 } },
	{ SBXFW_PRESET_F_PRIVATE, 4, 12, { 172, 16 } },
	{ SBXFW_PRESET_F_PRIVATE, 4, 16, { 192, 168 } },
	{ SBXFW_PRESET_F_PRIVATE, 4, 10, { 100, 64 } },		/* CGNAT */
	{ SBXFW_PRESET_F_PRIVATE, 6, 7, { 0xfc } },		/* ULA */
	{ SBXFW_PRESET_F_LOOPBACK, 4, 8, { 127 } },
	{ SBXFW_PRESET_F_LOOPBACK, 6, 128, { [15] = 1 } },
	{ SBXFW_PRESET_F_METADATA, 4, 32, { 169, 254, 169, 254 } },
	{ SBXFW_PRESET_F_METADATA, 6, 128,			/* fd00:ec2::254 */
	  { 0xfd, 0x00, 0x0e, 0xc2, [14] = 0x02, [15] = 0x54 } },
	{ SBXFW_PRESET_F_LINK_LOCAL, 4, 16, { 169, 254 } },
	{ SBXFW_PRESET_F_LINK_LOCAL, 6, 10, { 0xfe, 0x80 } },
	{ SBXFW_PRESET_F_MULTICAST, 4, 4, { 224 } },
	{ SBXFW_PRESET_F_MULTICAST, 6, 8, { 0xff } },
};

/* "public" is at most one range before, between and after the others. */
#define PUBLIC_RANGES_MAX	(ARRAY_SIZE(presets) + 1)

struct addr_range {
	u8 first[16];
	u8 last[16];
};

static unsigned int addr_len(int family)
{
	return family == 4 ? 4 : 16;
}

static void prefix_to_range(const u8 *addr, unsigned int prefix_len,
			    unsigned int len, struct addr_range *r)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int bits = prefix_len > i * 8 ? prefix_len - i * 8 : 0;
		u8 mask = bits >= 8 ? 0xff : (u8)(0xff00 >> bits);

		r->first[i] = addr[i] & mask;
		r->last[i] = addr[i] | (u8)~mask;
	}
}

static int range_cmp(const void *a, const void *b)
{
	return memcmp(((const struct addr_range *)a)->first,
		      ((const struct addr_range *)b)->first, 16);
}

/* Big-endian increment; false when it wrapped past the last address. */
static bool addr_inc(u8 *addr, unsigned int len)
{
	while (len--) {
		if (++addr[len])
			return true;
	}
	return false;
}

/* Big-endian decrement of a non-zero address. */
static void addr_dec(u8 *addr, unsigned int len)
{
	while (len--) {
		if (addr[len]--)
			return;
	}
}

/* The complement of all non-public presets of a family, as ranges. */
static unsigned int public_ranges(int family, struct addr_range *out)
{
	unsigned int len = addr_len(family), n = 0, nout = 0, i;
	struct addr_range taken[ARRAY_SIZE(presets)];
	u8 cursor[16] = { 0 };

	for (i = 0; i < ARRAY_SIZE(presets); i++) {
		if (presets[i].family != family)
			continue;
		memset(&taken[n], 0, sizeof(taken[n]));
		prefix_to_range(presets[i].addr, presets[i].prefix_len, len,
				&taken[n++]);
	}
	sbxfw_sort(taken, n, sizeof(taken[0]), range_cmp);

	for (i = 0; i < n; i++) {
		if (memcmp(taken[i].first, cursor, len) > 0) {
			memset(&out[nout], 0, sizeof(out[nout]));
			memcpy(out[nout].first, cursor, len);
			memcpy(out[nout].last, taken[i].first, len);
			addr_dec(out[nout].last, len);
			nout++;
		}
		if (memcmp(taken[i].last, cursor, len) >= 0) {
			memcpy(cursor, taken[i].last, len);
			if (!addr_inc(cursor, len))
				return nout;	/* the last preset ends the space */
		}
	}
	memset(&out[nout], 0, sizeof(out[nout]));
	memcpy(out[nout].first, cursor, len);
	memset(out[nout].last, 0xff, len);
	return nout + 1;
}

static bool rule_has_destination(const struct sbxfw_rule_spec *r)
{
	return r->presets || r->ncidrs4 || r->ncidrs6 || r->ndomains;
}

static u32 rule_presets(const struct sbxfw_rule_spec *r)
{
	return rule_has_destination(r) ? r->presets : SBXFW_PRESET_F_ANY;
}

/* Lookup entries one rule adds to a family: an upper bound is enough. */
static u32 rule_entries(const struct sbxfw_rule_spec *r, int family)
{
	u32 flags = rule_presets(r), n = 0;
	unsigned int i;

	if (flags & SBXFW_PRESET_F_ANY)
		n++;
	if (flags & SBXFW_PRESET_F_PUBLIC)
		n += PUBLIC_RANGES_MAX;
	for (i = 0; i < ARRAY_SIZE(presets); i++)
		if ((flags & presets[i].flag) && presets[i].family == family)
			n++;
	return n + (family == 4 ? r->ncidrs4 : r->ncidrs6);
}

static int add_presets(struct sbxfw_lpm_builder *b, int family, u32 flags,
		       unsigned int rule)
{
	static const u8 zero[16];
	struct addr_range pub[PUBLIC_RANGES_MAX];
	unsigned int i, n;
	int err;

	if (flags & SBXFW_PRESET_F_ANY) {
		err = sbxfw_lpm_add_prefix(b, zero, 0, rule);
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(presets); i++) {
		if (!(flags & presets[i].flag) || presets[i].family != family)
			continue;
		err = sbxfw_lpm_add_prefix(b, presets[i].addr,
					   presets[i].prefix_len, rule);
		if (err)
			return err;
	}
	if (!(flags & SBXFW_PRESET_F_PUBLIC))
		return 0;
	n = public_ranges(family, pub);
	for (i = 0; i < n; i++) {
		err = sbxfw_lpm_add_range(b, pub[i].first, pub[i].last, rule);
		if (err)
			return err;
	}
	return 0;
}

static int add_rule(struct sbxfw_lpm_builder *b4, struct sbxfw_lpm_builder *b6,
		    const struct sbxfw_rule_spec *r, unsigned int rule)
{
	u32 flags = rule_presets(r), i;
	int err;

	err = add_presets(b4, 4, flags, rule);
	if (err)
		return err;
	err = add_presets(b6, 6, flags, rule);
	if (err)
		return err;
	for (i = 0; i < r->ncidrs4; i++) {
		err = sbxfw_lpm_add_prefix(b4, &r->cidrs4[i].addr,
					   r->cidrs4[i].prefix, rule);
		if (err)
			return err;
	}
	for (i = 0; i < r->ncidrs6; i++) {
		err = sbxfw_lpm_add_prefix(b6, r->cidrs6[i].addr,
					   r->cidrs6[i].prefix, rule);
		if (err)
			return err;
	}
	return 0;
}

static int build_lookups(struct sbxfw_policy *p, const struct sbxfw_policy_spec *spec)
{
	struct sbxfw_lpm_builder *b4 = NULL, *b6 = NULL;
	u32 n4 = 0, n6 = 0, i;
	int err;

	for (i = 0; i < spec->nrules; i++) {
		n4 += rule_entries(&spec->rules[i], 4);
		n6 += rule_entries(&spec->rules[i], 6);
	}
	err = sbxfw_lpm_builder_new(&b4, 4, n4);
	if (err)
		return err;
	err = sbxfw_lpm_builder_new(&b6, 6, n6);
	if (err)
		goto err_builders;
	for (i = 0; i < spec->nrules; i++) {
		err = add_rule(b4, b6, &spec->rules[i], i);
		if (err)
			goto err_builders;
	}
	err = sbxfw_lpm_build(b4, &p->lpm4);
	b4 = NULL;
	if (err)
		goto err_builders;
	err = sbxfw_lpm_build(b6, &p->lpm6);
	b6 = NULL;
	if (err)
		goto err_builders;
	return 0;

err_builders:
	if (b4)
		sbxfw_lpm_builder_free(b4);
	if (b6)
		sbxfw_lpm_builder_free(b6);
	return err;
}

int sbxfw_policy_compile(struct sbxfw_policy_spec *spec,
			 struct sbxfw_policy **policyp, const char **why)
{
	struct sbxfw_policy *p;
	int bad_rule, err;
	u32 i;

	err = sbxfw_spec_check(spec, why, &bad_rule);
	if (err)
		return err;

	p = sbxfw_zalloc(sizeof(*p));
	if (unlikely(!p))
		goto err_nomem;
	p->mode = spec->mode;
	p->default_action = spec->default_action;
	p->dns.min_ttl = spec->dns.min_ttl ?: SBXFW_DNS_MIN_TTL_DEFAULT;
	p->dns.max_ttl = spec->dns.max_ttl ?: SBXFW_DNS_MAX_TTL_DEFAULT;
	/* A minimum above the default maximum raises it. */
	if (p->dns.max_ttl < p->dns.min_ttl)
		p->dns.max_ttl = p->dns.min_ttl;
	p->dns.max_learned = spec->dns.max_learned ?:
			     SBXFW_DNS_MAX_LEARNED_DEFAULT;
	p->dns.allow_rebinding = spec->dns.allow_rebinding;
	p->filters_ingress = spec->mode == SBXFW_MODE_DENY_ALL;
	p->nrules = spec->nrules;
	if (spec->nrules) {
		p->rules = sbxfw_alloc_array(spec->nrules, sizeof(*p->rules));
		if (unlikely(!p->rules))
			goto err_nomem;
	}
	for (i = 0; i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *rs = &spec->rules[i];
		struct sbxfw_rule *r = &p->rules[i];

		r->action = rs->action;
		r->direction = rs->direction;
		if (rs->direction == SBXFW_DIR_INGRESS)
			p->filters_ingress = true;
		r->protocols = rs->protocols;
		/* Ports belong to TCP and UDP: say so, whatever carries them. */
		if (rs->nports && !rs->protocols)
			r->protocols = SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP;
		r->nports = rs->nports;
		r->ports = rs->ports;
		/* "any" names no address in particular. */
		if (rs->action == SBXFW_ACTION_ALLOW &&
		    rs->direction == SBXFW_DIR_EGRESS &&
		    ((rs->presets & ~SBXFW_PRESET_F_ANY) || rs->ncidrs4 ||
		     rs->ncidrs6))
			p->addressed_allow.bits[i / 64] |= 1ULL << (i % 64);
	}

	err = sbxfw_domains_build(spec, &p->domains);
	if (err)
		goto err_nomem;
	err = build_lookups(p, spec);
	if (err) {
		*why = err == -ENOMEM ? "out of memory compiling the policy" :
					"the policy's addresses cannot be compiled";
		goto err_policy;
	}
	p->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	*policyp = p;
	return 0;

err_nomem:
	*why = "out of memory compiling the policy";
	err = -ENOMEM;
err_policy:
	if (p) {
		sbxfw_lpm_free(p->lpm4);
		sbxfw_lpm_free(p->lpm6);
		sbxfw_domains_free(p->domains);
		sbxfw_free(p->rules);
		sbxfw_free(p);
	}
	return err;
}

static u32 protocol_flag(u8 protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return SBXFW_PROTO_F_TCP;
	case IPPROTO_UDP:
		return SBXFW_PROTO_F_UDP;
	case IPPROTO_ICMP:
		return SBXFW_PROTO_F_ICMP;
	case IPPROTO_ICMPV6:
		return SBXFW_PROTO_F_ICMPV6;
	default:
		return 0;
	}
}

static bool rule_matches(const struct sbxfw_rule *r,
			 const struct sbxfw_pkt *pkt)
{
	u32 i;

	if (r->direction != pkt->direction)
		return false;
	if (r->protocols && !(r->protocols & protocol_flag(pkt->protocol)))
		return false;
	if (!r->nports)
		return true;
	if (!pkt->has_port)
		return false;
	for (i = 0; i < r->nports; i++)
		if (pkt->port >= r->ports[i].first &&
		    pkt->port <= r->ports[i].last)
			return true;
	return false;
}

enum sbxfw_action sbxfw_policy_eval(const struct sbxfw_policy *policy,
				    const struct sbxfw_pkt *pkt, int *rule)
{
	const struct sbxfw_rule_set *set;
	struct sbxfw_rule_set both;
	unsigned int word;

	*rule = SBXFW_VERDICT_DEFAULT;
	if (pkt->loopback || policy->mode == SBXFW_MODE_ALLOW_ALL)
		return SBXFW_ACTION_ALLOW;
	if (policy->mode == SBXFW_MODE_DENY_ALL)
		return SBXFW_ACTION_DENY;

	set = sbxfw_lpm_lookup(pkt->family == 4 ? policy->lpm4 : policy->lpm6,
			       pkt->peer);
	if (pkt->learned) {
		for (word = 0; word < ARRAY_SIZE(both.bits); word++)
			both.bits[word] = pkt->learned->bits[word] |
					  (set ? set->bits[word] : 0);
		set = &both;
	}
	if (!set)
		return policy->default_action;

	/* Bits in rule order: the first rule that matches decides. */
	for (word = 0; word < ARRAY_SIZE(set->bits); word++) {
		u64 bits = set->bits[word];

		while (bits) {
			unsigned int i = word * 64 + sbxfw_ctz64(bits);

			bits &= bits - 1;
			if (i < policy->nrules &&
			    rule_matches(&policy->rules[i], pkt)) {
				*rule = i;
				return policy->rules[i].action;
			}
		}
	}
	return policy->default_action;
}

enum sbxfw_action sbxfw_policy_eval_name(const struct sbxfw_policy *policy,
					 const char *name, size_t len,
					 int *rule)
{
	struct sbxfw_rule_set set = { };
	unsigned int word;

	*rule = SBXFW_VERDICT_DEFAULT;
	if (policy->mode == SBXFW_MODE_ALLOW_ALL)
		return SBXFW_ACTION_ALLOW;
	if (policy->mode == SBXFW_MODE_DENY_ALL)
		return SBXFW_ACTION_DENY;
	if (!sbxfw_domains_match(policy->domains, name, len, &set))
		return policy->default_action;
	/* Only egress rules have patterns: the lowest bit decides. */
	for (word = 0; word < ARRAY_SIZE(set.bits); word++) {
		if (set.bits[word]) {
			*rule = word * 64 + sbxfw_ctz64(set.bits[word]);
			return policy->rules[*rule].action;
		}
	}
	return policy->default_action;
}

static bool in_prefix(const u8 *addr, const u8 *prefix, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		if (addr[i] != prefix[i])
			return false;
	return !(len % 8) ||
	       !((addr[i] ^ prefix[i]) & (u8)(0xff00 >> (len % 8)));
}

/* Internal besides the presets: what a public name has no business being. */
static const struct preset internal[] = {
	{ 0, 4, 8, { 0 } },				/* "this network" */
	{ 0, 4, 24, { 224 } },				/* link-local multicast */
	{ 0, 4, 4, { 240 } },				/* reserved, broadcast */
	{ 0, 6, 128, { 0 } },				/* unspecified */
	{ 0, 6, 96, { [10] = 0xff, [11] = 0xff } },	/* IPv4-mapped */
	{ 0, 6, 16, { 0xff, 0x02 } },			/* link-local multicast */
	{ 0, 6, 10, { 0xfe, 0xc0 } },			/* site-local */
	{ 0, 6, 48, { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 } },	/* local NAT64 */
};

static bool in_list(const struct preset *list, unsigned int n, u8 family,
		    const u8 *addr, bool multicast)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i].family == family &&
		    (multicast || !(list[i].flag & SBXFW_PRESET_F_MULTICAST)) &&
		    in_prefix(addr, list[i].addr, list[i].prefix_len))
			return true;
	return false;
}

bool sbxfw_addr_internal(u8 family, const void *addr)
{
	/* 64:ff9b::/96 reaches the IPv4 address it embeds (NAT64). */
	static const u8 nat64[16] = { 0x00, 0x64, 0xff, 0x9b };
	const u8 *a = addr;

	if (family == 6 && in_prefix(a, nat64, 96)) {
		family = 4;
		a += 12;
	}
	/* Multicast at large is no rebinding target; its link-local part is. */
	return in_list(presets, ARRAY_SIZE(presets), family, a, false) ||
	       in_list(internal, ARRAY_SIZE(internal), family, a, true);
}

bool sbxfw_policy_names_addr(const struct sbxfw_policy *policy, u8 family,
			     const void *addr)
{
	const struct sbxfw_rule_set *set;
	unsigned int word;

	set = sbxfw_lpm_lookup(family == 4 ? policy->lpm4 : policy->lpm6, addr);
	for (word = 0; set && word < ARRAY_SIZE(set->bits); word++)
		if (set->bits[word] & policy->addressed_allow.bits[word])
			return true;
	return false;
}

bool sbxfw_policy_rebinds(const struct sbxfw_policy *policy, u8 family,
			  const void *addr)
{
	return !policy->dns.allow_rebinding &&
	       sbxfw_addr_internal(family, addr) &&
	       !sbxfw_policy_names_addr(policy, family, addr);
}

void sbxfw_policy_free(struct sbxfw_policy *policy)
{
	if (!policy)
		return;
	sbxfw_lpm_free(policy->lpm4);
	sbxfw_lpm_free(policy->lpm6);
	sbxfw_domains_free(policy->domains);
	sbxfw_free(policy->rules);
	sbxfw_spec_release(&policy->spec);
	sbxfw_free(policy);
}
