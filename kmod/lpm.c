// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfw address lookup: for one address family, which rules' address sets
 * contain an address.
 *
 * Problem
 * -------
 * A policy has up to 256 rules, and a rule's destination may be a set of
 * CIDR prefixes and address ranges: up to 2^20 entries in all. For each
 * packet the hooks ask which rules have an entry covering the address. This
 * is not a longest-prefix match: the first rule in order whose ports and
 * protocols also match wins, so the answer is the union of the rules of all
 * covering entries, a bitmap (struct sbxfw_rule_set) whose set bits the
 * caller walks in order. Building happens once per policy, in process
 * context; lookups happen on any CPU, lock-free, on the immutable result.
 *
 * Idea
 * ----
 * However the entries nest and overlap, their endpoints cut the address
 * space into at most 2n + 1 intervals, and all addresses of an interval are
 * covered by the same entries. So the build flattens the entries into
 * disjoint intervals covering the whole space, each naming its rule set,
 * and a lookup only has to find the interval holding the address: a search
 * in a sorted array, narrowed by a direct index, then one load. A trie
 * (WireGuard's allowedips) answers longest match; for a union it would have
 * to collect the matches along the path (up to 128 nodes) or push bitmaps
 * down into the leaves, which multiplies memory when entries nest.
 *
 * One key type serves both families: struct k128, a pair of u64 (no
 * __int128, which 32-bit builds lack). IPv4 address a is the block of keys
 * [a << 96, a << 96 | (2^96 - 1)], so the build has one code path and one
 * wraparound case (past the all-ones key), and IPv4 interval starts, all
 * multiples of 2^96, are stored as the u32 a.
 *
 * Building, O(n log n)
 * --------------------
 * 1. Each added entry becomes two endpoints: its first key, where its rule
 *    joins, and the key after its last, where the rule leaves (none for an
 *    entry that reaches the top of the space). Adding checks and converts,
 *    nothing more.
 * 2. The endpoints are sorted: a counting pass spreads them in place into
 *    buckets on the bits that follow those all endpoints share, then
 *    sort() orders each bucket. The kernel's sort() is a heapsort, whose
 *    scattered accesses over 48 MB made a million-entry build take 1.8 s
 *    with one sort() call, 0.4 s with buckets that fit in cache. All keys
 *    in one bucket only brings back the single sort().
 * 3. A sweep over the sorted endpoints keeps, per rule, the count of
 *    entries covering the current key, and the bitmap of rules whose count
 *    is not zero. Each distinct endpoint may begin an interval; when the
 *    bitmap did not change there (adjacent, nested or duplicated entries of
 *    the same rules), the interval merges into the one before.
 * 4. Sets are interned: each distinct bitmap is stored once, and intervals
 *    hold a u32 set number, 0 for none (the lookup returns NULL). A first
 *    sweep collects the bitmaps (a small direct-mapped cache keeps repeats
 *    out), which are sorted and deduplicated; a second sweep, which meets
 *    the same intervals, stores each start and finds its set number by
 *    bisection. Sorting rather than hashing keeps the bound O(n log n)
 *    whatever sets a policy is made of.
 * 5. The index: the bits that all interval starts but the first share are
 *    skipped (IPv6 entries often all sit in one /16), and the next b bits
 *    of an address, b = log2(intervals) rounded up, at most 16, name a
 *    bucket. index[t] is the last interval that begins in a bucket below t,
 *    so an address of bucket t lies in intervals index[t] .. index[t + 1].
 *
 * Lookup
 * ------
 * An address outside the block the skipped bits describe lies in the first
 * or the last interval. Otherwise two index loads give a window, a binary
 * search without data-dependent branches finds the last interval start at
 * or below the address, and its set number gives the set. Windows hold
 * about one interval up to 2^16 intervals and 30 at two million; at worst,
 * with every start in one bucket, the window is all of them: 22 steps for
 * 2^21 intervals. No lock, no allocation, no recursion, a few words of
 * stack.
 *
 * Worked example, IPv4
 * --------------------
 *   rule 0: 10.0.0.0/8   rule 1: 10.1.0.0/16   rule 2: 10.1.0.128-10.2.0.0
 *   rule 0: 10.3.0.0/16
 *
 *   endpoints:  10.0.0.0 +0    10.1.0.0 +1   10.1.0.128 +2   10.2.0.0 -1
 *               10.2.0.1 -2    10.3.0.0 +0   10.4.0.0 -0     11.0.0.0 -0
 *
 *   interval  start         rules    set number
 *   0         0.0.0.0       -        0 (NULL)
 *   1         10.0.0.0      0        1  {0}
 *   2         10.1.0.0      0 1      2  {0, 1}
 *   3         10.1.0.128    0 1 2    3  {0, 1, 2}
 *   4         10.2.0.0      0 2      4  {0, 2}
 *   5         10.2.0.1      0        1  {0}, the same set as interval 1
 *   6         11.0.0.0      -        0
 *
 * 10.3.0.0 and 10.4.0.0 change the count of rule 0 but not the bitmap, so
 * they begin no interval. Seven intervals, four sets. The starts from
 * 10.0.0.0 to 11.0.0.0 share their first 7 bits (10.0.0.0/7), and seven
 * intervals take b = 3 index bits, bits 7 to 9 of the address. 10.1.0.200
 * is in 10.0.0.0/7 and in bucket 0, whose window is intervals 0 .. 5; the
 * last start at or below it is 10.1.0.128: rules 0, 1 and 2. 192.0.2.1 is
 * beyond 10.0.0.0/7: the last interval, no set, NULL.
 *
 * Memory, n entries, i intervals (at most 2n + 1), s sets (at most i)
 * --------------------------------------------------------------------
 *   adding:   48 bytes per entry (two 24-byte endpoints), grown by doubling
 *             up to 2 * max_entries endpoints.
 *   building: the endpoints, 1 KiB of counts, a 40 KiB cache, the collected
 *             sets (32 bytes each, at most i, usually far fewer), 8 bytes
 *             per bucket for the sort (2^16 at most), then the result.
 *   built:    per interval 8 bytes (IPv4: u32 start, u32 set number) or 20
 *             (IPv6: two u64 and a u32), 32 bytes per set, and
 *             4 * (2^b + 1) bytes of index (at most 256 KiB).
 *
 * Measured on a 2-CPU Xeon VM, natively: this file built against libc
 * through pure.h, with the kernel's lib/sort.c as sbxfw_sort(). Entries are
 * random IPv4 /24 to /32, or random IPv6 /32 to /128 inside 2001::/16,
 * each for a random rule of 256; lookups of random addresses (inside
 * 2001::/16 for IPv6), 20 million back to back, ~2 ns of which make the
 * address:
 *
 *   entries     IPv4 lookup  intervals  bytes       IPv6 lookup  bytes
 *   10             7 ns            21         684      12 ns           936
 *   1,000          8 ns         2,001      32,204      15 ns        56,016
 *   100,000       13 ns       199,906   1,873,620      33 ns     4,321,512
 *   1,000,000     60 ns     1,991,308  16,495,460     285 ns    41,731,848
 *
 * A million entries: adding 0.05 s, building 0.4 s (IPv4) or 0.63 s
 * (IPv6), with 48 MB of endpoints meanwhile; 9,461 (IPv4) and 70,872
 * (IPv6) distinct sets. At that size the arrays outgrow the caches and
 * each search step is a cache miss, more so for 16-byte IPv6 keys.
 */
#include "lpm.h"

struct k128 {
	u64 hi;
	u64 lo;
};

struct event {
	struct k128 at;
	u32 tag;
};

/* Above every rule number, SBXFW_LPM_MAX_RULES being a power of two. */
#define TAG_END		SBXFW_LPM_MAX_RULES

/* So that intervals, at most endpoints + 1, are counted in a u32. */
#define MAX_EVENTS	0xfffffffeU

/* Only a filter, so it may be direct-mapped and its hash simple. */
#define CACHE_BITS	10

/* At most 2^16 buckets, in the index and in the sort. */
#define MAX_BUCKET_BITS	16

struct sbxfw_lpm_builder {
	struct event *ev;
	u32 n_ev;
	u32 cap_ev;
	u32 max_ev;
	u32 n_added;
	u32 max_entries;
	int family;
	unsigned int len;	/* address bytes: 4 or 16 */
	unsigned int width;	/* address bits: 32 or 128 */
};

struct sbxfw_lpm {
	u32 *v4;		/* interval starts, IPv4 addresses */
	struct k128 *v6;	/* interval starts, IPv6 */
	u32 *set_of;		/* per interval: 0 for none, else sets[n - 1] */
	struct sbxfw_rule_set *sets;
	u32 *index;
	struct k128 base;	/* the bits all starts but the first share, */
	struct k128 mask;	/* which bits those are, */
	unsigned int skip;	/* and how many */
	unsigned int index_bits;
	u32 n_intervals;
	u32 n_sets;
	unsigned int len;
	int family;
};

struct sweep {
	u32 count[SBXFW_LPM_MAX_RULES];
	struct sbxfw_rule_set cur;
	struct sbxfw_rule_set last;
	u32 n_intervals;
	struct {
		struct sbxfw_rule_set set;
		u32 id;
	} cache[1U << CACHE_BITS];
	struct sbxfw_rule_set *found;
	u32 n_found;
	u32 cap_found;
};

static struct k128 key_load(const void *addr, unsigned int len)
{
	struct k128 k = { 0, 0 };

	if (len == 4) {
		k.hi = (u64)get_unaligned_be32(addr) << 32;
	} else {
		k.hi = get_unaligned_be64(addr);
		k.lo = get_unaligned_be64((const u8 *)addr + 8);
	}
	return k;
}

static int key_cmp(struct k128 a, struct k128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

/* The bits after the first @plen (0 <= plen <= 128). */
static struct k128 key_host(unsigned int plen)
{
	struct k128 m;

	m.hi = plen >= 64 ? 0 : ~0ULL >> plen;
	if (plen <= 64)
		m.lo = ~0ULL;
	else
		m.lo = plen >= 128 ? 0 : ~0ULL >> (plen - 64);
	return m;
}

static struct k128 key_or(struct k128 a, struct k128 b)
{
	a.hi |= b.hi;
	a.lo |= b.lo;
	return a;
}

static struct k128 key_xor(struct k128 a, struct k128 b)
{
	a.hi ^= b.hi;
	a.lo ^= b.lo;
	return a;
}

static bool key_meets(struct k128 a, struct k128 b)
{
	return (a.hi & b.hi) || (a.lo & b.lo);
}

/* False when @k was the last key: there is no next one. */
static bool key_next(struct k128 *k)
{
	if (++k->lo)
		return true;
	return ++k->hi != 0;
}

/* 0 <= n < 128 */
static struct k128 key_shl(struct k128 k, unsigned int n)
{
	if (n >= 64) {
		k.hi = k.lo << (n - 64);
		k.lo = 0;
	} else if (n) {
		k.hi = k.hi << n | k.lo >> (64 - n);
		k.lo <<= n;
	}
	return k;
}

/* How many leading bits @a and @b share, up to @limit. */
static unsigned int common_bits(struct k128 a, struct k128 b,
				unsigned int limit)
{
	struct k128 diff = key_xor(a, b);
	unsigned int n = 0;

	while (n < limit && !(key_shl(diff, n).hi >> 63))
		n++;
	return n;
}

/* The @bits that follow the first @skip (skip + bits <= 128). */
static u32 bucket(struct k128 k, unsigned int skip, unsigned int bits)
{
	return key_shl(k, skip).hi >> (64 - bits);
}

/* Enough bits for @n buckets, within 1 .. MAX_BUCKET_BITS. */
static unsigned int bits_for(u32 n)
{
	unsigned int bits = 1;

	while (bits < MAX_BUCKET_BITS && (1U << bits) < n)
		bits++;
	return bits;
}

static bool set_eq(const struct sbxfw_rule_set *a,
		   const struct sbxfw_rule_set *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static bool set_empty(const struct sbxfw_rule_set *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->bits); i++)
		if (s->bits[i])
			return false;
	return true;
}

static int cmp_set(const void *a, const void *b)
{
	const struct sbxfw_rule_set *x = a, *y = b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x->bits); i++)
		if (x->bits[i] != y->bits[i])
			return x->bits[i] < y->bits[i] ? -1 : 1;
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return key_cmp(x->at, y->at);
}

