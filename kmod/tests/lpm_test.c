// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the address lookup (kmod/lpm.c), built into sbxfw_kunit.ko
 * with KASAN and lockdep around it: every error code, the edges of the
 * address space, and a randomized cross-check against a naive reference
 * that looks at the entries one by one, for IPv4 and IPv6, every prefix
 * length, ranges, and the addresses on both sides of every boundary.
 *
 * lpm.c is included, not linked: sbxfw.ko holds its own copy, and the
 * pure files are built once per module that uses them.
 */
#include "../lpm.c"

#include <kunit/test.h>
#include <linux/prandom.h>

struct ref_entry {
	u8 first[16];
	u8 last[16];
	unsigned int rule;
};

struct ref {
	unsigned int len;	/* 4 or 16 */
	unsigned int n;
	struct ref_entry *e;
};

static void ref_lookup(const struct ref *r, const u8 *addr,
		       struct sbxfw_rule_set *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->n; i++) {
		const struct ref_entry *e = &r->e[i];

		if (memcmp(e->first, addr, r->len) <= 0 &&
		    memcmp(addr, e->last, r->len) <= 0)
			out->bits[e->rule / 64] |= 1ULL << (e->rule % 64);
	}
}

static bool set_is_empty(const struct sbxfw_rule_set *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->bits); i++)
		if (s->bits[i])
			return false;
	return true;
}

/* Big-endian increment and decrement of an address; false on wrap. */
static bool addr_step(u8 *a, unsigned int len, int dir)
{
	int i;

	for (i = len - 1; i >= 0; i--) {
		if (dir > 0 ? a[i]++ != 0xff : a[i]-- != 0)
			return true;
	}
	return false;
}

static void prefix_bounds(u8 *first, u8 *last, unsigned int len,
			  unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int keep = plen >= 8 * (i + 1) ? 8 :
				    plen > 8 * i ? plen - 8 * i : 0;
		u8 mask = keep ? (u8)(0xff << (8 - keep)) : 0;

		first[i] &= mask;
		last[i] = first[i] | (u8)~mask;
	}
}

/* A prefix length that favours the interesting ones. */
static unsigned int random_plen(struct rnd_state *rnd, unsigned int width)
{
	switch (prandom_u32_state(rnd) % 4) {
	case 0:
		return prandom_u32_state(rnd) % (width + 1);
	case 1:
		return width - prandom_u32_state(rnd) % 4;
	case 2:
		return prandom_u32_state(rnd) % 9;
	default:
		return width / 2 + prandom_u32_state(rnd) % (width / 2 + 1);
	}
}

/* Addresses near a few fixed points, so that random entries overlap. */
static void random_addr(struct rnd_state *rnd, u8 *a, unsigned int len)
{
	static const u8 firsts[] = { 0, 10, 192, 255 };

	prandom_bytes_state(rnd, a, len);
	if (prandom_u32_state(rnd) % 2)
		a[0] = firsts[prandom_u32_state(rnd) % ARRAY_SIZE(firsts)];
	if (prandom_u32_state(rnd) % 2)
		a[1] = 0;
}

static void check_addr(struct kunit *test, const struct sbxfw_lpm *lpm,
		       const struct ref *r, const u8 *addr, unsigned int *hits)
{
	const struct sbxfw_rule_set *got = sbxfw_lpm_lookup(lpm, addr);
	struct sbxfw_rule_set want;

	ref_lookup(r, addr, &want);
	if (set_is_empty(&want)) {
		KUNIT_EXPECT_TRUE_MSG(test, !got || set_is_empty(got),
				      "address %*phN: no entry covers it",
				      (int)r->len, addr);
		return;
	}
	(*hits)++;
	KUNIT_ASSERT_NOT_NULL_MSG(test, got, "address %*phN: lookup missed",
				  (int)r->len, addr);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, &want, sizeof(want)), 0,
			    "address %*phN: rule sets differ", (int)r->len, addr);
}

/*
 * Random entries (prefixes and ranges) for random rules, built, then
 * every entry's boundaries +-1 and random addresses compared with the
 * reference.
 */
