// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/spec.c built natively: sbxfw_spec_check() on every value and limit
 * with its exact reason, sbxfw_domain_valid() on good and bad patterns and
 * against sbxfwctl's own explanation (sbxfw_domain_problem()), and
 * sbxfw_spec_release().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libsbxfw.h"
#include "policy.h"
#include "tests.h"

/* A custom policy of @n empty allow rules. */
static void spec_rules(struct sbxfw_policy_spec *spec, uint32_t n)
{
	uint32_t i;

	memset(spec, 0, sizeof(*spec));
	spec->mode = SBXFW_MODE_CUSTOM;
	spec->default_action = SBXFW_ACTION_DENY;
	for (i = 0; i < n; i++)
		assert_non_null(sbxfw_spec_add_rule(spec));
}

static void assert_check(const struct sbxfw_policy_spec *spec, int err,
			 const char *why, int bad_rule)
{
	const char *reason = NULL;
	int bad = 7;

	assert_int_equal(sbxfw_spec_check(spec, &reason, &bad), err);
	assert_int_equal(bad, bad_rule);
	if (why)
		assert_string_equal(reason, why);
}

static void add_port(struct sbxfw_rule_spec *r, uint16_t first, uint16_t last)
{
	struct sbxfw_port_range p = { first, last };

	assert_int_equal(sbxfw_rule_add_ports(r, &p, 1), 0);
}

static void add_cidr4(struct sbxfw_rule_spec *r, const char *addr,
		      uint8_t prefix)
{
	struct sbxfw_cidr4 c = { .prefix = prefix };

	assert_int_equal(inet_pton(AF_INET, addr, &c.addr), 1);
	assert_int_equal(sbxfw_rule_add_cidrs4(r, &c, 1), 0);
}

static void add_cidr6(struct sbxfw_rule_spec *r, const char *addr,
		      uint8_t prefix)
{
	struct sbxfw_cidr6 c = { .prefix = prefix };

	assert_int_equal(inet_pton(AF_INET6, addr, c.addr), 1);
	assert_int_equal(sbxfw_rule_add_cidrs6(r, &c, 1), 0);
}

static void add_domain(struct sbxfw_rule_spec *r, const char *d)
{
	assert_int_equal(sbxfw_rule_add_domain(r, d, strlen(d)), 0);
}

/* The messages spell the limits out: they must not part ways. */
static void test_limits_match_messages(void **state)
{
	(void)state;
	assert_int_equal(SBXFW_MAX_RULES, 256);
	assert_int_equal(SBXFW_MAX_PORT_RANGES, 64);
	assert_int_equal(SBXFW_MAX_CIDRS, 1048576);
	assert_int_equal(SBXFW_MAX_DOMAINS, 16384);
	assert_int_equal(SBXFW_MAX_DOMAIN_LEN, 253);
}

static void test_check_good(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = SBXFW_MODE_ALLOW_ALL };
	struct sbxfw_rule_spec *r;

	(void)state;
	assert_check(&spec, 0, NULL, -1);
	spec.mode = SBXFW_MODE_DENY_ALL;
	spec.default_action = SBXFW_ACTION_DENY;
	assert_check(&spec, 0, NULL, -1);

	spec_rules(&spec, 2);
	r = &spec.rules[0];
	r->protocols = SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP;
	r->presets = SBXFW_PRESET_F_ALL;
	add_port(r, 1, 65535);
	add_port(r, 443, 443);
	add_cidr4(r, "0.0.0.0", 0);
	add_cidr4(r, "10.1.2.3", 32);
	add_cidr4(r, "172.16.0.0", 12);
	add_cidr6(r, "::", 0);
	add_cidr6(r, "2001:db8::", 32);
	add_cidr6(r, "2001:db8::1", 128);
	add_domain(r, "example.com");
	add_domain(r, "*.example.com");
	r = &spec.rules[1];
	r->action = SBXFW_ACTION_DENY;
	r->direction = SBXFW_DIR_INGRESS;
	r->protocols = SBXFW_PROTO_F_ALL;
	add_cidr4(r, "10.0.0.0", 8);
	assert_check(&spec, 0, NULL, -1);
	sbxfw_spec_release(&spec);
	assert_int_equal(spec.nrules, 0);
	assert_null(spec.rules);
}

