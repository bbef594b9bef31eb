// SPDX-License-Identifier: GPL-2.0
/*
 * The address lookup of compiled policies (kmod/lpm.c): exact cases, every
 * error code, and a randomized cross-check against a naive reference that
 * takes the entries one by one.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpm.h"
#include "tests.h"

/* Fixed seeds: a failure reproduces. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	return test_splitmix64(&rng_state);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/*
 * The reference: entries as [first, last] in a plain array, each looked at
 * on its own; addresses as two host-order halves, right-aligned for IPv4
 * (unlike lpm.c, which keeps IPv4 in the top bits).
 */
struct ref_entry {
	uint64_t first_hi, first_lo, last_hi, last_lo;
	unsigned int rule;
};

struct ref {
	int family;
	size_t len;
	size_t n, cap;
	struct ref_entry *e;
};

struct addr {
	uint8_t b[16];
};

static void halves(const struct ref *r, const uint8_t *a, uint64_t *hi,
		   uint64_t *lo)
{
	size_t i;

	*hi = 0;
	*lo = 0;
	for (i = 0; i < r->len; i++) {
		*hi = *hi << 8 | *lo >> 56;
		*lo = *lo << 8 | a[i];
	}
}

static void ref_init(struct ref *r, int family)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->len = family == 4 ? 4 : 16;
}

static void ref_add(struct ref *r, const uint8_t *first, const uint8_t *last,
		    unsigned int rule)
{
	struct ref_entry *e;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->e = realloc(r->e, r->cap * sizeof(*r->e));
		assert_non_null(r->e);
	}
	e = &r->e[r->n++];
	halves(r, first, &e->first_hi, &e->first_lo);
	halves(r, last, &e->last_hi, &e->last_lo);
	e->rule = rule;
}

static bool le(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo)
{
	return ahi < bhi || (ahi == bhi && alo <= blo);
}

static void set_add(struct sbxfw_rule_set *s, unsigned int rule)
{
	s->bits[rule / 64] |= 1ULL << (rule % 64);
}

struct query {
	uint64_t hi, lo;
	size_t i;
};

static int cmp_query(const void *a, const void *b)
{
	const struct query *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

/*
 * Fills out[i] with the union of the entries covering addrs[i]. The
 * addresses are sorted so that each entry finds those it covers by
 * bisection, which keeps a million entries times thousands of addresses
 * fast; the entries are still each taken on their own.
 */
static void ref_lookup(const struct ref *r, const struct addr *addrs, size_t n,
		       struct sbxfw_rule_set *out)
{
	struct query *q = calloc(n, sizeof(*q));
	size_t i, lo, hi;

	assert_non_null(q);
	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < n; i++) {
		halves(r, addrs[i].b, &q[i].hi, &q[i].lo);
		q[i].i = i;
	}
	qsort(q, n, sizeof(*q), cmp_query);
	for (i = 0; i < r->n; i++) {
		const struct ref_entry *e = &r->e[i];

		lo = 0;
		hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (le(e->first_hi, e->first_lo, q[mid].hi, q[mid].lo))
				hi = mid;
			else
				lo = mid + 1;
		}
		for (; lo < n && le(q[lo].hi, q[lo].lo, e->last_hi, e->last_lo);
		     lo++)
			set_add(&out[q[lo].i], e->rule);
	}
	free(q);
}

static void ref_free(struct ref *r)
{
	free(r->e);
}

static bool set_is_empty(const struct sbxfw_rule_set *s)
{
	static const struct sbxfw_rule_set empty;

	return !memcmp(s, &empty, sizeof(*s));
}

static void print_addr(const struct ref *r, const struct addr *a)
{
	size_t i;

	for (i = 0; i < r->len; i++)
		print_message("%02x", a->b[i]);
}

static void check_many(const struct sbxfw_lpm *lpm, const struct ref *r,
		       const struct addr *addrs, size_t n)
{
	struct sbxfw_rule_set *want = calloc(n, sizeof(*want));
	const struct sbxfw_rule_set *got;
	size_t i;

	assert_non_null(want);
	ref_lookup(r, addrs, n, want);
	for (i = 0; i < n; i++) {
		got = sbxfw_lpm_lookup(lpm, addrs[i].b);
		if (!got && set_is_empty(&want[i]))
			continue;
		if (got && !memcmp(got, &want[i], sizeof(*got)))
			continue;
		print_message("# lookup of ");
		print_addr(r, &addrs[i]);
		print_message(" disagrees with the reference (%s)\n",
			      got ? "wrong set" : "NULL");
		free(want);
		fail();
	}
	free(want);
}

