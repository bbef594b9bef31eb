// SPDX-License-Identifier: GPL-2.0
/*
 * Domain patterns (kmod/domain.c) and what policy.c builds on them: the
 * verdict on a DNS query's name, rules reached through learned names,
 * and the addresses a public name must not resolve to. The matcher is
 * cross-checked against a naive one over thousands of random patterns.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "policy.h"
#include "tests.h"

/*
 * One rule a string: "+a.test *.b.test" allows, "-c.test" denies; "@any"
 * and "@private" are presets.
 */
static struct sbxfw_policy *policy_of(const char *const *rules,
				      unsigned int nrules, u8 dflt)
{
	struct sbxfw_policy_spec spec = {
		.mode = SBXFW_MODE_CUSTOM,
		.default_action = dflt,
		.nrules = nrules,
	};
	struct sbxfw_policy *p = NULL;
	const char *why = NULL;
	unsigned int i;

	spec.rules = calloc(nrules, sizeof(*spec.rules));
	assert_non_null(spec.rules);
	for (i = 0; i < nrules; i++) {
		struct sbxfw_rule_spec *r = &spec.rules[i];
		char *copy = strdup(rules[i] + 1), *save = NULL, *tok;

		r->action = rules[i][0] == '+' ? SBXFW_ACTION_ALLOW :
						 SBXFW_ACTION_DENY;
		r->direction = SBXFW_DIR_EGRESS;
		for (tok = strtok_r(copy, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save)) {
			if (!strcmp(tok, "@any")) {
				r->presets |= SBXFW_PRESET_F_ANY;
				continue;
			}
			if (!strcmp(tok, "@private")) {
				r->presets |= SBXFW_PRESET_F_PRIVATE;
				continue;
			}
			r->domains = realloc(
				r->domains, (r->ndomains + 1) * sizeof(char *));
			r->domains[r->ndomains++] = strdup(tok);
		}
		free(copy);
	}
	if (sbxfw_policy_compile(&spec, &p, &why))
		fail_msg("compile: %s", why ? why : "?");
	return p;
}

/* The first rule covering NAME, as sbxfw_policy_eval_name says. */
static int first_rule(const struct sbxfw_policy *p, const char *name)
{
	int rule;

	sbxfw_policy_eval_name(p, name, strlen(name), &rule);
	return rule;
}

static void test_exact_and_wildcard(void **state)
{
	static const char *const rules[] = {
		"+api.example.test",
		"+*.wild.test",
		"+*.deep.wild.test other.test",
	};
	struct sbxfw_policy *p = policy_of(rules, 3, SBXFW_ACTION_DENY);

	(void)state;
	assert_int_equal(first_rule(p, "api.example.test"), 0);
	assert_int_equal(first_rule(p, "x.api.example.test"),
			 SBXFW_VERDICT_DEFAULT);
	assert_int_equal(first_rule(p, "example.test"), SBXFW_VERDICT_DEFAULT);
	/* The apex, one label below, many labels below. */
	assert_int_equal(first_rule(p, "wild.test"), 1);
	assert_int_equal(first_rule(p, "a.wild.test"), 1);
	assert_int_equal(first_rule(p, "a.b.c.d.wild.test"), 1);
	assert_int_equal(first_rule(p, "a.deep.wild.test"), 1);
	/* A suffix that is not at a label boundary does not match. */
	assert_int_equal(first_rule(p, "otherwild.test"),
			 SBXFW_VERDICT_DEFAULT);
	assert_int_equal(first_rule(p, "xother.test"), SBXFW_VERDICT_DEFAULT);
	assert_int_equal(first_rule(p, "other.test"), 2);
	assert_int_equal(first_rule(p, "test"), SBXFW_VERDICT_DEFAULT);
	assert_int_equal(first_rule(p, ""), SBXFW_VERDICT_DEFAULT);
	assert_int_equal(sbxfw_domains_count(p->domains), 4);
	sbxfw_policy_free(p);
}

