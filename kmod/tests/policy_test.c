// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: policy compilation and evaluation (kmod/policy.c, kmod/spec.c):
 * first-match order, the implied protocols of port rules, every limit of
 * a spec with its own error, and a randomized cross-check of the packet
 * verdict against a naive first-match evaluator.
 */
#include "../policy.c"
#include "../spec.c"

#include <kunit/test.h>
#include <linux/prandom.h>

#include "kunit.h"

#define T_MAX_RULES	300

struct t_policy {
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec *rules;
};

void sbxfw_t_spec_init(struct kunit *test, struct sbxfw_policy_spec *spec,
		       u8 mode, u8 dflt, u32 nrules)
{
	memset(spec, 0, sizeof(*spec));
	spec->mode = mode;
	spec->default_action = dflt;
	spec->nrules = nrules;
	if (nrules) {
		/* Freed by sbxfw_spec_release(), as the module's specs are. */
		spec->rules = sbxfw_zalloc(nrules * sizeof(*spec->rules));
		KUNIT_ASSERT_NOT_NULL(test, spec->rules);
	}
}

void sbxfw_t_add_cidr4(struct kunit *test, struct sbxfw_rule_spec *r,
		       u32 addr, u8 prefix)
{
	struct sbxfw_cidr4 *c = sbxfw_alloc_array(r->ncidrs4 + 1, sizeof(*c));

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (r->ncidrs4)
		memcpy(c, r->cidrs4, r->ncidrs4 * sizeof(*c));
	sbxfw_free(r->cidrs4);
	memset(&c[r->ncidrs4], 0, sizeof(*c));
	c[r->ncidrs4].addr = cpu_to_be32(addr);
	c[r->ncidrs4].prefix = prefix;
	r->cidrs4 = c;
	r->ncidrs4++;
}

static void add_ports(struct kunit *test, struct sbxfw_rule_spec *r,
		      u16 first, u16 last)
{
	struct sbxfw_port_range *p = sbxfw_alloc_array(r->nports + 1,
						       sizeof(*p));

	KUNIT_ASSERT_NOT_NULL(test, p);
	if (r->nports)
		memcpy(p, r->ports, r->nports * sizeof(*p));
	sbxfw_free(r->ports);
	p[r->nports].first = first;
	p[r->nports].last = last;
	r->ports = p;
	r->nports++;
}

/* Compiles @spec (then owned by the policy) or fails the test. */
struct sbxfw_policy *sbxfw_t_compile(struct kunit *test,
				     struct sbxfw_policy_spec *spec)
{
	struct sbxfw_policy *p = NULL;
	const char *why = NULL;
	int err;

	err = sbxfw_policy_compile(spec, &p, &why);
	if (err) {
		sbxfw_spec_release(spec);
		KUNIT_FAIL(test, "compile: %d (%s)", err, why ? why : "");
		return NULL;
	}
	KUNIT_EXPECT_NULL(test, spec->rules);
	return p;
}

static int eval4(const struct sbxfw_policy *p, u32 addr, u8 proto, int port,
		 int *rule)
{
	__be32 peer = cpu_to_be32(addr);
	struct sbxfw_pkt pkt = {
		.family = 4,
		.direction = SBXFW_DIR_EGRESS,
		.protocol = proto,
		.has_port = port >= 0,
		.port = port >= 0 ? port : 0,
		.peer = &peer,
	};

	return sbxfw_policy_eval(p, &pkt, rule);
}