/* Address arithmetic on bytes; false when it wraps around. */
static bool addr_inc(struct addr *a, size_t len)
{
	size_t i = len;

	while (i--)
		if (++a->b[i])
			return true;
	return false;
}

static bool addr_dec(struct addr *a, size_t len)
{
	size_t i = len;

	while (i--)
		if (a->b[i]--)
			return true;
	return false;
}

/* Sets (ones) or clears every bit from @plen on. */
static void host_bits(struct addr *a, size_t len, unsigned int plen, bool ones)
{
	unsigned int bit;

	for (bit = plen; bit < len * 8; bit++) {
		uint8_t m = 0x80 >> (bit % 8);

		if (ones)
			a->b[bit / 8] |= m;
		else
			a->b[bit / 8] &= ~m;
	}
}

static void random_addr(struct addr *a)
{
	uint64_t x = rnd(), y = rnd();

	memcpy(a->b, &x, 8);
	memcpy(a->b + 8, &y, 8);
}

/*
 * How random entries are drawn: around a few bases, so that they nest and
 * overlap, and, when @shared is not 0, all within one block of that many
 * leading bits (the case where lpm.c's index skips bits).
 */
struct gen {
	size_t len;
	unsigned int nrules;
	unsigned int shared;
	struct addr bases[12];
};

static void clustered_addr(struct addr *a, const struct gen *g)
{
	unsigned int width = g->len * 8;
	unsigned int bit = g->shared + below(width - g->shared + 1);
	struct addr noise;

	*a = g->bases[below(ARRAY_SIZE(g->bases))];
	random_addr(&noise);
	for (; bit < width; bit++) {
		uint8_t m = 0x80 >> (bit % 8);

		a->b[bit / 8] = (a->b[bit / 8] & ~m) | (noise.b[bit / 8] & m);
	}
}

static void gen_init(struct gen *g, int family, unsigned int nrules,
		     unsigned int shared)
{
	unsigned int bit;
	size_t i;

	g->len = family == 4 ? 4 : 16;
	g->nrules = nrules;
	g->shared = shared;
	for (i = 0; i < ARRAY_SIZE(g->bases); i++)
		random_addr(&g->bases[i]);
	if (shared) {
		for (i = 1; i < ARRAY_SIZE(g->bases); i++)
			for (bit = 0; bit < shared; bit++) {
				uint8_t m = 0x80 >> (bit % 8);

				g->bases[i].b[bit / 8] &= ~m;
				g->bases[i].b[bit / 8] |=
					g->bases[0].b[bit / 8] & m;
			}
	} else {
		memset(g->bases[0].b, 0, sizeof(g->bases[0].b));
		memset(g->bases[1].b, 0xff, sizeof(g->bases[1].b));
	}
}

struct entry {
	struct addr first, last;
	unsigned int rule;
};

static unsigned int random_plen(const struct gen *g)
{
	static const unsigned int special4[] = { 0, 1, 31, 32 };
	static const unsigned int special6[] = { 0, 1, 63, 64, 65, 127, 128 };
	unsigned int width = g->len * 8, a, b;

	if (!g->shared && !below(6))
		return width == 32 ? special4[below(ARRAY_SIZE(special4))] :
				     special6[below(ARRAY_SIZE(special6))];
	a = g->shared + below(width - g->shared + 1);
	b = g->shared + below(width - g->shared + 1);
	return a > b ? a : b;
}