static void test_check_policy_fields(void **state)
{
	struct sbxfw_policy_spec spec = { 0 };

	(void)state;
	spec.mode = SBXFW_MODE_MAX + 1;
	assert_check(&spec, -EINVAL,
		     "the mode is not allow-all, deny-all or custom", -1);
	spec.mode = SBXFW_MODE_CUSTOM;
	spec.default_action = SBXFW_ACTION_MAX + 1;
	assert_check(&spec, -EINVAL, "the default action is not allow or deny",
		     -1);

	spec_rules(&spec, 1);
	spec.mode = SBXFW_MODE_ALLOW_ALL;
	assert_check(&spec, -EINVAL, "only a custom policy has rules", -1);
	spec.mode = SBXFW_MODE_DENY_ALL;
	assert_check(&spec, -EINVAL, "only a custom policy has rules", -1);
	sbxfw_spec_release(&spec);

	spec_rules(&spec, SBXFW_MAX_RULES);
	assert_check(&spec, 0, NULL, -1);
	assert_non_null(sbxfw_spec_add_rule(&spec));
	assert_check(&spec, -E2BIG, "a policy has at most 256 rules", -1);
	sbxfw_spec_release(&spec);

	spec_rules(&spec, 0);
	spec.nrules = 3;
	assert_check(&spec, -EINVAL, "the policy's rules are missing", -1);
}

static void test_check_rule_fields(void **state)
{
	struct sbxfw_policy_spec spec;

	(void)state;
	spec_rules(&spec, 3);
	spec.rules[2].action = SBXFW_ACTION_MAX + 1;
	assert_check(&spec, -EINVAL, "a rule's action is not allow or deny", 2);
	spec.rules[2].action = SBXFW_ACTION_DENY;
	spec.rules[1].direction = SBXFW_DIR_MAX + 1;
	assert_check(&spec, -EINVAL,
		     "a rule's direction is not egress or ingress", 1);
	spec.rules[1].direction = 0;
	spec.rules[0].protocols = SBXFW_PROTO_F_ALL + 1;
	assert_check(&spec, -EINVAL, "a rule names an unknown protocol", 0);
	spec.rules[0].protocols = 0;
	spec.rules[0].presets = SBXFW_PRESET_F_ALL + 1;
	assert_check(&spec, -EINVAL, "a rule names an unknown preset", 0);
	sbxfw_spec_release(&spec);
}

static void test_check_ports(void **state)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec *r;
	int i;

	(void)state;
	spec_rules(&spec, 2);
	r = &spec.rules[1];
	for (i = 0; i < SBXFW_MAX_PORT_RANGES; i++)
		add_port(r, 1000 + i, 1000 + i);
	assert_check(&spec, 0, NULL, -1);
	add_port(r, 5, 5);
	assert_check(&spec, -E2BIG, "a rule has at most 64 port ranges", 1);
	sbxfw_spec_release(&spec);

	spec_rules(&spec, 1);
	r = &spec.rules[0];
	add_port(r, 9000, 8000);
	assert_check(&spec, -EINVAL, "a port range ends before it starts", 0);
	r->ports[0].first = 0;
	assert_check(&spec, -EINVAL, "port 0 is not a destination port", 0);
	r->ports[0].first = 80;
	r->protocols = SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_ICMP;
	assert_check(&spec, -EINVAL,
		     "a rule with ports can match only TCP and UDP", 0);
	r->protocols = SBXFW_PROTO_F_UDP;
	assert_check(&spec, 0, NULL, -1);
	r->protocols = 0; /* any: TCP and UDP, as far as ports go */
	assert_check(&spec, 0, NULL, -1);
	free(r->ports);
	r->ports = NULL;
	assert_check(&spec, -EINVAL, "a rule's port ranges are missing", 0);
	r->nports = 0;
	sbxfw_spec_release(&spec);
}

static void test_check_cidrs(void **state)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec *r;

	(void)state;
	spec_rules(&spec, 1);
	r = &spec.rules[0];
	add_cidr4(r, "10.0.0.0", 33);
	assert_check(&spec, -EINVAL, "an IPv4 prefix is longer than 32 bits",
		     0);
	r->cidrs4[0].prefix = 6; /* 10 is 0b00001010 */
	assert_check(&spec, -EINVAL, "an IPv4 CIDR has host bits set", 0);
	r->cidrs4[0].prefix = 7;
	assert_check(&spec, 0, NULL, -1);
	r->cidrs4[0].prefix = 8;
	r->cidrs4[0].pad[1] = 1;
	assert_check(&spec, -EINVAL, "an IPv4 CIDR's padding is not zero", 0);
	r->cidrs4[0].pad[1] = 0;
	assert_check(&spec, 0, NULL, -1);

	add_cidr6(r, "2001:db8::", 129);
	assert_check(&spec, -EINVAL, "an IPv6 prefix is longer than 128 bits",
		     0);
	r->cidrs6[0].prefix = 28; /* 0db8: 0b1011_1000 */
	assert_check(&spec, -EINVAL, "an IPv6 CIDR has host bits set", 0);
	r->cidrs6[0].prefix = 29;
	assert_check(&spec, 0, NULL, -1);
	r->cidrs6[0].prefix = 32;
	r->cidrs6[0].pad[2] = 9;
	assert_check(&spec, -EINVAL, "an IPv6 CIDR's padding is not zero", 0);
	r->cidrs6[0].pad[2] = 0;
	add_cidr6(r, "::1", 127);
	assert_check(&spec, -EINVAL, "an IPv6 CIDR has host bits set", 0);
	sbxfw_spec_release(&spec);
}