static void lpm_random(struct kunit *test, int family, u64 seed,
		       unsigned int nentries, unsigned int nrandom)
{
	unsigned int len = family == 4 ? 4 : 16, i, hits = 0;
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm = NULL;
	struct rnd_state rnd;
	struct ref r = { .len = len };
	u8 a[16];

	prandom_seed_state(&rnd, seed);
	r.e = kunit_kcalloc(test, nentries, sizeof(*r.e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.e);
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, family, nentries), 0);
	for (i = 0; i < nentries; i++) {
		struct ref_entry *e = &r.e[r.n];
		unsigned int rule = prandom_u32_state(&rnd) % SBXFW_LPM_MAX_RULES;
		int err;

		e->rule = rule;
		random_addr(&rnd, e->first, len);
		if (prandom_u32_state(&rnd) % 4) {
			unsigned int plen = random_plen(&rnd, len * 8);

			prefix_bounds(e->first, e->last, len, plen);
			err = sbxfw_lpm_add_prefix(b, e->first, plen, rule);
		} else {
			memcpy(e->last, e->first, len);
			/* A range over the last bytes, possibly one address. */
			e->last[len - 1] |= (u8)prandom_u32_state(&rnd);
			e->last[len - 2] |= (u8)(prandom_u32_state(&rnd) % 4);
			err = sbxfw_lpm_add_range(b, e->first, e->last, rule);
		}
		if (err) {
			sbxfw_lpm_builder_free(b);
			KUNIT_FAIL(test, "entry %u: add failed: %d", i, err);
			return;
		}
		r.n++;
	}
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_build(b, &lpm), 0);
	KUNIT_ASSERT_NOT_NULL(test, lpm);

	for (i = 0; i < r.n; i++) {
		memcpy(a, r.e[i].first, len);
		check_addr(test, lpm, &r, a, &hits);
		if (addr_step(a, len, -1))
			check_addr(test, lpm, &r, a, &hits);
		memcpy(a, r.e[i].last, len);
		check_addr(test, lpm, &r, a, &hits);
		if (addr_step(a, len, 1))
			check_addr(test, lpm, &r, a, &hits);
	}
	for (i = 0; i < nrandom; i++) {
		random_addr(&rnd, a, len);
		check_addr(test, lpm, &r, a, &hits);
	}
	/* The check means little if the addresses all missed. */
	KUNIT_EXPECT_GE(test, hits, r.n);
	kunit_info(test, "IPv%d: %u entries, %u intervals, %u sets, %u hits",
		   family, r.n, sbxfw_lpm_intervals(lpm), sbxfw_lpm_sets(lpm),
		   hits);
	sbxfw_lpm_free(lpm);
}

static void lpm_random_v4(struct kunit *test)
{
	u64 seed;

	for (seed = 1; seed <= 4; seed++)
		lpm_random(test, 4, seed, 64 << seed, 2000);
}

static void lpm_random_v6(struct kunit *test)
{
	u64 seed;

	for (seed = 11; seed <= 14; seed++)
		lpm_random(test, 6, seed, 32 << (seed - 10), 2000);
}

/* Few entries, many lookups: dense overlap of nested prefixes. */
static void lpm_random_nested(struct kunit *test)
{
	lpm_random(test, 4, 100, 8, 5000);
	lpm_random(test, 6, 101, 8, 5000);
}

static void lpm_errors(struct kunit *test)
{
	static const u8 host4[4] = { 10, 0, 0, 1 }, zero[16];
	static const u8 lo[4] = { 10, 0, 0, 9 }, hi[4] = { 10, 0, 0, 8 };
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm = NULL;

	KUNIT_EXPECT_EQ(test, sbxfw_lpm_builder_new(&b, 5, 10), -EINVAL);
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, 4, 2), 0);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, host4, 24, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, zero, 33, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, host4, 32,
						   SBXFW_LPM_MAX_RULES),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_range(b, lo, hi, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_range(b, hi, lo,
						  SBXFW_LPM_MAX_RULES),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, host4, 32, 1), 0);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_range(b, hi, lo, 2), 0);
	/* max_entries reached */
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, zero, 0, 3), -E2BIG);
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_build(b, &lpm), 0);
	KUNIT_EXPECT_NOT_NULL(test, sbxfw_lpm_lookup(lpm, host4));
	KUNIT_EXPECT_NULL(test, sbxfw_lpm_lookup(lpm, zero));
	sbxfw_lpm_free(lpm);

	KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, 6, 1), 0);
	KUNIT_EXPECT_EQ(test, sbxfw_lpm_add_prefix(b, zero, 129, 0), -EINVAL);
	sbxfw_lpm_builder_free(b);
}