/* Adds one random entry to both the builder and the reference. */
static void add_random(struct sbxfw_lpm_builder *b, struct ref *r,
		       const struct gen *g, struct entry *entries, size_t i)
{
	unsigned int kind = below(10), plen;
	struct entry *e = &entries[i];
	struct addr tmp;

	e->rule = below(g->nrules);
	if (kind == 0 && i > 0) {
		*e = entries[below(i)];
		if (below(2))
			e->rule = below(g->nrules);
		assert_int_equal(sbxfw_lpm_add_range(b, e->first.b, e->last.b,
						     e->rule),
				 0);
	} else if (kind <= 2) {
		clustered_addr(&e->first, g);
		clustered_addr(&e->last, g);
		if (memcmp(e->first.b, e->last.b, g->len) > 0) {
			tmp = e->first;
			e->first = e->last;
			e->last = tmp;
		}
		assert_int_equal(sbxfw_lpm_add_range(b, e->first.b, e->last.b,
						     e->rule),
				 0);
	} else {
		plen = random_plen(g);
		if (below(4) || g->shared)
			clustered_addr(&e->first, g);
		else
			random_addr(&e->first);
		host_bits(&e->first, g->len, plen, false);
		e->last = e->first;
		host_bits(&e->last, g->len, plen, true);
		assert_int_equal(
			sbxfw_lpm_add_prefix(b, e->first.b, plen, e->rule), 0);
	}
	ref_add(r, e->first.b, e->last.b, e->rule);
}

/*
 * Builds @n random entries over @nrules rules and looks up every entry's
 * first and last address, their neighbours, and random addresses. With
 * @shared bits, the last entry runs from inside the block to the top of
 * the space, so that addresses above the block find a set too.
 */
static void cross_check(int family, uint64_t seed, size_t n,
			unsigned int nrules, unsigned int shared)
{
	struct entry *entries = calloc(n, sizeof(*entries));
	struct addr *q = calloc(4 * n + 2000, sizeof(*q));
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;
	size_t i, nq = 0;
	struct ref r;
	struct gen g;

	assert_non_null(entries);
	assert_non_null(q);
	rng_state = seed;
	gen_init(&g, family, nrules, shared);
	ref_init(&r, family);

	assert_int_equal(sbxfw_lpm_builder_new(&b, family, n), 0);
	for (i = 0; i < n - !!shared; i++)
		add_random(b, &r, &g, entries, i);
	if (shared) {
		clustered_addr(&entries[i].first, &g);
		memset(entries[i].last.b, 0xff, g.len);
		assert_int_equal(sbxfw_lpm_add_range(b, entries[i].first.b,
						     entries[i].last.b, 0),
				 0);
		ref_add(&r, entries[i].first.b, entries[i].last.b, 0);
	}
	assert_int_equal(sbxfw_lpm_build(b, &lpm), 0);
	assert_true(sbxfw_lpm_intervals(lpm) <= 2 * n + 1);
	assert_true(sbxfw_lpm_sets(lpm) <= sbxfw_lpm_intervals(lpm));

	for (i = 0; i < n; i++) {
		q[nq++] = entries[i].first;
		q[nq++] = entries[i].last;
		q[nq] = entries[i].first;
		if (addr_dec(&q[nq], g.len))
			nq++;
		q[nq] = entries[i].last;
		if (addr_inc(&q[nq], g.len))
			nq++;
	}
	for (i = 0; i < 1000; i++)
		random_addr(&q[nq++]);
	for (i = 0; i < 1000; i++)
		clustered_addr(&q[nq++], &g);
	check_many(lpm, &r, q, nq);

	sbxfw_lpm_free(lpm);
	ref_free(&r);
	free(q);
	free(entries);
}

static void test_lpm_random_v4(void **state)
{
	(void)state;
	cross_check(4, 1, 2000, 256, 0);
	cross_check(4, 2, 2000, 8, 0);
	cross_check(4, 3, 3000, 1, 0);
	cross_check(4, 4, 50, 3, 0);
	cross_check(4, 5, 2000, 16, 12);
	cross_check(4, 6, 20, 4, 27);
}

static void test_lpm_random_v6(void **state)
{
	(void)state;
	cross_check(6, 7, 2000, 256, 0);
	cross_check(6, 8, 2000, 8, 0);
	cross_check(6, 9, 3000, 1, 0);
	cross_check(6, 10, 50, 3, 0);
	cross_check(6, 11, 2000, 16, 32);
	cross_check(6, 12, 2000, 16, 70);
	cross_check(6, 13, 20, 4, 120);
}

/* Parses an address the way the kernel receives it: network order. */
static struct addr ip(int family, const char *text)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, text, a.b),
			 1);
	return a;
}

static struct sbxfw_lpm_builder *builder(int family, u32 max)
{
	struct sbxfw_lpm_builder *b = NULL;