#define A4(a, b, c, d)	((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* The first rule that matches decides, whatever the later ones say. */
static void policy_first_match(struct kunit *test)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_policy *p;
	int rule;

	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 4);
	/* 0: deny 10.1.0.0/16 tcp 22 */
	spec.rules[0].action = SBXFW_ACTION_DENY;
	spec.rules[0].protocols = SBXFW_PROTO_F_TCP;
	sbxfw_t_add_cidr4(test, &spec.rules[0], A4(10, 1, 0, 0), 16);
	add_ports(test, &spec.rules[0], 22, 22);
	/* 1: allow 10.0.0.0/8 ports 1-1000 (TCP and UDP implied) */
	spec.rules[1].action = SBXFW_ACTION_ALLOW;
	sbxfw_t_add_cidr4(test, &spec.rules[1], A4(10, 0, 0, 0), 8);
	add_ports(test, &spec.rules[1], 1, 1000);
	/* 2: deny 10.2.3.4/32, any protocol: shadowed by 1 for its ports */
	spec.rules[2].action = SBXFW_ACTION_DENY;
	sbxfw_t_add_cidr4(test, &spec.rules[2], A4(10, 2, 3, 4), 32);
	/* 3: allow anything (no destination: every address) over ICMP */
	spec.rules[3].action = SBXFW_ACTION_ALLOW;
	spec.rules[3].protocols = SBXFW_PROTO_F_ICMP;
	p = sbxfw_t_compile(test, &spec);
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 1, 2, 3), IPPROTO_TCP, 22, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, rule, 0);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 1, 2, 3), IPPROTO_UDP, 22, &rule),
			SBXFW_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 2, 3, 4), IPPROTO_TCP, 80, &rule),
			SBXFW_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 1);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 2, 3, 4), IPPROTO_TCP, 1001, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, rule, 2);
	/* Port rules never match what has no port. */
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 9, 9, 9), IPPROTO_ICMP, -1, &rule),
			SBXFW_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 3);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 2, 3, 4), IPPROTO_ICMP, -1, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, rule, 2);
	/* Ports imply TCP and UDP: another protocol with a port misses. */
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 9, 9, 9), 132, 80, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, rule, SBXFW_VERDICT_DEFAULT);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(11, 0, 0, 1), IPPROTO_TCP, 80, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, rule, SBXFW_VERDICT_DEFAULT);
	sbxfw_policy_free(p);
}

/* Naive evaluator over the spec: each rule in order, on its own. */
static bool naive_in4(const struct sbxfw_rule_spec *r, u32 addr)
{
	u32 i;

	if (!r->ncidrs4 && !r->ncidrs6 && !r->presets && !r->ndomains)
		return true;
	for (i = 0; i < r->ncidrs4; i++) {
		u8 plen = r->cidrs4[i].prefix;
		u32 mask = plen ? ~0U << (32 - plen) : 0;

		if ((addr & mask) == be32_to_cpu(r->cidrs4[i].addr))
			return true;
	}
	return false;
}

static int naive_eval(const struct sbxfw_policy_spec *spec, u8 dir, u32 addr,
		      u8 proto, int port, int *rule)
{
	u32 i, j;

	for (i = 0; i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *r = &spec->rules[i];
		u32 protos = r->protocols;
		bool port_ok = !r->nports;

		if (r->direction != dir || !naive_in4(r, addr))
			continue;
		if (!protos && r->nports)
			protos = SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP;
		if (protos && !(protos & protocol_flag(proto)))
			continue;
		for (j = 0; port >= 0 && j < r->nports; j++)
			if (port >= r->ports[j].first && port <= r->ports[j].last)
				port_ok = true;
		if (!port_ok)
			continue;
		*rule = i;
		return r->action;
	}
	*rule = SBXFW_VERDICT_DEFAULT;
	return spec->default_action;
}