static void lpm_empty(struct kunit *test)
{
	static const u8 a[16] = { 1, 2, 3, 4 };
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm = NULL;
	int family;

	for (family = 4; family <= 6; family += 2) {
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, family, 0), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_build(b, &lpm), 0);
		KUNIT_EXPECT_NULL(test, sbxfw_lpm_lookup(lpm, a));
		sbxfw_lpm_free(lpm);
		lpm = NULL;
	}
}

/* The whole space, its two ends, and prefixes that touch them. */
static void lpm_edges(struct kunit *test)
{
	static const u8 zero[16], ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 top[16] = { 0x80 }, mid[16] = { 0x7f, 0xff, 0xff };
	const struct sbxfw_rule_set *s;
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm = NULL;
	unsigned int len, family;

	for (family = 4; family <= 6; family += 2) {
		len = family == 4 ? 4 : 16;
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, family, 8), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_add_prefix(b, zero, 0, 0), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_add_prefix(b, zero, len * 8, 1), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_add_prefix(b, ones, len * 8, 2), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_add_prefix(b, top, 1, 255), 0);
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_build(b, &lpm), 0);

		s = sbxfw_lpm_lookup(lpm, zero);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, s->bits[0], 0x3ULL);
		KUNIT_EXPECT_EQ(test, s->bits[3], 0ULL);
		s = sbxfw_lpm_lookup(lpm, ones);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, s->bits[0], 0x5ULL);
		KUNIT_EXPECT_EQ(test, s->bits[3], 1ULL << 63);
		s = sbxfw_lpm_lookup(lpm, top);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, s->bits[0], 0x1ULL);
		KUNIT_EXPECT_EQ(test, s->bits[3], 1ULL << 63);
		s = sbxfw_lpm_lookup(lpm, mid);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, s->bits[0], 0x1ULL);
		KUNIT_EXPECT_EQ(test, s->bits[3], 0ULL);
		sbxfw_lpm_free(lpm);
		lpm = NULL;
	}
}

/* Every prefix length of one address, each its own rule. */
static void lpm_every_length(struct kunit *test)
{
	static const u8 base[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0xa5, 0x5a, 0xff, 0x00,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf1 };
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm = NULL;
	struct ref r = { .len = 16 };
	unsigned int plen, hits = 0;
	u8 a[16];

	r.e = kunit_kcalloc(test, 129, sizeof(*r.e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.e);
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_builder_new(&b, 6, 129), 0);
	for (plen = 0; plen <= 128; plen++) {
		struct ref_entry *e = &r.e[r.n++];

		memcpy(e->first, base, 16);
		prefix_bounds(e->first, e->last, 16, plen);
		e->rule = plen;
		KUNIT_ASSERT_EQ(test, sbxfw_lpm_add_prefix(b, e->first, plen,
							   plen), 0);
	}
	KUNIT_ASSERT_EQ(test, sbxfw_lpm_build(b, &lpm), 0);
	for (plen = 0; plen <= 128; plen++) {
		/* The address with bit plen flipped: covered by 0..plen. */
		memcpy(a, base, 16);
		if (plen < 128)
			a[plen / 8] ^= 0x80 >> (plen % 8);
		check_addr(test, lpm, &r, a, &hits);
		memcpy(a, r.e[plen].first, 16);
		check_addr(test, lpm, &r, a, &hits);
		if (addr_step(a, 16, -1))
			check_addr(test, lpm, &r, a, &hits);
		memcpy(a, r.e[plen].last, 16);
		if (addr_step(a, 16, 1))
			check_addr(test, lpm, &r, a, &hits);
	}
	sbxfw_lpm_free(lpm);
}

static struct kunit_case sbxfw_lpm_cases[] = {
	KUNIT_CASE(lpm_errors),
	KUNIT_CASE(lpm_empty),
	KUNIT_CASE(lpm_edges),
	KUNIT_CASE(lpm_every_length),
	KUNIT_CASE(lpm_random_nested),
	KUNIT_CASE(lpm_random_v4),
	KUNIT_CASE(lpm_random_v6),
	{}
};

static struct kunit_suite sbxfw_lpm_suite = {
	.name = "sbxfw_lpm",
	.test_cases = sbxfw_lpm_cases,
};

kunit_test_suite(sbxfw_lpm_suite);