static unsigned int slot(const struct sbxfw_rule_set *s)
{
	u64 h = s->bits[0] ^ s->bits[1] * 3 ^ s->bits[2] * 5 ^ s->bits[3] * 7;

	return (h * 0x9e3779b97f4a7c15ULL) >> (64 - CACHE_BITS);
}

/*
 * Returns @arr, or a copy with room for @need elements, or NULL (and @arr
 * is untouched) when that fails. Doubling keeps the copies linear in total.
 */
static void *grow(void *arr, u32 *cap, u32 need, size_t size, u32 limit)
{
	u32 ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return arr;
	while (ncap < need)
		ncap = ncap > limit / 2 ? limit : ncap * 2;
	if (ncap > limit)
		ncap = limit;
	p = sbxfw_alloc_array(ncap, size);
	if (unlikely(!p))
		return NULL;
	if (arr) {
		memcpy(p, arr, (size_t)*cap * size);
		sbxfw_free(arr);
	}
	*cap = ncap;
	return p;
}

int sbxfw_lpm_builder_new(struct sbxfw_lpm_builder **builderp, int family,
			  u32 max_entries)
{
	struct sbxfw_lpm_builder *b;

	if (family != 4 && family != 6)
		return -EINVAL;
	b = sbxfw_zalloc(sizeof(*b));
	if (unlikely(!b))
		return -ENOMEM;
	b->family = family;
	b->len = family == 4 ? 4 : 16;
	b->width = b->len * 8;
	b->max_entries = max_entries;
	b->max_ev = MAX_EVENTS;
	if (2ULL * max_entries < MAX_EVENTS)
		b->max_ev = 2 * max_entries;
	*builderp = b;
	return 0;
}