static void test_check_domains(void **state)
{
	struct sbxfw_policy_spec spec;

	(void)state;
	spec_rules(&spec, 2);
	add_domain(&spec.rules[1], "example.com");
	add_domain(&spec.rules[1], "Example.com");
	assert_check(&spec, -EINVAL,
		     "a domain pattern is not lower-case labels of a-z, 0-9 "
		     "and '-', at least two, optionally after \"*.\"",
		     1);
	free(spec.rules[1].domains[1]);
	spec.rules[1].domains[1] = NULL;
	assert_check(&spec, -EINVAL, NULL, 1);
	sbxfw_spec_release(&spec);

	/* An inbound peer has no name the sandbox looked up. */
	spec_rules(&spec, 1);
	add_domain(&spec.rules[0], "example.com");
	assert_check(&spec, 0, NULL, -1);
	spec.rules[0].direction = SBXFW_DIR_INGRESS;
	assert_check(&spec, -EINVAL,
		     "an ingress rule cannot name domains: they match "
		     "destinations the sandbox resolves",
		     0);
	sbxfw_spec_release(&spec);
}

static void test_check_inside(void **state)
{
	struct sbxfw_policy_spec spec;
	char name[SBXFW_IFNAMSIZ];
	int i;

	(void)state;
	spec_rules(&spec, 1);
	for (i = 0; i < SBXFW_MAX_INSIDE_DEVS; i++) {
		snprintf(name, sizeof(name), "tap%d", i);
		assert_int_equal(
			sbxfw_spec_add_inside(&spec, name, strlen(name)), 0);
	}
	assert_check(&spec, 0, NULL, -1);
	spec.mode = SBXFW_MODE_ALLOW_ALL;
	spec.nrules = 0;
	assert_check(&spec, -EINVAL,
		     "only a custom policy names inside devices", -1);
	spec.mode = SBXFW_MODE_CUSTOM;
	spec.nrules = 1;
	assert_int_equal(sbxfw_spec_add_inside(&spec, "x", 1), 0);
	assert_check(&spec, -E2BIG, "a policy names at most 8 inside devices",
		     -1);
	spec.ninside--;
	strcpy(spec.inside[3], "tap0");
	assert_check(&spec, -EINVAL, "an inside device is named twice", -1);
	strcpy(spec.inside[3], "a b");
	assert_check(&spec, -EINVAL,
		     "an inside device's name is not 1-15 printable "
		     "characters without '/', ':' or spaces",
		     -1);
	strcpy(spec.inside[3], "..");
	assert_check(&spec, -EINVAL, NULL, -1);
	memset(spec.inside[3], 'x', SBXFW_IFNAMSIZ); /* no NUL */
	assert_check(&spec, -EINVAL, NULL, -1);
	assert_int_equal(sbxfw_spec_add_inside(&spec, "0123456789abcdef", 16),
			 -EINVAL);
	sbxfw_spec_release(&spec);
	assert_null(spec.inside);
}

