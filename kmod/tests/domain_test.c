// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: domain patterns (kmod/domain.c) through the policy that compiles
 * them: exact names, "*." patterns (the apex and every name below, never a
 * name that merely ends the same), first match among rules, names of 253
 * bytes, and a randomized cross-check against a naive matcher. Names reach
 * the matcher canonical (lower case, no final dot: dns_test.c checks the
 * parser makes them so); patterns that are not canonical are refused.
 */
#include "../domain.c"

#include <kunit/test.h>
#include <linux/prandom.h>

#include "kunit.h"

/* "*." and a name, in memory the test frees. */
static char *wildcard(struct kunit *test, bool wild, const char *name)
{
	size_t size = strlen(name) + 3;
	char *s = kunit_kmalloc(test, size, GFP_KERNEL);

	if (s)
		snprintf(s, size, "%s%s", wild ? "*." : "", name);
	return s;
}

/* One pattern per rule, rule i allows when i is even. */
static struct sbxfw_policy *policy_of(struct kunit *test,
				      const char *const *patterns,
				      unsigned int n)
{
	struct sbxfw_policy_spec spec;
	unsigned int i;

	sbxfw_t_spec_init(test, &spec, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY, n);
	for (i = 0; i < n; i++) {
		struct sbxfw_rule_spec *r = &spec.rules[i];
		size_t len = strlen(patterns[i]);

		r->action = i % 2 ? SBXFW_ACTION_DENY : SBXFW_ACTION_ALLOW;
		r->domains = sbxfw_zalloc(sizeof(*r->domains));
		KUNIT_ASSERT_NOT_NULL(test, r->domains);
		r->domains[0] = sbxfw_alloc(len + 1);
		KUNIT_ASSERT_NOT_NULL(test, r->domains[0]);
		memcpy(r->domains[0], patterns[i], len + 1);
		r->ndomains = 1;
	}
	return sbxfw_t_compile(test, &spec);
}

static int first_rule(const struct sbxfw_policy *p, const char *name)
{
	int rule;

	sbxfw_policy_eval_name(p, name, strlen(name), &rule);
	return rule;
}

static void domain_exact_and_wildcard(struct kunit *test)
{
	static const char *const patterns[] = {
		"api.example.com",	/* 0 */
		"*.example.com",	/* 1 */
		"*.b.example.com",	/* 2: shadowed by 1 */
		"example.org",		/* 3 */
		"*.x-y.test",		/* 4 */
	};
	struct sbxfw_policy *p = policy_of(test, patterns,
					   ARRAY_SIZE(patterns));

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, first_rule(p, "api.example.com"), 0);
	KUNIT_EXPECT_EQ(test, first_rule(p, "example.com"), 1);	/* apex */
	KUNIT_EXPECT_EQ(test, first_rule(p, "www.example.com"), 1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "a.b.example.com"), 1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "x.api.example.com"), 1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "badexample.com"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "example.com.evil"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "com"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "example.org"), 3);
	KUNIT_EXPECT_EQ(test, first_rule(p, "www.example.org"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "x-y.test"), 4);
	KUNIT_EXPECT_EQ(test, first_rule(p, "y.test"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, ""), -1);
	/* The matcher takes canonical names: others simply miss. */
	KUNIT_EXPECT_EQ(test, first_rule(p, "API.EXAMPLE.COM"), -1);
	KUNIT_EXPECT_EQ(test, first_rule(p, "example.org."), -1);
	KUNIT_EXPECT_EQ(test, sbxfw_policy_eval_name(p, "example.org", 11,
						     &(int){ 0 }),
			SBXFW_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, sbxfw_policy_eval_name(p, "nothing.test", 12,
						     &(int){ 0 }),
			SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);
}

static void domain_not_canonical(struct kunit *test)
{
	static const char *const bad[] = {
		"Example.com", "example.com.", "*.", "*example.com", "a.*.com",
		"example", "a..com", "-a.com", "a-.com", "a.123", "a_b.com",
		"*.*.example.com", "", ".com", "a b.com",
	};
	static const char *const good[] = {
		"example.com", "*.example.com", "1.example.com", "a.b-c.d",
		"xn--bcher-kva.example", "a.1b",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, sbxfw_domain_valid(bad[i],
								strlen(bad[i])),
				       "\"%s\"", bad[i]);
	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, sbxfw_domain_valid(good[i],
							       strlen(good[i])),
				      "\"%s\"", good[i]);
}