/* @last is already extended over its whole IPv4 block. */
static int add(struct sbxfw_lpm_builder *b, struct k128 first,
	       struct k128 last, unsigned int rule)
{
	struct k128 end = last;
	bool has_end = key_next(&end);
	u32 need = b->n_ev + 1 + has_end;
	struct event *ev;

	if (b->n_added >= b->max_entries)
		return -E2BIG;
	if (need > b->max_ev)
		return -ENOMEM;
	ev = grow(b->ev, &b->cap_ev, need, sizeof(*ev), b->max_ev);
	if (unlikely(!ev))
		return -ENOMEM;
	b->ev = ev;
	ev[b->n_ev].at = first;
	ev[b->n_ev++].tag = rule;
	if (has_end) {
		ev[b->n_ev].at = end;
		ev[b->n_ev++].tag = rule | TAG_END;
	}
	b->n_added++;
	return 0;
}

int sbxfw_lpm_add_prefix(struct sbxfw_lpm_builder *b, const void *addr,
			 unsigned int prefix_len, unsigned int rule)
{
	struct k128 first, host;

	if (prefix_len > b->width || rule >= SBXFW_LPM_MAX_RULES)
		return -EINVAL;
	first = key_load(addr, b->len);
	host = key_host(prefix_len);
	if (key_meets(first, host))
		return -EINVAL;
	return add(b, first, key_or(first, host), rule);
}