/* The dns options: 0 is the default, limits and max_ttl >= min_ttl. */
static void test_check_dns(void **state)
{
	struct sbxfw_policy_spec spec;

	(void)state;
	assert_int_equal(SBXFW_DNS_MIN_TTL_DEFAULT, 60);
	assert_int_equal(SBXFW_DNS_MAX_TTL_DEFAULT, 86400);
	assert_int_equal(SBXFW_DNS_TTL_LIMIT, 604800);
	assert_int_equal(SBXFW_DNS_MAX_LEARNED_DEFAULT, 16384);
	assert_int_equal(SBXFW_DNS_MAX_LEARNED_LIMIT, 65536);

	spec_rules(&spec, 0);
	assert_check(&spec, 0, NULL, -1);
	spec.dns.min_ttl = 86400;
	spec.dns.max_ttl = 604800;
	spec.dns.max_learned = 65536;
	spec.dns.allow_rebinding = true;
	assert_check(&spec, 0, NULL, -1);
	spec.dns.min_ttl = 86401;
	assert_check(&spec, -EINVAL, "dns min_ttl is at most 86400 seconds",
		     -1);
	spec.dns.min_ttl = 1;
	spec.dns.max_ttl = 604801;
	assert_check(&spec, -EINVAL, "dns max_ttl is at most 604800 seconds",
		     -1);
	spec.dns.max_ttl = 1;
	assert_check(&spec, 0, NULL, -1);
	spec.dns.min_ttl = 2;
	assert_check(&spec, -EINVAL,
		     "dns max_ttl is below min_ttl (60 unless set)", -1);
	spec.dns.min_ttl = 0;
	spec.dns.max_ttl = 59;
	assert_check(&spec, -EINVAL,
		     "dns max_ttl is below min_ttl (60 unless set)", -1);
	spec.dns.max_ttl = 60;
	assert_check(&spec, 0, NULL, -1);
	spec.dns.max_learned = 65537;
	assert_check(&spec, -E2BIG, "dns max_learned is at most 65536", -1);
	/* A mode without rules takes them too. */
	spec.dns.max_learned = 0;
	spec.mode = SBXFW_MODE_DENY_ALL;
	assert_check(&spec, 0, NULL, -1);
	sbxfw_spec_release(&spec);
}

/* Totals count every rule; a million CIDRs are fine, one more is not. */
static void test_check_totals(void **state)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_cidr4 *c4;
	struct sbxfw_cidr6 c6 = { .prefix = 128 };
	uint32_t i, n = SBXFW_MAX_CIDRS - 1;

	(void)state;
	spec_rules(&spec, 3);
	c4 = calloc(n, sizeof(*c4));
	assert_non_null(c4);
	for (i = 0; i < n; i++) {
		c4[i].addr = htonl(i);
		c4[i].prefix = 32;
	}
	assert_int_equal(sbxfw_rule_add_cidrs4(&spec.rules[0], c4, n), 0);
	free(c4);
	assert_int_equal(sbxfw_rule_add_cidrs6(&spec.rules[2], &c6, 1), 0);
	assert_check(&spec, 0, NULL, -1);
	c6.addr[15] = 1;
	assert_int_equal(sbxfw_rule_add_cidrs6(&spec.rules[1], &c6, 1), 0);
	assert_check(&spec, -E2BIG, "a policy has at most 1048576 CIDRs", -1);
	sbxfw_spec_release(&spec);

	spec_rules(&spec, 2);
	for (i = 0; i < SBXFW_MAX_DOMAINS; i++)
		add_domain(&spec.rules[i % 2], "a.example.com");
	assert_check(&spec, 0, NULL, -1);
	add_domain(&spec.rules[0], "b.example.com");
	assert_check(&spec, -E2BIG, "a policy has at most 16384 domains", -1);
	sbxfw_spec_release(&spec);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* A name of exactly @len bytes: labels of 63 'a's, then a short tail. */
static char *long_name(size_t len)
{
	char *s = repeat('a', len);
	size_t i;

	for (i = 63; i < len - 4; i += 64)
		s[i] = '.';
	memcpy(s + len - 4, ".com", 4);
	return s;
}

static void assert_domain(const char *d, bool valid)
{
	bool ok = sbxfw_domain_valid(d, strlen(d));

	if (ok != valid)
		fail_msg("sbxfw_domain_valid(\"%s\") is %d", d, ok);
	/* sbxfwctl's explanations agree with the module's verdict. */
	if ((sbxfw_domain_problem(d, strlen(d)) == NULL) != valid)
		fail_msg("sbxfw_domain_problem(\"%s\") disagrees", d);
}