	assert_int_equal(sbxfw_lpm_builder_new(&b, family, max), 0);
	assert_non_null(b);
	return b;
}

static void add_prefix(struct sbxfw_lpm_builder *b, int family,
		       const char *text, unsigned int plen, unsigned int rule)
{
	struct addr a = ip(family, text);

	assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, plen, rule), 0);
}

static void add_range(struct sbxfw_lpm_builder *b, int family,
		      const char *first, const char *last, unsigned int rule)
{
	struct addr f = ip(family, first), l = ip(family, last);

	assert_int_equal(sbxfw_lpm_add_range(b, f.b, l.b, rule), 0);
}

static struct sbxfw_lpm *build(struct sbxfw_lpm_builder *b)
{
	struct sbxfw_lpm *lpm = NULL;

	assert_int_equal(sbxfw_lpm_build(b, &lpm), 0);
	assert_non_null(lpm);
	return lpm;
}

static const struct sbxfw_rule_set *lookup(const struct sbxfw_lpm *lpm,
					   int family, const char *text)
{
	struct addr a = ip(family, text);

	return sbxfw_lpm_lookup(lpm, a.b);
}

/*
 * Asserts the set at @text holds exactly the rules in @rules (ended by
 * -1); an empty list means no set at all.
 */
static void expect(const struct sbxfw_lpm *lpm, int family, const char *text,
		   const int *rules)
{
	const struct sbxfw_rule_set *got = lookup(lpm, family, text);
	struct sbxfw_rule_set want;

	memset(&want, 0, sizeof(want));
	for (; *rules >= 0; rules++)
		set_add(&want, *rules);
	if (set_is_empty(&want)) {
		if (got)
			print_message("# %s: a set, not NULL\n", text);
		assert_null(got);
		return;
	}
	if (!got)
		print_message("# %s: NULL, not a set\n", text);
	assert_non_null(got);
	if (memcmp(got, &want, sizeof(want)))
		print_message("# %s: wrong set\n", text);
	assert_memory_equal(got, &want, sizeof(want));
}

#define RULES(...) ((const int[]){ __VA_ARGS__, -1 })
#define NONE ((const int[]){ -1 })

static void test_lpm_empty(void **state)
{
	struct sbxfw_lpm *lpm;

	(void)state;
	lpm = build(builder(4, 10));
	assert_int_equal(sbxfw_lpm_intervals(lpm), 1);
	assert_int_equal(sbxfw_lpm_sets(lpm), 0);
	assert_true(sbxfw_lpm_size(lpm) > 0);
	expect(lpm, 4, "0.0.0.0", NONE);
	expect(lpm, 4, "10.1.2.3", NONE);
	expect(lpm, 4, "255.255.255.255", NONE);
	sbxfw_lpm_free(lpm);

	lpm = build(builder(6, 0));
	assert_int_equal(sbxfw_lpm_intervals(lpm), 1);
	assert_int_equal(sbxfw_lpm_sets(lpm), 0);
	expect(lpm, 6, "::", NONE);
	expect(lpm, 6, "2001:db8::1", NONE);
	expect(lpm, 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NONE);
	sbxfw_lpm_free(lpm);

	sbxfw_lpm_free(NULL);
}

static void test_lpm_everything(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 1);
	add_prefix(b, 4, "0.0.0.0", 0, 3);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 1);
	assert_int_equal(sbxfw_lpm_sets(lpm), 1);
	expect(lpm, 4, "0.0.0.0", RULES(3));
	expect(lpm, 4, "128.0.0.0", RULES(3));
	expect(lpm, 4, "255.255.255.255", RULES(3));
	sbxfw_lpm_free(lpm);

	b = builder(6, 2);
	add_prefix(b, 6, "::", 0, 255);
	add_range(b, 6, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 1);
	assert_int_equal(sbxfw_lpm_sets(lpm), 1);
	expect(lpm, 6, "::", RULES(0, 255));
	expect(lpm, 6, "8000::", RULES(0, 255));
	expect(lpm, 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	       RULES(0, 255));
	sbxfw_lpm_free(lpm);
}