static void test_first_match_decides(void **state)
{
	static const char *const rules[] = {
		"-bad.wild.test",
		"+*.wild.test",
		"-*.wild.test",
	};
	struct sbxfw_policy *p = policy_of(rules, 3, SBXFW_ACTION_ALLOW);
	int rule;

	(void)state;
	assert_int_equal(sbxfw_policy_eval_name(p, "bad.wild.test", 13, &rule),
			 SBXFW_ACTION_DENY);
	assert_int_equal(rule, 0);
	assert_int_equal(sbxfw_policy_eval_name(p, "x.bad.wild.test", 15,
						&rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 1);
	/* No rule: the default. */
	assert_int_equal(sbxfw_policy_eval_name(p, "else.test", 9, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, SBXFW_VERDICT_DEFAULT);
	p->mode = SBXFW_MODE_DENY_ALL;
	assert_int_equal(sbxfw_policy_eval_name(p, "a.wild.test", 11, &rule),
			 SBXFW_ACTION_DENY);
	p->mode = SBXFW_MODE_ALLOW_ALL;
	assert_int_equal(sbxfw_policy_eval_name(p, "bad.wild.test", 13, &rule),
			 SBXFW_ACTION_ALLOW);
	sbxfw_policy_free(p);
}

static void test_no_patterns(void **state)
{
	static const char *const rules[] = { "+" };
	struct sbxfw_policy *p = policy_of(rules, 1, SBXFW_ACTION_DENY);
	struct sbxfw_rule_set set = { { 0 } };

	(void)state;
	assert_null(p->domains);
	assert_false(sbxfw_domains_match(NULL, "a.test", 6, &set));
	assert_int_equal(first_rule(p, "a.test"), SBXFW_VERDICT_DEFAULT);
	sbxfw_policy_free(p);
}

/* A learned name lends its rules, and their ports, to the address. */
static void test_learned_rules_in_eval(void **state)
{
	static const char *const rules[] = { "+api.example.test" };
	struct sbxfw_policy *p = policy_of(rules, 1, SBXFW_ACTION_DENY);
	struct sbxfw_rule_set learned = { { 0 } };
	u8 addr[4] = { 198, 51, 100, 10 };
	struct sbxfw_pkt pkt = {
		.family = 4,
		.direction = SBXFW_DIR_EGRESS,
		.protocol = IPPROTO_TCP,
		.has_port = true,
		.port = 443,
		.peer = addr,
	};
	int rule;

	(void)state;
	p->rules[0].nports = 1;
	p->rules[0].ports = &(struct sbxfw_port_range){ 443, 443 };
	p->rules[0].protocols = SBXFW_PROTO_F_TCP;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	assert_true(sbxfw_domains_match(p->domains, "api.example.test", 16,
					&learned));
	pkt.learned = &learned;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 0);
	pkt.port = 80;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	p->rules[0].nports = 0;
	sbxfw_policy_free(p);
}

static bool internal(const char *text)
{
	u8 addr[16];
	u8 family = strchr(text, ':') ? 6 : 4;

	assert_int_equal(
		inet_pton(family == 4 ? AF_INET : AF_INET6, text, addr), 1);
	return sbxfw_addr_internal(family, addr);
}

static void test_rebinding_addresses(void **state)
{
	static const char *const inside[] = {
		"10.1.2.3",
		"172.16.0.1",
		"192.168.50.10",
		"100.64.0.1",
		"127.0.0.1",
		"169.254.1.1",
		"169.254.169.254",
		"0.0.0.0",
		"0.1.2.3",
		"::",
		"::1",
		"fe80::1",
		"fc00::1",
		"fd00:ec2::254",
		"::ffff:1.2.3.4",
		"224.0.0.251",
		"255.255.255.255",
		"240.0.0.1",
		"ff02::fb",
		"fec0::1",
		"64:ff9b::a9fe:a9fe",
		"64:ff9b::7f00:1",
		"64:ff9b:1::1",
	};
	static const char *const outside[] = {
		"198.51.100.10",    "203.0.113.10", "8.8.8.8",
		"2001:db8::1",	    "ff0e::1",	    "224.0.1.1",
		"64:ff9b::808:808", "1.0.0.0",	    "::2",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(inside); i++)
		if (!internal(inside[i]))
			fail_msg("%s should be internal", inside[i]);
	for (i = 0; i < ARRAY_SIZE(outside); i++)
		if (internal(outside[i]))
			fail_msg("%s should not be internal", outside[i]);
}

static void test_rules_naming_addresses(void **state)
{
	static const char *const rules[] = { "+a.test", "-@private", "+",
					     "+@any" };
	static const char *const naming[] = { "+@private" };
	struct sbxfw_policy *p = policy_of(rules, 4, SBXFW_ACTION_DENY);
	u8 a[4] = { 192, 168, 50, 10 }, b[4] = { 198, 51, 100, 10 };

	(void)state;
	/*
	 * Neither a rule without destination nor "any" names an address in
	 * particular; a deny rule allows nothing.
	 */
	assert_false(sbxfw_policy_names_addr(p, 4, a));
	sbxfw_policy_free(p);

	p = policy_of(naming, 1, SBXFW_ACTION_DENY);
	assert_true(sbxfw_policy_names_addr(p, 4, a));
	assert_false(sbxfw_policy_names_addr(p, 4, b));
	sbxfw_policy_free(p);
}

/* Fixed seed: a failure reproduces. */
static uint64_t rng = 42;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(rng >> 33) % n;
}