static void policy_random(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 47 };
	struct sbxfw_policy_spec spec, *copy;
	unsigned int round, i, j, checked = 0, decided = 0, late = 0;
	struct sbxfw_policy *p;
	struct rnd_state rnd;

	copy = kunit_kzalloc(test, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	prandom_seed_state(&rnd, 42);
	for (round = 0; round < 8; round++) {
		u32 nrules = 1 + prandom_u32_state(&rnd) % SBXFW_MAX_RULES;

		sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM,
				  prandom_u32_state(&rnd) % 2, nrules);
		for (i = 0; i < nrules; i++) {
			struct sbxfw_rule_spec *r = &spec.rules[i];
			/* Few rules without a destination: they match all. */
			unsigned int n = prandom_u32_state(&rnd) % 16 ?
					 1 + prandom_u32_state(&rnd) % 3 : 0;

			r->action = prandom_u32_state(&rnd) % 2;
			r->direction = prandom_u32_state(&rnd) % 8 ?
				       SBXFW_DIR_EGRESS : SBXFW_DIR_INGRESS;
			/* ... and only for ICMP, so that TCP and UDP go on. */
			if (!n)
				r->protocols = SBXFW_PROTO_F_ICMP;
			for (j = 0; j < n; j++) {
				u8 plen = 20 + prandom_u32_state(&rnd) % 13;
				u32 a = A4(10, prandom_u32_state(&rnd) % 8,
					   prandom_u32_state(&rnd) % 16,
					   prandom_u32_state(&rnd) % 256);

				sbxfw_t_add_cidr4(test, r, a & (~0U << (32 - plen)),
						  plen);
			}
			if (!n) {
				/* ICMP only, set above */
			} else if (!(prandom_u32_state(&rnd) % 3)) {
				u16 first = 1 + prandom_u32_state(&rnd) % 100;

				add_ports(test, r, first,
					  first + prandom_u32_state(&rnd) % 20);
				r->protocols = prandom_u32_state(&rnd) % 3;
			} else if (!(prandom_u32_state(&rnd) % 3)) {
				r->protocols = 1 + prandom_u32_state(&rnd) %
						   SBXFW_PROTO_F_ALL;
			}
		}
		/* The reference reads a copy the compiled policy owns. */
		*copy = spec;
		p = sbxfw_t_compile(test, &spec);
		KUNIT_ASSERT_NOT_NULL(test, p);
		for (i = 0; i < 3000; i++) {
			/* 10.8.x.x: in no rule's CIDRs */
			u32 a = A4(10, prandom_u32_state(&rnd) % 9,
				   prandom_u32_state(&rnd) % 16,
				   prandom_u32_state(&rnd) % 256);
			u8 proto = protos[prandom_u32_state(&rnd) % 4];
			int port = proto == IPPROTO_TCP || proto == IPPROTO_UDP ?
				   (int)(prandom_u32_state(&rnd) % 128) : -1;
			int got_rule, want_rule, got, want;

			got = eval4(p, a, proto, port, &got_rule);
			want = naive_eval(copy, SBXFW_DIR_EGRESS, a, proto, port,
					  &want_rule);
			checked++;
			decided += want_rule != SBXFW_VERDICT_DEFAULT;
			late += want_rule >= 64;
			if (got != want || got_rule != want_rule) {
				KUNIT_FAIL(test,
					   "round %u: %pI4h proto %u port %d: got %d (rule %d), want %d (rule %d)",
					   round, &a, proto, port, got, got_rule,
					   want, want_rule);
				break;
			}
		}
		sbxfw_policy_free(p);
	}
	KUNIT_EXPECT_GT(test, decided, checked / 4);
	KUNIT_EXPECT_LT(test, decided, checked);
	kunit_info(test, "%u packets, %u decided by a rule, %u by rule 64 or later",
		   checked, decided, late);
}

static void policy_modes(struct kunit *test)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_policy *p;
	int rule;

	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_ALLOW_ALL, SBXFW_ACTION_DENY, 0);
	p = sbxfw_t_compile(test, &spec);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(1, 2, 3, 4), IPPROTO_TCP, 1, &rule),
			SBXFW_ACTION_ALLOW);
	sbxfw_policy_free(p);

	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_DENY_ALL, SBXFW_ACTION_ALLOW, 0);
	p = sbxfw_t_compile(test, &spec);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(1, 2, 3, 4), IPPROTO_TCP, 1, &rule),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_TRUE(test, p->filters_ingress);
	sbxfw_policy_free(p);
}

