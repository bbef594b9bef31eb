// SPDX-License-Identifier: GPL-2.0
/*
 * Policy specs as set and got: every value and limit checked before a spec
 * is compiled (by the module on what it is sent, by sbxfwctl on what it is
 * about to send), the syntax of domain patterns, and the release of a
 * spec's arrays. Pure: the same file builds into the module and sbxfwctl,
 * so both refuse exactly the same specs with the same words.
 */
#include "policy.h"

#define SBXFW_PROTO_F_PORTS	(SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP)

/*
 * extack messages are string literals, so they spell the limits out; the
 * unit tests of sbxfwctl fail when a limit and its message part ways.
 */
static int bad(const char **why, const char *msg, int err)
{
	*why = msg;
	return err;
}

static bool ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/*
 * Lower-case LDH labels of 1..63 bytes that neither start nor end with
 * '-', at least two of them, the last not all digits (so that no address
 * passes for a name), no final dot, at most SBXFW_MAX_DOMAIN_LEN bytes in
 * all; optionally "*." in front, which makes the pattern match its apex
 * and every name below it.
 */
bool sbxfw_domain_valid(const char *pattern, size_t len)
{
	bool numeric = true;
	size_t i, label = 0;
	unsigned int labels = 0;

	if (len > SBXFW_MAX_DOMAIN_LEN)
		return false;
	if (len >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		pattern += 2;
		len -= 2;
	}
	for (i = 0; i < len; i++) {
		char c = pattern[i];

		if (c == '.') {
			if (!label || pattern[i - 1] == '-')
				return false;
			labels++;
			label = 0;
			numeric = true;
			continue;
		}
		if (!ldh(c) || (!label && c == '-') || ++label > 63)
			return false;
		if (c < '0' || c > '9')
			numeric = false;
	}
	if (!label || pattern[len - 1] == '-' || numeric)
		return false;
	return labels + 1 >= 2;
}

static int check_ports(const struct sbxfw_rule_spec *r, const char **why)
{
	u32 i;

	if (!r->nports)
		return 0;
	if (r->nports > SBXFW_MAX_PORT_RANGES)
		return bad(why, "a rule has at most 64 port ranges", -E2BIG);
	if (!r->ports)
		return bad(why, "a rule's port ranges are missing", -EINVAL);
	for (i = 0; i < r->nports; i++) {
		if (!r->ports[i].first)
			return bad(why, "port 0 is not a destination port",
				   -EINVAL);
		if (r->ports[i].first > r->ports[i].last)
			return bad(why, "a port range ends before it starts",
				   -EINVAL);
	}
	if (r->protocols & ~SBXFW_PROTO_F_PORTS)
		return bad(why, "a rule with ports can match only TCP and UDP",
			   -EINVAL);
	return 0;
}

static int check_cidrs4(const struct sbxfw_rule_spec *r, const char **why)
{
	u32 i;

	if (r->ncidrs4 && !r->cidrs4)
		return bad(why, "a rule's IPv4 CIDRs are missing", -EINVAL);
	for (i = 0; i < r->ncidrs4; i++) {
		const struct sbxfw_cidr4 *c = &r->cidrs4[i];

		if (c->prefix > 32)
			return bad(why, "an IPv4 prefix is longer than 32 bits",
				   -EINVAL);
		if (c->prefix < 32 &&
		    (be32_to_cpu(c->addr) & (0xffffffffU >> c->prefix)))
			return bad(why, "an IPv4 CIDR has host bits set",
				   -EINVAL);
		if (c->pad[0] | c->pad[1] | c->pad[2])
			return bad(why, "an IPv4 CIDR's padding is not zero",
				   -EINVAL);
	}
	return 0;
}

static bool host_bits6(const struct sbxfw_cidr6 *c)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		unsigned int bits = c->prefix > i * 8 ? c->prefix - i * 8 : 0;
		u8 mask = bits >= 8 ? 0xff : (u8)(0xff00 >> bits);

		if (c->addr[i] & (u8)~mask)
			return true;
	}
	return false;
}

static int check_cidrs6(const struct sbxfw_rule_spec *r, const char **why)
{
	u32 i;

	if (r->ncidrs6 && !r->cidrs6)
		return bad(why, "a rule's IPv6 CIDRs are missing", -EINVAL);
	for (i = 0; i < r->ncidrs6; i++) {
		const struct sbxfw_cidr6 *c = &r->cidrs6[i];

		if (c->prefix > 128)
			return bad(why, "an IPv6 prefix is longer than 128 bits",
				   -EINVAL);
		if (host_bits6(c))
			return bad(why, "an IPv6 CIDR has host bits set",
				   -EINVAL);
		if (c->pad[0] | c->pad[1] | c->pad[2])
			return bad(why, "an IPv6 CIDR's padding is not zero",
				   -EINVAL);
	}
	return 0;
}

static int check_domains(const struct sbxfw_rule_spec *r, const char **why)
{
	u32 i;

	if (r->ndomains && !r->domains)
		return bad(why, "a rule's domains are missing", -EINVAL);
	/* Domains become addresses only as answers to the sandbox's queries. */
	if (r->ndomains && r->direction == SBXFW_DIR_INGRESS)
		return bad(why,
			   "an ingress rule cannot name domains: they match destinations the sandbox resolves",
			   -EINVAL);
	for (i = 0; i < r->ndomains; i++) {
		const char *d = r->domains[i];
		size_t len = d ? strnlen(d, SBXFW_MAX_DOMAIN_LEN + 1) : 0;

		if (!d || !sbxfw_domain_valid(d, len))
			return bad(why,
				   "a domain pattern is not lower-case labels of a-z, 0-9 and '-', at least two, optionally after \"*.\"",
				   -EINVAL);
	}
	return 0;
}