int sbxfw_lpm_add_range(struct sbxfw_lpm_builder *b, const void *first,
			const void *last, unsigned int rule)
{
	struct k128 lo = key_load(first, b->len), hi = key_load(last, b->len);

	if (rule >= SBXFW_LPM_MAX_RULES || key_cmp(lo, hi) > 0)
		return -EINVAL;
	return add(b, lo, key_or(hi, key_host(b->width)), rule);
}

void sbxfw_lpm_builder_free(struct sbxfw_lpm_builder *b)
{
	if (!b)
		return;
	sbxfw_free(b->ev);
	sbxfw_free(b);
}

/*
 * Spreads the endpoints into buckets in place (each one moves once), then
 * sorts each bucket: see step 2 above.
 */
static int sort_events(struct event *ev, u32 n)
{
	struct k128 min = ev[0].at, max = ev[0].at;
	unsigned int skip, bits = bits_for(n / 8);
	u32 i, t, nb = 1U << bits, *end, *next;
	struct event e, tmp;

	end = sbxfw_zalloc(2 * ((size_t)nb + 1) * sizeof(*end));
	if (unlikely(!end))
		return -ENOMEM;
	next = end + nb + 1;
	for (i = 1; i < n; i++) {
		if (key_cmp(ev[i].at, min) < 0)
			min = ev[i].at;
		if (key_cmp(ev[i].at, max) > 0)
			max = ev[i].at;
	}
	skip = common_bits(min, max, 128 - bits);
	for (i = 0; i < n; i++)
		end[bucket(ev[i].at, skip, bits) + 1]++;
	for (t = 1; t <= nb; t++)
		end[t] += end[t - 1];
	memcpy(next, end, ((size_t)nb + 1) * sizeof(*end));

	for (t = 0; t < nb; t++) {
		while (next[t] < end[t + 1]) {
			e = ev[next[t]];
			for (;;) {
				i = bucket(e.at, skip, bits);
				if (i == t)
					break;
				tmp = ev[next[i]];
				ev[next[i]++] = e;
				e = tmp;
			}
			ev[next[t]++] = e;
		}
		if (end[t + 1] - end[t] > 1)
			sbxfw_sort(ev + end[t], end[t + 1] - end[t], sizeof(*ev),
				   cmp_event);
	}
	sbxfw_free(end);
	return 0;
}