static void test_lpm_single_address(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 1);
	add_prefix(b, 4, "192.0.2.1", 32, 7);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	assert_int_equal(sbxfw_lpm_sets(lpm), 1);
	expect(lpm, 4, "192.0.2.0", NONE);
	expect(lpm, 4, "192.0.2.1", RULES(7));
	expect(lpm, 4, "192.0.2.2", NONE);
	sbxfw_lpm_free(lpm);

	b = builder(6, 1);
	add_prefix(b, 6, "2001:db8::1", 128, 64);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	expect(lpm, 6, "2001:db8::", NONE);
	expect(lpm, 6, "2001:db8::1", RULES(64));
	expect(lpm, 6, "2001:db8::2", NONE);
	sbxfw_lpm_free(lpm);

	/* At both ends of the space: no interval before, none after. */
	b = builder(4, 2);
	add_prefix(b, 4, "0.0.0.0", 32, 1);
	add_prefix(b, 4, "255.255.255.255", 32, 2);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	expect(lpm, 4, "0.0.0.0", RULES(1));
	expect(lpm, 4, "0.0.0.1", NONE);
	expect(lpm, 4, "255.255.255.254", NONE);
	expect(lpm, 4, "255.255.255.255", RULES(2));
	sbxfw_lpm_free(lpm);

	b = builder(6, 2);
	add_prefix(b, 6, "::", 128, 1);
	add_prefix(b, 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 2);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	expect(lpm, 6, "::", RULES(1));
	expect(lpm, 6, "::1", NONE);
	expect(lpm, 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", NONE);
	expect(lpm, 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RULES(2));
	sbxfw_lpm_free(lpm);
}

static void test_lpm_adjacent_merge(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	/* Two halves, a range and a duplicate: one interval of rule 2. */
	b = builder(4, 4);
	add_prefix(b, 4, "10.0.0.128", 25, 2);
	add_prefix(b, 4, "10.0.0.0", 25, 2);
	add_range(b, 4, "10.0.1.0", "10.0.1.255", 2);
	add_prefix(b, 4, "10.0.0.0", 25, 2);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	assert_int_equal(sbxfw_lpm_sets(lpm), 1);
	expect(lpm, 4, "9.255.255.255", NONE);
	expect(lpm, 4, "10.0.0.0", RULES(2));
	expect(lpm, 4, "10.0.0.127", RULES(2));
	expect(lpm, 4, "10.0.0.128", RULES(2));
	expect(lpm, 4, "10.0.1.255", RULES(2));
	expect(lpm, 4, "10.0.2.0", NONE);
	sbxfw_lpm_free(lpm);

	/* Adjacent but different rules stay apart. */
	b = builder(4, 2);
	add_prefix(b, 4, "10.0.0.0", 25, 2);
	add_prefix(b, 4, "10.0.0.128", 25, 3);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 4);
	assert_int_equal(sbxfw_lpm_sets(lpm), 2);
	expect(lpm, 4, "10.0.0.127", RULES(2));
	expect(lpm, 4, "10.0.0.128", RULES(3));
	sbxfw_lpm_free(lpm);

	/* Across the two 64-bit halves of an IPv6 key. */
	b = builder(6, 2);
	add_prefix(b, 6, "2001:db8:0:1::", 64, 9);
	add_prefix(b, 6, "2001:db8::", 64, 9);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	expect(lpm, 6, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", NONE);
	expect(lpm, 6, "2001:db8::", RULES(9));
	expect(lpm, 6, "2001:db8:0:0:ffff:ffff:ffff:ffff", RULES(9));
	expect(lpm, 6, "2001:db8:0:1::", RULES(9));
	expect(lpm, 6, "2001:db8:0:1:ffff:ffff:ffff:ffff", RULES(9));
	expect(lpm, 6, "2001:db8:0:2::", NONE);
	sbxfw_lpm_free(lpm);
}

/*
 * Entries that reach the top of the space: addresses above every boundary
 * are in the last interval, below every boundary in the first.
 */