/* @spec must fail the check with @err; it is released either way. */
static void expect_refused(struct kunit *test, struct sbxfw_policy_spec *spec,
			   int err, int bad_rule, const char *what)
{
	struct sbxfw_policy *p = NULL;
	const char *why = NULL;
	int got_rule = -2;

	KUNIT_EXPECT_EQ_MSG(test, sbxfw_spec_check(spec, &why, &got_rule), err,
			    "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, got_rule, bad_rule, "%s", what);
	KUNIT_EXPECT_NOT_NULL_MSG(test, why, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, sbxfw_policy_compile(spec, &p, &why), err,
			    "%s", what);
	KUNIT_EXPECT_NULL(test, p);
	sbxfw_spec_release(spec);
}

static char *kstr(struct kunit *test, const char *s)
{
	char *d = sbxfw_alloc(strlen(s) + 1);

	KUNIT_ASSERT_NOT_NULL(test, d);
	strcpy(d, s);
	return d;
}

static void set_domain(struct kunit *test, struct sbxfw_rule_spec *r,
		       const char *name)
{
	r->domains = sbxfw_zalloc(sizeof(*r->domains));
	KUNIT_ASSERT_NOT_NULL(test, r->domains);
	r->domains[0] = kstr(test, name);
	r->ndomains = 1;
}

static void policy_limits(struct kunit *test)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_policy *p;
	char *name;
	int rule;
	u32 i;

	/* 256 rules compile, 257 do not. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY,
			  SBXFW_MAX_RULES);
	for (i = 0; i < SBXFW_MAX_RULES; i++)
		sbxfw_t_add_cidr4(test, &spec.rules[i], A4(10, 0, i, 0), 24);
	p = sbxfw_t_compile(test, &spec);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, eval4(p, A4(10, 0, 255, 1), IPPROTO_UDP, 53,
				    &rule),
			SBXFW_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, rule, 255);
	sbxfw_policy_free(p);
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY,
			  SBXFW_MAX_RULES + 1);
	expect_refused(test, &spec, -E2BIG, -1, "257 rules");

	/* 64 port ranges in a rule, not 65. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 2);
	for (i = 0; i < SBXFW_MAX_PORT_RANGES; i++)
		add_ports(test, &spec.rules[0], i * 10 + 1, i * 10 + 2);
	for (i = 0; i <= SBXFW_MAX_PORT_RANGES; i++)
		add_ports(test, &spec.rules[1], i * 10 + 1, i * 10 + 2);
	{
		const char *why;
		int bad;

		KUNIT_EXPECT_NE(test, sbxfw_spec_check(&spec, &why, &bad), 0);
		KUNIT_EXPECT_EQ(test, bad, 1);
	}
	sbxfw_spec_release(&spec);

	/* Counts are checked before any array is read. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 2);
	sbxfw_t_add_cidr4(test, &spec.rules[0], A4(10, 0, 0, 0), 8);
	spec.rules[1].ncidrs4 = SBXFW_MAX_CIDRS;	/* one too many in all */
	spec.rules[1].cidrs4 = ZERO_SIZE_PTR;
	expect_refused(test, &spec, -E2BIG, -1, "1048577 CIDRs");

	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 1);
	spec.rules[0].ndomains = SBXFW_MAX_DOMAINS + 1;
	spec.rules[0].domains = ZERO_SIZE_PTR;
	/* sbxfw_spec_release() would walk the bogus array: undo first. */
	{
		const char *why;
		int bad;

		KUNIT_EXPECT_EQ(test, sbxfw_spec_check(&spec, &why, &bad), -E2BIG);
		spec.rules[0].ndomains = 0;
		spec.rules[0].domains = NULL;
		sbxfw_spec_release(&spec);
	}

	/* Rules only in custom mode; actions, directions, protocols. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_DENY_ALL, SBXFW_ACTION_DENY, 1);
	expect_refused(test, &spec, -EINVAL, -1, "rules in deny-all");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_MAX + 1, SBXFW_ACTION_DENY, 0);
	expect_refused(test, &spec, -EINVAL, -1, "unknown mode");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_MAX + 1, 0);
	expect_refused(test, &spec, -EINVAL, -1, "unknown default");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 3);
	spec.rules[2].protocols = SBXFW_PROTO_F_ALL + 1;
	expect_refused(test, &spec, -EINVAL, 2, "unknown protocol");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 1);
	sbxfw_t_add_cidr4(test, &spec.rules[0], A4(10, 0, 0, 1), 8);
	expect_refused(test, &spec, -EINVAL, 0, "host bits");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 1);
	sbxfw_t_add_cidr4(test, &spec.rules[0], 0, 33);
	expect_refused(test, &spec, -EINVAL, 0, "prefix 33");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 1);
	add_ports(test, &spec.rules[0], 90, 80);
	expect_refused(test, &spec, -EINVAL, 0, "port range backwards");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 1);
	spec.rules[0].direction = SBXFW_DIR_INGRESS;
	set_domain(test, &spec.rules[0], "a.example.com");
	expect_refused(test, &spec, -EINVAL, 0, "ingress domain");

	/* Domain patterns: 253 bytes pass, 254 do not. */
	name = kunit_kzalloc(test, 300, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	for (i = 0; i < 253; i++)
		name[i] = i % 64 == 63 ? '.' : 'a';
	KUNIT_EXPECT_TRUE(test, sbxfw_domain_valid(name, 253));
	name[253] = 'a';
	KUNIT_EXPECT_FALSE(test, sbxfw_domain_valid(name, 254));
	memset(name, 'a', 64);
	name[64] = '.';
	strcpy(name + 65, "com");
	KUNIT_EXPECT_FALSE(test, sbxfw_domain_valid(name, strlen(name)));
	KUNIT_EXPECT_TRUE(test, sbxfw_domain_valid(name + 1, strlen(name + 1)));

	/* Inside devices: 8 at most, valid names, no duplicate. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 0);
	spec.ninside = SBXFW_MAX_INSIDE_DEVS + 1;
	spec.inside = sbxfw_zalloc(spec.ninside * SBXFW_IFNAMSIZ);
	KUNIT_ASSERT_NOT_NULL(test, spec.inside);
	for (i = 0; i < spec.ninside; i++)
		snprintf(spec.inside[i], SBXFW_IFNAMSIZ, "tap%u", i);
	expect_refused(test, &spec, -E2BIG, -1, "9 inside devices");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 0);
	spec.ninside = 2;
	spec.inside = sbxfw_zalloc(spec.ninside * SBXFW_IFNAMSIZ);
	KUNIT_ASSERT_NOT_NULL(test, spec.inside);
	strscpy(spec.inside[0], "tap0", SBXFW_IFNAMSIZ);
	strscpy(spec.inside[1], "tap0", SBXFW_IFNAMSIZ);
	expect_refused(test, &spec, -EINVAL, -1, "inside device twice");

	/* DNS options. */
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 0);
	spec.dns.max_learned = SBXFW_DNS_MAX_LEARNED_LIMIT + 1;
	expect_refused(test, &spec, -E2BIG, -1, "max_learned");
	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, 0);
	spec.dns.max_ttl = 30;
	expect_refused(test, &spec, -EINVAL, -1, "max_ttl below min_ttl");
}

static struct kunit_case sbxfw_policy_cases[] = {
	KUNIT_CASE(policy_first_match),
	KUNIT_CASE(policy_modes),
	KUNIT_CASE(policy_limits),
	KUNIT_CASE(policy_random),
	{}
};

static struct kunit_suite sbxfw_policy_suite = {
	.name = "sbxfw_policy",
	.test_cases = sbxfw_policy_cases,
};

kunit_test_suite(sbxfw_policy_suite);