static int check_rule(const struct sbxfw_rule_spec *r, const char **why)
{
	int err;

	if (r->action > SBXFW_ACTION_MAX)
		return bad(why, "a rule's action is not allow or deny", -EINVAL);
	if (r->direction > SBXFW_DIR_MAX)
		return bad(why, "a rule's direction is not egress or ingress",
			   -EINVAL);
	if (r->protocols & ~SBXFW_PROTO_F_ALL)
		return bad(why, "a rule names an unknown protocol", -EINVAL);
	if (r->presets & ~SBXFW_PRESET_F_ALL)
		return bad(why, "a rule names an unknown preset", -EINVAL);
	err = check_ports(r, why);
	if (err)
		return err;
	err = check_cidrs4(r, why);
	if (err)
		return err;
	err = check_cidrs6(r, why);
	if (err)
		return err;
	return check_domains(r, why);
}

bool sbxfw_ifname_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= SBXFW_IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
			return false;
	}
	return !name[len];
}

static int check_inside(const struct sbxfw_policy_spec *spec, const char **why)
{
	u32 i, j;

	if (!spec->ninside)
		return 0;
	if (spec->mode != SBXFW_MODE_CUSTOM)
		return bad(why, "only a custom policy names inside devices",
			   -EINVAL);
	if (spec->ninside > SBXFW_MAX_INSIDE_DEVS)
		return bad(why, "a policy names at most 8 inside devices",
			   -E2BIG);
	if (!spec->inside)
		return bad(why, "the policy's inside devices are missing",
			   -EINVAL);
	for (i = 0; i < spec->ninside; i++) {
		const char *name = spec->inside[i];

		if (!sbxfw_ifname_valid(name, strnlen(name, SBXFW_IFNAMSIZ)))
			return bad(why,
				   "an inside device's name is not 1-15 printable characters without '/', ':' or spaces",
				   -EINVAL);
		for (j = 0; j < i; j++)
			if (!strcmp(name, spec->inside[j]))
				return bad(why,
					   "an inside device is named twice",
					   -EINVAL);
	}
	return 0;
}

static int check_dns(const struct sbxfw_dns_options *dns, const char **why)
{
	u32 min_ttl = dns->min_ttl ?: SBXFW_DNS_MIN_TTL_DEFAULT;

	if (dns->min_ttl > 24 * 60 * 60)
		return bad(why, "dns min_ttl is at most 86400 seconds", -EINVAL);
	if (dns->max_ttl > SBXFW_DNS_TTL_LIMIT)
		return bad(why, "dns max_ttl is at most 604800 seconds", -EINVAL);
	if (dns->max_ttl && dns->max_ttl < min_ttl)
		return bad(why, "dns max_ttl is below min_ttl (60 unless set)",
			   -EINVAL);
	if (dns->max_learned > SBXFW_DNS_MAX_LEARNED_LIMIT)
		return bad(why, "dns max_learned is at most 65536", -E2BIG);
	return 0;
}

int sbxfw_spec_check(const struct sbxfw_policy_spec *spec, const char **why,
		     int *bad_rule)
{
	u64 ncidrs = 0, ndomains = 0;
	u32 i;
	int err;

	*bad_rule = -1;
	if (spec->mode > SBXFW_MODE_MAX)
		return bad(why, "the mode is not allow-all, deny-all or custom",
			   -EINVAL);
	if (spec->default_action > SBXFW_ACTION_MAX)
		return bad(why, "the default action is not allow or deny",
			   -EINVAL);
	if (spec->mode != SBXFW_MODE_CUSTOM && spec->nrules)
		return bad(why, "only a custom policy has rules", -EINVAL);
	if (spec->nrules > SBXFW_MAX_RULES)
		return bad(why, "a policy has at most 256 rules", -E2BIG);
	if (spec->nrules && !spec->rules)
		return bad(why, "the policy's rules are missing", -EINVAL);
	err = check_inside(spec, why);
	if (err)
		return err;
	err = check_dns(&spec->dns, why);
	if (err)
		return err;

	for (i = 0; i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *r = &spec->rules[i];

		ncidrs += (u64)r->ncidrs4 + r->ncidrs6;
		if (ncidrs > SBXFW_MAX_CIDRS)
			return bad(why, "a policy has at most 1048576 CIDRs",
				   -E2BIG);
		ndomains += r->ndomains;
		if (ndomains > SBXFW_MAX_DOMAINS)
			return bad(why, "a policy has at most 16384 domains",
				   -E2BIG);
		err = check_rule(r, why);
		if (err) {
			*bad_rule = i;
			return err;
		}
	}
	return 0;
}

void sbxfw_spec_release(struct sbxfw_policy_spec *spec)
{
	u32 i, j;

	for (i = 0; spec->rules && i < spec->nrules; i++) {
		struct sbxfw_rule_spec *r = &spec->rules[i];

		sbxfw_free(r->ports);
		sbxfw_free(r->cidrs4);
		sbxfw_free(r->cidrs6);
		for (j = 0; r->domains && j < r->ndomains; j++)
			sbxfw_free(r->domains[j]);
		sbxfw_free(r->domains);
	}
	sbxfw_free(spec->rules);
	sbxfw_free(spec->inside);
	memset(spec, 0, sizeof(*spec));
}