static void test_lpm_to_the_top(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 2);
	add_range(b, 4, "192.168.0.0", "255.255.255.255", 4);
	add_prefix(b, 4, "192.168.1.0", 24, 5);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 4);
	expect(lpm, 4, "10.0.0.1", NONE);
	expect(lpm, 4, "192.167.255.255", NONE);
	expect(lpm, 4, "192.168.0.0", RULES(4));
	expect(lpm, 4, "192.168.1.1", RULES(4, 5));
	expect(lpm, 4, "192.168.2.0", RULES(4));
	expect(lpm, 4, "192.168.3.255", RULES(4));
	expect(lpm, 4, "200.0.0.0", RULES(4));
	expect(lpm, 4, "255.255.255.255", RULES(4));
	sbxfw_lpm_free(lpm);

	b = builder(6, 2);
	add_range(b, 6, "2001:db8::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  1);
	add_prefix(b, 6, "2001:db8::", 64, 2);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 3);
	expect(lpm, 6, "::1", NONE);
	expect(lpm, 6, "2001:db7::", NONE);
	expect(lpm, 6, "2001:db8::1", RULES(1, 2));
	expect(lpm, 6, "2001:db8:0:1::", RULES(1));
	expect(lpm, 6, "2001:db9::", RULES(1));
	expect(lpm, 6, "ffff::1", RULES(1));
	sbxfw_lpm_free(lpm);
}

/* The worked example at the top of lpm.c. */
static void test_lpm_example(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 4);
	add_prefix(b, 4, "10.0.0.0", 8, 0);
	add_prefix(b, 4, "10.1.0.0", 16, 1);
	add_range(b, 4, "10.1.0.128", "10.2.0.0", 2);
	add_prefix(b, 4, "10.3.0.0", 16, 0);
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 7);
	assert_int_equal(sbxfw_lpm_sets(lpm), 4);
	expect(lpm, 4, "9.255.255.255", NONE);
	expect(lpm, 4, "10.0.0.0", RULES(0));
	expect(lpm, 4, "10.1.0.0", RULES(0, 1));
	expect(lpm, 4, "10.1.0.200", RULES(0, 1, 2));
	expect(lpm, 4, "10.2.0.0", RULES(0, 2));
	expect(lpm, 4, "10.2.0.1", RULES(0));
	expect(lpm, 4, "10.3.0.0", RULES(0));
	expect(lpm, 4, "10.255.255.255", RULES(0));
	expect(lpm, 4, "11.0.0.0", NONE);
	expect(lpm, 4, "192.0.2.1", NONE);
	assert_ptr_equal(lookup(lpm, 4, "10.0.0.0"),
			 lookup(lpm, 4, "10.4.0.0"));
	sbxfw_lpm_free(lpm);
}

/* Not longest-prefix match: every entry covering an address counts. */
static void test_lpm_union(void **state)
{
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 5);
	add_prefix(b, 4, "10.0.0.0", 8, 0);
	add_prefix(b, 4, "10.1.0.0", 16, 1);
	add_range(b, 4, "10.1.0.128", "10.2.0.0", 200);
	add_prefix(b, 4, "10.1.0.0", 16, 1);
	add_prefix(b, 4, "10.1.0.200", 32, 0);
	lpm = build(b);
	expect(lpm, 4, "9.255.255.255", NONE);
	expect(lpm, 4, "10.0.0.0", RULES(0));
	expect(lpm, 4, "10.1.0.127", RULES(0, 1));
	expect(lpm, 4, "10.1.0.128", RULES(0, 1, 200));
	expect(lpm, 4, "10.1.0.200", RULES(0, 1, 200));
	expect(lpm, 4, "10.1.255.255", RULES(0, 1, 200));
	expect(lpm, 4, "10.2.0.0", RULES(0, 200));
	expect(lpm, 4, "10.2.0.1", RULES(0));
	expect(lpm, 4, "11.0.0.0", NONE);
	assert_int_equal(sbxfw_lpm_sets(lpm), 4);
	sbxfw_lpm_free(lpm);

	b = builder(6, 3);
	add_prefix(b, 6, "2001:db8::", 32, 5);
	add_prefix(b, 6, "2001:db8:1::", 48, 6);
	add_range(b, 6, "2001:db8:1::ff", "2001:db9::", 7);
	lpm = build(b);
	expect(lpm, 6, "2001:db8:1::fe", RULES(5, 6));
	expect(lpm, 6, "2001:db8:1::ff", RULES(5, 6, 7));
	expect(lpm, 6, "2001:db8:2::", RULES(5, 7));
	expect(lpm, 6, "2001:db9::", RULES(7));
	expect(lpm, 6, "2001:db9::1", NONE);
	sbxfw_lpm_free(lpm);
}