static void test_domain_valid(void **state)
{
	static const char *const good[] = {
		"example.com",	   "a.b",	"*.example.com",
		"api.example.com", "x-y.z0.io", "xn--bcher-kva.de",
		"123.example.com", "a1.b2",	"*.a.b",
	};
	static const char *const bad[] = {
		"",	    "*",	"*.",
		"*.*.com",  "-a.com",	"a-.com",
		"a..com",   ".a.com",	"a.com.",
		"A.com",    "a_b.com",	"com",
		"*.com",    "a.*.com",	"*a.com",
		"a*.com",   "1.2.3.4",	"example.1",
		"a .com",   "a.com-",	"b\xc3\xbc.de",
		"**.a.com", "*.-a.com", "a.-",
	};
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++)
		assert_domain(good[i], true);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_domain(bad[i], false);

	s = long_name(253);
	assert_domain(s, true);
	free(s);
	s = long_name(254);
	assert_domain(s, false);
	assert_string_equal(sbxfw_domain_problem(s, strlen(s)),
			    "longer than 253 bytes");
	free(s);

	s = repeat('a', 67);
	memcpy(s + 63, ".com", 4);
	assert_domain(s, true);
	free(s);
	s = repeat('a', 68);
	memcpy(s + 64, ".com", 4);
	assert_domain(s, false);
	assert_string_equal(sbxfw_domain_problem(s, strlen(s)),
			    "a label is longer than 63 bytes");
	free(s);

	/* The length given counts, and a NUL within it is no letter. */
	assert_true(sbxfw_domain_valid("example.comXYZ", 11));
	assert_true(sbxfw_domain_valid("example.com", 10));
	assert_false(sbxfw_domain_valid("example.com", 12));
}

/* Every short string over a small alphabet: explanation == verdict. */
static void test_domain_problem_agrees(void **state)
{
	static const char alphabet[] = "a0-.*A_";
	char s[8];
	size_t len, i, k, total;

	(void)state;
	for (len = 0; len <= 6; len++) {
		total = 1;
		for (i = 0; i < len; i++)
			total *= sizeof(alphabet) - 1;
		for (k = 0; k < total; k++) {
			size_t v = k;

			for (i = 0; i < len; i++) {
				s[i] = alphabet[v % (sizeof(alphabet) - 1)];
				v /= sizeof(alphabet) - 1;
			}
			s[len] = '\0';
			if (sbxfw_domain_valid(s, len) !=
			    !sbxfw_domain_problem(s, len))
				fail_msg("\"%s\": valid %d, problem %s", s,
					 sbxfw_domain_valid(s, len),
					 sbxfw_domain_problem(s, len));
		}
	}
}

static void test_domain_problems(void **state)
{
	static const struct {
		const char *domain;
		const char *problem;
	} cases[] = {
		{ "", "empty" },
		{ "*.", "nothing after \"*.\"" },
		{ "a..com", "empty label" },
		{ "-a.com", "a label starts with '-'" },
		{ "a-.com", "a label ends with '-'" },
		{ "*.*.com", "'*' is allowed only as a whole first label "
			     "(\"*.example.com\")" },
		{ "com", "a single label; a domain has at least two "
			 "(\"example.com\")" },
		{ "*.com", "a single label; a domain has at least two "
			   "(\"example.com\")" },
		{ "1.2.3.4", "the last label is all digits, as only an "
			     "address has" },
		{ "a_b.com", "only a-z, 0-9, '-' and '.' are allowed" },
		{ "A.com", "upper-case letters" },
		{ "b\xc3\xbc.de", "not ASCII; write an internationalised name "
				  "in its xn-- (punycode) form" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_string_equal(
			sbxfw_domain_problem(cases[i].domain,
					     strlen(cases[i].domain)),
			cases[i].problem);
}

static void test_release(void **state)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec *r;

	(void)state;
	/* Nothing at all, and then everything there is (ASan counts). */
	memset(&spec, 0, sizeof(spec));
	sbxfw_spec_release(&spec);

	spec_rules(&spec, 2);
	r = &spec.rules[1];
	add_port(r, 1, 2);
	add_cidr4(r, "10.0.0.0", 8);
	add_cidr6(r, "fc00::", 7);
	add_domain(r, "a.example.com");
	add_domain(r, "b.example.com");
	sbxfw_spec_release(&spec);
	assert_int_equal(spec.nrules, 0);
	assert_null(spec.rules);
	sbxfw_spec_release(&spec);
}

const struct CMUnitTest spec_tests[] = {
	cmocka_unit_test(test_limits_match_messages),
	cmocka_unit_test(test_check_good),
	cmocka_unit_test(test_check_policy_fields),
	cmocka_unit_test(test_check_rule_fields),
	cmocka_unit_test(test_check_ports),
	cmocka_unit_test(test_check_cidrs),
	cmocka_unit_test(test_check_domains),
	cmocka_unit_test(test_check_inside),
	cmocka_unit_test(test_check_dns),
	cmocka_unit_test(test_check_totals),
	cmocka_unit_test(test_domain_valid),
	cmocka_unit_test(test_domain_problem_agrees),
	cmocka_unit_test(test_domain_problems),
	cmocka_unit_test(test_release),
};
const size_t n_spec_tests = ARRAY_SIZE(spec_tests);