/* LABELS labels of 110 kinds ("a" .. "j", "a0" .. "j9"), then ".test". */
static void random_name(char *buf, unsigned int labels)
{
	unsigned int i, k;
	char *p = buf;

	for (i = 0; i < labels; i++) {
		k = rnd(110);
		*p++ = (char)('a' + k % 10);
		if (k >= 10)
			*p++ = (char)('0' + k / 10 - 1);
		*p++ = '.';
	}
	strcpy(p, "test");
}

/* The naive matcher: every pattern of every rule, one by one. */
static int naive_first(char **patterns, unsigned int n, const char *name)
{
	size_t len = strlen(name);
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *s = patterns[i];

		if (s[0] == '*') {
			size_t sl = strlen(s + 2);

			if (!strcmp(name, s + 2) ||
			    (len > sl && name[len - sl - 1] == '.' &&
			     !strcmp(name + len - sl, s + 2)))
				return (int)i;
		} else if (!strcmp(name, s)) {
			return (int)i;
		}
	}
	return SBXFW_VERDICT_DEFAULT;
}

static void test_random_against_naive(void **state)
{
	enum { NRULES = 200, PER_RULE = 50, NAMES = 20000 };
	char *rules[NRULES], *flat[NRULES * PER_RULE];
	const char *const *views = (const char *const *)rules;
	struct sbxfw_policy *p;
	char name[128];
	unsigned int i, j, nflat = 0, hits = 0;

	(void)state;
	for (i = 0; i < NRULES; i++) {
		rules[i] = calloc(1, PER_RULE * 64);
		strcpy(rules[i], "+");
		for (j = 0; j < PER_RULE; j++) {
			char pattern[160];

			random_name(name, 2 + rnd(2));
			snprintf(pattern, sizeof(pattern), "%s%s",
				 rnd(2) ? "*." : "", name);
			if (j)
				strcat(rules[i], " ");
			strcat(rules[i], pattern);
		}
	}
	p = policy_of(views, NRULES, SBXFW_ACTION_DENY);
	/* The patterns in rule order, as the naive matcher walks them. */
	for (i = 0; i < NRULES; i++)
		for (j = 0; j < p->spec.rules[i].ndomains; j++)
			flat[nflat++] = p->spec.rules[i].domains[j];
	for (i = 0; i < NAMES; i++) {
		int want, got, k;

		random_name(name, 1 + rnd(4));
		k = naive_first(flat, nflat, name);
		want = k == SBXFW_VERDICT_DEFAULT ? k : (int)(k / PER_RULE);
		got = first_rule(p, name);
		if (want != got)
			fail_msg("%s: rule %d, naive %d", name, got, want);
		hits += got != SBXFW_VERDICT_DEFAULT;
	}
	print_message("# %u of %u names matched\n", hits, (unsigned int)NAMES);
	/* Both outcomes were exercised. */
	assert_true(hits > NAMES / 10 && hits < NAMES - NAMES / 10);
	sbxfw_policy_free(p);
	for (i = 0; i < NRULES; i++)
		free(rules[i]);
}

const struct CMUnitTest domain_tests[] = {
	cmocka_unit_test(test_exact_and_wildcard),
	cmocka_unit_test(test_first_match_decides),
	cmocka_unit_test(test_no_patterns),
	cmocka_unit_test(test_learned_rules_in_eval),
	cmocka_unit_test(test_rebinding_addresses),
	cmocka_unit_test(test_rules_naming_addresses),
	cmocka_unit_test(test_random_against_naive),
};

const size_t n_domain_tests = ARRAY_SIZE(domain_tests);