/* Identical sets are stored once: the same pointer comes back. */
static void test_lpm_interning(void **state)
{
	const struct sbxfw_rule_set *first[3];
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;
	char text[32];
	int i;

	(void)state;
	b = builder(4, 300);
	for (i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "10.0.%d.0", 2 * i);
		add_prefix(b, 4, text, 24, i % 3);
	}
	lpm = build(b);
	assert_int_equal(sbxfw_lpm_sets(lpm), 3);
	assert_int_equal(sbxfw_lpm_intervals(lpm), 201);
	for (i = 0; i < 100; i++) {
		const struct sbxfw_rule_set *got;

		snprintf(text, sizeof(text), "10.0.%d.17", 2 * i);
		got = lookup(lpm, 4, text);
		assert_non_null(got);
		if (i < 3)
			first[i] = got;
		assert_ptr_equal(got, first[i % 3]);
		snprintf(text, sizeof(text), "10.0.%d.17", 2 * i + 1);
		assert_null(lookup(lpm, 4, text));
	}
	sbxfw_lpm_free(lpm);
}

static void test_lpm_bad_prefix(void **state)
{
	struct addr v4 = ip(4, "10.0.0.1"), v6 = ip(6, "2001:db8::1");
	struct addr net4 = ip(4, "10.0.0.0"), net6 = ip(6, "2001:db8::");
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 10);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v4.b, 24, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v4.b, 0, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v4.b, 31, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v4.b, 33, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net4.b, 128, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net4.b, 24, 256), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net4.b, 24, -1U), -EINVAL);
	/* Refusals change nothing: the builder goes on. */
	assert_int_equal(sbxfw_lpm_add_prefix(b, v4.b, 32, 255), 0);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net4.b, 24, 0), 0);
	lpm = build(b);
	expect(lpm, 4, "10.0.0.0", RULES(0));
	expect(lpm, 4, "10.0.0.1", RULES(0, 255));
	expect(lpm, 4, "10.0.1.0", NONE);
	sbxfw_lpm_free(lpm);

	b = builder(6, 10);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v6.b, 64, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v6.b, 127, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net6.b, 129, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, net6.b, 32, 256), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, v6.b, 128, 0), 0);
	sbxfw_lpm_builder_free(b);
}

static void test_lpm_bad_range(void **state)
{
	struct addr lo4 = ip(4, "10.0.0.1"), hi4 = ip(4, "10.0.0.2");
	struct addr lo6 = ip(6, "2001:db8::1"), hi6 = ip(6, "2001:db8::2");
	struct addr top6 = ip(6, "2001:db9::"), low6 = ip(6, "2001:db8::ffff");
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 10);
	assert_int_equal(sbxfw_lpm_add_range(b, hi4.b, lo4.b, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_range(b, lo4.b, hi4.b, 256), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_range(b, lo4.b, lo4.b, 1), 0);
	lpm = build(b);
	expect(lpm, 4, "10.0.0.0", NONE);
	expect(lpm, 4, "10.0.0.1", RULES(1));
	expect(lpm, 4, "10.0.0.2", NONE);
	sbxfw_lpm_free(lpm);

	b = builder(6, 10);
	assert_int_equal(sbxfw_lpm_add_range(b, hi6.b, lo6.b, 0), -EINVAL);
	/* The high half decides, whatever the low halves say. */
	assert_int_equal(sbxfw_lpm_add_range(b, top6.b, low6.b, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_range(b, lo6.b, hi6.b, 1000), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_range(b, lo6.b, top6.b, 4), 0);
	sbxfw_lpm_builder_free(b);
}

static void test_lpm_bad_family(void **state)
{
	static const int families[] = { 0, 1, 2, 5, 10, -4, 46 };
	struct sbxfw_lpm_builder *b;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		b = NULL;
		assert_int_equal(sbxfw_lpm_builder_new(&b, families[i], 10),
				 -EINVAL);
		assert_null(b);
	}
}