static void apply(struct sweep *s, u32 tag)
{
	u32 rule = tag & (TAG_END - 1);
	u64 bit = 1ULL << (rule % 64);

	if (tag & TAG_END) {
		if (!--s->count[rule])
			s->cur.bits[rule / 64] &= ~bit;
	} else if (!s->count[rule]++) {
		s->cur.bits[rule / 64] |= bit;
	}
}

/*
 * The number, from 1, of the current set: in the first sweep (no @lpm) its
 * place in s->found, in the second its place in the sorted lpm->sets.
 * Returns 0 when s->found cannot grow.
 */
static u32 intern(struct sweep *s, const struct sbxfw_lpm *lpm, u32 limit)
{
	unsigned int h = slot(&s->cur);
	struct sbxfw_rule_set *found;
	u32 lo = 0, hi;

	if (s->cache[h].id && set_eq(&s->cache[h].set, &s->cur))
		return s->cache[h].id;
	if (lpm) {
		hi = lpm->n_sets - 1;
		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (cmp_set(&lpm->sets[mid], &s->cur) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else {
		found = grow(s->found, &s->cap_found, s->n_found + 1,
			     sizeof(*found), limit);
		if (unlikely(!found))
			return 0;
		s->found = found;
		found[s->n_found] = s->cur;
		lo = s->n_found++;
	}
	s->cache[h].set = s->cur;
	s->cache[h].id = lo + 1;
	return lo + 1;
}

/*
 * Calls out each run of keys that one set covers, in order: the first
 * sweep only collects sets and counts intervals, the second (with @lpm)
 * stores them. Both meet the same intervals.
 */
static int sweep(const struct sbxfw_lpm_builder *b, struct sweep *s,
		 struct sbxfw_lpm *lpm)
{
	struct k128 at = { 0, 0 };
	u32 i = 0, id;

	memset(s->count, 0, sizeof(s->count));
	memset(&s->cur, 0, sizeof(s->cur));
	memset(s->cache, 0, sizeof(s->cache));
	s->n_intervals = 0;
	for (;;) {
		for (; i < b->n_ev && !key_cmp(b->ev[i].at, at); i++)
			apply(s, b->ev[i].tag);
		if (!s->n_intervals || !set_eq(&s->cur, &s->last)) {
			id = 0;
			if (!set_empty(&s->cur)) {
				id = intern(s, lpm, b->n_ev + 1);
				if (unlikely(!id))
					return -ENOMEM;
			}
			if (lpm && lpm->v4)
				lpm->v4[s->n_intervals] = (u32)(at.hi >> 32);
			else if (lpm)
				lpm->v6[s->n_intervals] = at;
			if (lpm)
				lpm->set_of[s->n_intervals] = id;
			s->last = s->cur;
			s->n_intervals++;
		}
		if (i == b->n_ev)
			return 0;
		at = b->ev[i].at;
	}
}

static int keep_sets(struct sbxfw_lpm *lpm, struct sweep *s)
{
	u32 i, n = 0;

	if (!s->n_found)
		return 0;
	sbxfw_sort(s->found, s->n_found, sizeof(*s->found), cmp_set);
	for (i = 1; i < s->n_found; i++)
		if (!set_eq(&s->found[i], &s->found[n]))
			s->found[++n] = s->found[i];
	lpm->n_sets = n + 1;
	lpm->sets = sbxfw_alloc_array(lpm->n_sets, sizeof(*lpm->sets));
	if (unlikely(!lpm->sets))
		return -ENOMEM;
	memcpy(lpm->sets, s->found, lpm->n_sets * sizeof(*lpm->sets));
	return 0;
}

static int alloc_intervals(struct sbxfw_lpm *lpm, u32 n)
{
	lpm->n_intervals = n;
	lpm->index_bits = bits_for(n);
	lpm->index = sbxfw_alloc_array((1U << lpm->index_bits) + 1,
				       sizeof(*lpm->index));
	lpm->set_of = sbxfw_alloc_array(n, sizeof(*lpm->set_of));
	if (lpm->family == 4)
		lpm->v4 = sbxfw_alloc_array(n, sizeof(*lpm->v4));
	else
		lpm->v6 = sbxfw_alloc_array(n, sizeof(*lpm->v6));
	if (unlikely(!lpm->index || !lpm->set_of || (!lpm->v4 && !lpm->v6)))
		return -ENOMEM;
	return 0;
}

static struct k128 start_of(const struct sbxfw_lpm *lpm, u32 i)
{
	struct k128 k = { 0, 0 };

	if (lpm->v4)
		k.hi = (u64)lpm->v4[i] << 32;
	else
		k = lpm->v6[i];
	return k;
}

/* See step 5 above. */
static void fill_index(struct sbxfw_lpm *lpm, unsigned int width)
{
	u32 i, t, n = lpm->n_intervals, nb = 1U << lpm->index_bits;

	if (n > 1) {
		lpm->base = start_of(lpm, 1);
		lpm->skip = common_bits(lpm->base, start_of(lpm, n - 1),
					width - lpm->index_bits);
	} else {
		lpm->skip = width - lpm->index_bits;
	}
	lpm->mask = key_xor(key_host(lpm->skip), key_host(0));
	lpm->base.hi &= lpm->mask.hi;
	lpm->base.lo &= lpm->mask.lo;

	for (i = 1, t = 0; t <= nb; t++) {
		while (i < n && bucket(start_of(lpm, i), lpm->skip,
				       lpm->index_bits) < t)
			i++;
		lpm->index[t] = i - 1;
	}
}

int sbxfw_lpm_build(struct sbxfw_lpm_builder *b, struct sbxfw_lpm **lpmp)
{
	struct sbxfw_lpm *lpm;
	struct sweep *s;
	int err = -ENOMEM;

	s = sbxfw_zalloc(sizeof(*s));
	if (unlikely(!s))
		goto err_builder;
	lpm = sbxfw_zalloc(sizeof(*lpm));
	if (unlikely(!lpm))
		goto err_sweep;
	lpm->family = b->family;
	lpm->len = b->len;

	if (b->n_ev) {
		err = sort_events(b->ev, b->n_ev);
		if (err)
			goto err_lpm;
	}
	err = sweep(b, s, NULL);
	if (err)
		goto err_lpm;
	err = keep_sets(lpm, s);
	if (err)
		goto err_lpm;
	err = alloc_intervals(lpm, s->n_intervals);
	if (err)
		goto err_lpm;
	sweep(b, s, lpm);
	fill_index(lpm, b->width);

	sbxfw_free(s->found);
	sbxfw_free(s);
	sbxfw_lpm_builder_free(b);
	*lpmp = lpm;
	return 0;

err_lpm:
	sbxfw_lpm_free(lpm);
err_sweep:
	sbxfw_free(s->found);
	sbxfw_free(s);
err_builder:
	sbxfw_lpm_builder_free(b);
	return err;
}

/*
 * The search picks each half without a branch: windows are short, and a
 * mispredicted branch costs more there than the comparison it skips.
 */
const struct sbxfw_rule_set *sbxfw_lpm_lookup(const struct sbxfw_lpm *lpm,
					      const void *addr)
{
	struct k128 k = key_load(addr, lpm->len);
	u32 lo, len, half, id;

	if (key_meets(key_xor(k, lpm->base), lpm->mask)) {
		lo = key_cmp(k, lpm->base) < 0 ? 0 : lpm->n_intervals - 1;
		len = 1;
	} else {
		half = bucket(k, lpm->skip, lpm->index_bits);
		lo = lpm->index[half];
		len = lpm->index[half + 1] - lo + 1;
	}
	while (len > 1) {
		half = len / 2;
		if (key_cmp(start_of(lpm, lo + half), k) <= 0)
			lo += half;
		len -= half;
	}
	id = lpm->set_of[lo];
	return id ? &lpm->sets[id - 1] : NULL;
}

void sbxfw_lpm_free(struct sbxfw_lpm *lpm)
{
	if (!lpm)
		return;
	sbxfw_free(lpm->v4);
	sbxfw_free(lpm->v6);
	sbxfw_free(lpm->set_of);
	sbxfw_free(lpm->sets);
	sbxfw_free(lpm->index);
	sbxfw_free(lpm);
}

size_t sbxfw_lpm_size(const struct sbxfw_lpm *lpm)
{
	size_t start = lpm->v4 ? sizeof(*lpm->v4) : sizeof(*lpm->v6);

	return sizeof(*lpm) +
	       (size_t)lpm->n_intervals * (start + sizeof(*lpm->set_of)) +
	       (size_t)lpm->n_sets * sizeof(*lpm->sets) +
	       ((size_t)(1U << lpm->index_bits) + 1) * sizeof(*lpm->index);
}

u32 sbxfw_lpm_intervals(const struct sbxfw_lpm *lpm)
{
	return lpm->n_intervals;
}

u32 sbxfw_lpm_sets(const struct sbxfw_lpm *lpm)
{
	return lpm->n_sets;
}