/* 253-byte names and patterns, the longest there are. */
static void domain_longest(struct kunit *test)
{
	char *name = kunit_kzalloc(test, 256, GFP_KERNEL);
	const char *patterns[2];
	struct sbxfw_policy *p;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, name);
	for (i = 0; i < 253; i++)
		name[i] = i % 50 == 49 ? '.' : 'a' + i % 26;
	KUNIT_ASSERT_TRUE(test, sbxfw_domain_valid(name, 253));
	/* Rule 0: the whole name; rule 1: "*." and its last 103 bytes. */
	patterns[0] = name;
	patterns[1] = wildcard(test, true, name + 150);
	KUNIT_ASSERT_NOT_NULL(test, patterns[1]);
	p = policy_of(test, patterns, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, first_rule(p, name), 0);
	KUNIT_EXPECT_EQ(test, first_rule(p, name + 1), 1);
	KUNIT_EXPECT_EQ(test, first_rule(p, name + 150), 1);
	KUNIT_EXPECT_EQ(test, first_rule(p, name + 151), -1);
	sbxfw_policy_free(p);
}

/* The naive matcher: every pattern, one by one, in rule order. */
static int naive_first(char **patterns, unsigned int n, const char *name)
{
	size_t len = strlen(name), sl;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *s = patterns[i];

		if (s[0] != '*') {
			if (!strcmp(name, s))
				return i;
			continue;
		}
		sl = strlen(s + 2);
		if (!strcmp(name, s + 2) ||
		    (len > sl && name[len - sl - 1] == '.' &&
		     !strcmp(name + len - sl, s + 2)))
			return i;
	}
	return SBXFW_VERDICT_DEFAULT;
}

static void random_name(struct rnd_state *rnd, char *buf, size_t size)
{
	static const char *const labels[] = {
		"a", "b", "ab", "ba", "api", "x-1", "com", "test", "example",
	};
	unsigned int n = 1 + prandom_u32_state(rnd) % 4, i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, size - len, "%s%s", i ? "." : "",
				 labels[prandom_u32_state(rnd) %
					ARRAY_SIZE(labels)]);
	/* Patterns need two labels, the last not numeric. */
	if (n == 1)
		scnprintf(buf + len, size - len, ".test");
}

static void domain_random(struct kunit *test)
{
	enum { NRULES = 200, NAMES = 5000 };
	unsigned int i, hits = 0;
	struct sbxfw_policy *p;
	struct rnd_state rnd;
	char **patterns;
	char name[64];
	size_t len;

	prandom_seed_state(&rnd, 7);
	patterns = kunit_kcalloc(test, NRULES, sizeof(*patterns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, patterns);
	for (i = 0; i < NRULES; i++) {
		bool wild = prandom_u32_state(&rnd) % 2;

		random_name(&rnd, name, sizeof(name));
		patterns[i] = wildcard(test, wild, name);
		KUNIT_ASSERT_NOT_NULL(test, patterns[i]);
	}
	p = policy_of(test, (const char *const *)patterns, NRULES);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < NAMES; i++) {
		int want, got;

		random_name(&rnd, name, sizeof(name));
		len = strlen(name);
		/* Single labels too, which no pattern names. */
		if (len > 5 && !strcmp(name + len - 5, ".test") &&
		    prandom_u32_state(&rnd) % 2)
			name[len - 5] = '\0';
		want = naive_first(patterns, NRULES, name);
		got = first_rule(p, name);
		hits += want >= 0;
		if (got != want) {
			KUNIT_FAIL(test, "\"%s\": rule %d, naive %d", name,
				   got, want);
			break;
		}
	}
	KUNIT_EXPECT_GT(test, hits, NAMES / 10U);
	kunit_info(test, "%u names, %u matched, %u suffixes", NAMES, hits,
		   sbxfw_domains_count(p->domains));
	sbxfw_policy_free(p);
}

static struct kunit_case sbxfw_domain_cases[] = {
	KUNIT_CASE(domain_exact_and_wildcard),
	KUNIT_CASE(domain_not_canonical),
	KUNIT_CASE(domain_longest),
	KUNIT_CASE(domain_random),
	{}
};

static struct kunit_suite sbxfw_domain_suite = {
	.name = "sbxfw_domain",
	.test_cases = sbxfw_domain_cases,
};

kunit_test_suite(sbxfw_domain_suite);