static void test_lpm_too_many(void **state)
{
	struct addr a = ip(4, "10.0.0.0"), z = ip(4, "10.0.0.9");
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;

	(void)state;
	b = builder(4, 0);
	assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, 8, 0), -E2BIG);
	assert_int_equal(sbxfw_lpm_add_range(b, a.b, z.b, 0), -E2BIG);
	sbxfw_lpm_builder_free(b);

	b = builder(4, 3);
	assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, 8, 0), 0);
	assert_int_equal(sbxfw_lpm_add_range(b, a.b, z.b, 1), 0);
	/* A refused entry does not count. */
	assert_int_equal(sbxfw_lpm_add_prefix(b, z.b, 8, 0), -EINVAL);
	assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, 24, 2), 0);
	assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, 24, 3), -E2BIG);
	assert_int_equal(sbxfw_lpm_add_range(b, a.b, z.b, 3), -E2BIG);
	lpm = build(b);
	expect(lpm, 4, "10.0.0.9", RULES(0, 1, 2));
	expect(lpm, 4, "10.0.0.10", RULES(0, 2));
	sbxfw_lpm_free(lpm);
}

/* Abandoned builders, full or empty, leak nothing (ASan checks). */
static void test_lpm_abandon(void **state)
{
	struct sbxfw_lpm_builder *b;
	int i;

	(void)state;
	b = builder(6, 1000);
	for (i = 0; i < 1000; i++) {
		struct addr a = ip(6, "2001:db8::");

		a.b[14] = i >> 8;
		a.b[15] = i & 0xff;
		assert_int_equal(sbxfw_lpm_add_prefix(b, a.b, 128, i % 256), 0);
	}
	sbxfw_lpm_builder_free(b);
	sbxfw_lpm_builder_free(builder(4, 5));
	sbxfw_lpm_builder_free(NULL);
}

/*
 * The policy limit: a million random /24../32 entries build, and agree
 * with the reference on entry boundaries and random addresses.
 */
static void test_lpm_million_v4(void **state)
{
	const size_t n = 1000000, checked = 10000;
	struct addr *q = calloc(4 * checked + 10000, sizeof(*q));
	struct sbxfw_lpm_builder *b;
	struct sbxfw_lpm *lpm;
	struct addr first, last;
	size_t i, nq = 0;
	struct ref r;

	(void)state;
	assert_non_null(q);
	rng_state = 1000000;
	ref_init(&r, 4);
	b = builder(4, n);
	for (i = 0; i < n; i++) {
		unsigned int plen = 24 + below(9), rule = below(256);

		random_addr(&first);
		host_bits(&first, 4, plen, false);
		last = first;
		host_bits(&last, 4, plen, true);
		assert_int_equal(sbxfw_lpm_add_prefix(b, first.b, plen, rule),
				 0);
		ref_add(&r, first.b, last.b, rule);
		if (i % (n / checked))
			continue;
		q[nq++] = first;
		q[nq++] = last;
		if (addr_dec(&first, 4))
			q[nq++] = first;
		if (addr_inc(&last, 4))
			q[nq++] = last;
	}
	assert_int_equal(sbxfw_lpm_add_prefix(b, first.b, 32, 0), -E2BIG);
	lpm = build(b);
	assert_true(sbxfw_lpm_intervals(lpm) > n);
	assert_true(sbxfw_lpm_intervals(lpm) <= 2 * n + 1);
	for (i = 0; i < 10000; i++)
		random_addr(&q[nq++]);
	check_many(lpm, &r, q, nq);
	sbxfw_lpm_free(lpm);
	ref_free(&r);
	free(q);
}

const struct CMUnitTest lpm_tests[] = {
	cmocka_unit_test(test_lpm_empty),
	cmocka_unit_test(test_lpm_everything),
	cmocka_unit_test(test_lpm_single_address),
	cmocka_unit_test(test_lpm_adjacent_merge),
	cmocka_unit_test(test_lpm_example),
	cmocka_unit_test(test_lpm_to_the_top),
	cmocka_unit_test(test_lpm_union),
	cmocka_unit_test(test_lpm_interning),
	cmocka_unit_test(test_lpm_bad_prefix),
	cmocka_unit_test(test_lpm_bad_range),
	cmocka_unit_test(test_lpm_bad_family),
	cmocka_unit_test(test_lpm_too_many),
	cmocka_unit_test(test_lpm_abandon),
	cmocka_unit_test(test_lpm_random_v4),
	cmocka_unit_test(test_lpm_random_v6),
	cmocka_unit_test(test_lpm_million_v4),
};
const size_t n_lpm_tests = ARRAY_SIZE(lpm_tests);
