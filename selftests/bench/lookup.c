// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup microbenchmark: the module's address lookup (kmod/lpm.c), domain
 * matcher (kmod/domain.c), name verdict (kmod/policy.c) and DNS answer
 * parser (kmod/dns.c), built natively from the same sources through
 * pure.h, next to straightforward references written here: a sorted array
 * of disjoint intervals searched by bisection, a binary trie (one bit per
 * level), and a linear scan of the domain patterns.
 *
 *   lookup [RESULTS_DIR]		(default build/bench)
 *
 * prints Markdown tables and writes them to RESULTS_DIR/lookup.md, every
 * number to lookup.csv, and ns per lookup against N to lookup.dat (for
 * lookup.gp). Each figure is the median of REPS timed passes over the
 * same keys, with CLOCK_MONOTONIC; every result feeds a checksum, so no
 * lookup can be optimised away. The references are checked against the
 * module's code on every key they are timed on, and a disagreement aborts
 * the run. Nothing asserts on time: the numbers are reported.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "tests/dns_msg.h"
#include "domain.h"
#include "lpm.h"
#include "policy.h"

__extension__ typedef unsigned __int128 u128;
typedef int32_t s32;

#define NOINLINE __attribute__((noinline))

/*
 * Each figure is the median of REPS passes; a pass times as many lookups
 * as take about TARGET_NS (sized by timing CALIBRATE of them), at least
 * MIN_KEYS addresses or MIN_NAMES names, at most the NKEYS addresses or
 * NNAMES names generated per set. A binary trie over TRIE_MAX_BYTES is
 * not built. The domain patterns go to DOM_RULES rules.
 */
#define REPS 5
#define TARGET_NS 100000000.0
#define CALIBRATE 8192
#define NKEYS (1U << 20)
#define MIN_KEYS 16384
#define NNAMES (1U << 16)
#define MIN_NAMES 512
#define TRIE_MAX_BYTES (512ULL << 20)
#define DOM_RULES 8

static const u32 prefix_counts[] = { 10, 1000, 100000, 1000000 };
#define NPFX ARRAY_SIZE(prefix_counts)
static const u32 pattern_counts[] = { 10, 1000, 10000, SBXFW_MAX_DOMAINS };
#define NPAT ARRAY_SIZE(pattern_counts)

enum keyset { KEYS_RANDOM, KEYS_HIT, KEYS_SEQ, NKEYSETS };
static const char *const keyset_names[NKEYSETS] = { "random", "hit",
						    "sequential" };

enum impl { IMPL_SBXFW, IMPL_SORTED, IMPL_TRIE, NIMPL };
static const char *const impl_names[NIMPL] = { "sbxfw", "sorted", "trie" };

struct family {
	int family; /* 4 or 6 */
	unsigned int width; /* address bits */
	unsigned int alen; /* address bytes */
	const char *name;
};

static const struct family families[] = {
	{ 4, 32, 4, "IPv4" },
	{ 6, 128, 16, "IPv6" },
};
#define NFAM ARRAY_SIZE(families)

static volatile u64 sink; /* every checksum ends here */
static FILE *md_file, *csv_file;

static void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("lookup: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die("out of memory (%zu bytes)", size);
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

/* To stdout and lookup.md. */
static __attribute__((format(printf, 1, 2))) void md(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vfprintf(md_file, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void csv(const char *bench, const char *family, u64 n, const char *keys,
		const char *impl, const char *metric, double value)
{
	fprintf(csv_file, "%s,%s,%llu,%s,%s,%s,", bench, family,
		(unsigned long long)n, keys, impl, metric);
	if (isnan(value))
		fputs("\n", csv_file);
	else
		fprintf(csv_file, "%.3f\n", value);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* splitmix64: fixed seeds, so every run measures the same data. */
static u64 rng_state;

static void seed(u64 s)
{
	rng_state = s * 0x2545f4914f6cdd1dULL + 0x5b3f1e0d2c4a6978ULL;
}

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static u128 rnd128(void)
{
	u128 hi = rnd();

	return hi << 64 | rnd();
}

/* Sorts @v in place (few elements); the median. */
static double median(double *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* 1234567 as "1,234,567", in @buf (32 bytes). */
static const char *grouped(u64 v, char *buf)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	int i, o = 0;

	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* A cell: "12.3", or "–" for what was not measured. */
static const char *cell(double v, char *buf)
{
	if (isnan(v))
		return "–";
	if (v < 1)
		snprintf(buf, 32, "%.3f", v);
	else if (v < 10)
		snprintf(buf, 32, "%.2f", v);
	else if (v < 1000)
		snprintf(buf, 32, "%.1f", v);
	else
		snprintf(buf, 32, "%.0f", v);
	return buf;
}

/*
 * Timing. A batch function runs @count lookups and returns a checksum of
 * their results; a pass times one batch.
 */
typedef u64 (*batch_fn)(const void *ctx, size_t count);

static double time_batch(batch_fn fn, const void *ctx, size_t count)
{
	u64 t0 = now_ns();

	sink += fn(ctx, count);
	return (double)(now_ns() - t0);
}

/* How many lookups a pass of about TARGET_NS takes, at most @max. */
static size_t calibrate(batch_fn fn, const void *ctx, size_t probe, size_t max)
{
	double ns;

	if (probe > max)
		probe = max;
	ns = time_batch(fn, ctx, probe) / (double)probe;
	if (ns < 0.5)
		ns = 0.5;
	return TARGET_NS / ns < (double)max ? (size_t)(TARGET_NS / ns) : max;
}

/* ns per lookup: one warm-up pass, then the median of REPS passes. */
static double measure(batch_fn fn, const void *ctx, size_t count)
{
	double ns[REPS];
	unsigned int r;

	time_batch(fn, ctx, count);
	for (r = 0; r < REPS; r++)
		ns[r] = time_batch(fn, ctx, count) / (double)count;
	return median(ns, REPS);
}

/*
 * Prefixes. Addresses are numbers here (IPv4 in the low 32 bits) and
 * bytes in network order where the code under test takes them.
 */
struct prefix {
	u128 start;
	u128 last;
	u8 len;
	u8 rule;
};

/* The host bits of a /@len. */
static u128 host_mask(unsigned int len, unsigned int width)
{
	if (len >= width)
		return 0;
	if (width - len >= 128)
		return ~(u128)0;
	return ((u128)1 << (width - len)) - 1;
}

static void store_be(u128 v, unsigned int alen, u8 *out)
{
	unsigned int i;

	for (i = alen; i-- > 0; v >>= 8)
		out[i] = (u8)v;
}

static u32 load4(const u8 *addr)
{
	u32 v;

	memcpy(&v, addr, 4);
	return be32toh(v);
}

static u128 load6(const u8 *addr)
{
	u64 hi, lo;

	memcpy(&hi, addr, 8);
	memcpy(&lo, addr + 8, 8);
	return (u128)be64toh(hi) << 64 | be64toh(lo);
}

/* IPv4 anywhere; IPv6 in global unicast, 2000::/3. */
static u128 random_addr(const struct family *f)
{
	if (f->family == 4)
		return rnd() >> 32;
	return rnd128() >> 3 | (u128)1 << 125;
}

/*
 * IPv4: /16 to /32, uniformly. IPv6: 90% /32 to /64, 10% /128. Each for
 * a random rule of 256, as lpm.c's own measurements have it (the worst
 * case: adjacent intervals hardly ever merge).
 */
static void gen_prefixes(struct prefix *p, u32 n, const struct family *f)
{
	u32 i;

	for (i = 0; i < n; i++) {
		unsigned int len;
		u128 host;

		if (f->family == 4)
			len = 16 + rnd_below(17);
		else
			len = rnd_below(10) ? 32 + rnd_below(33) : 128;
		host = host_mask(len, f->width);
		p[i].start = random_addr(f) & ~host;
		p[i].last = p[i].start | host;
		p[i].len = (u8)len;
		p[i].rule = (u8)rnd();
	}
}

static int cmp_prefix(const void *a, const void *b)
{
	const struct prefix *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->len > y->len) - (x->len < y->len);
}

/*
 * random: uniform (IPv6: in 2000::/3), so mostly misses while the set is
 * sparse. hit: a random address inside a random prefix. sequential: an
 * ascending sweep, in even steps, from the lowest prefix to the highest.
 */
static void gen_keys(u8 *keys, u32 nkeys, enum keyset ks,
		     const struct family *f, const struct prefix *p, u32 n)
{
	u128 lo = p[0].start, hi = p[0].last, step, v;
	u32 i;

	for (i = 1; ks == KEYS_SEQ && i < n; i++) {
		if (p[i].start < lo)
			lo = p[i].start;
		if (p[i].last > hi)
			hi = p[i].last;
	}
	step = (hi - lo) / nkeys;
	if (!step)
		step = 1;
	for (i = 0; i < nkeys; i++) {
		if (ks == KEYS_RANDOM) {
			v = random_addr(f);
		} else if (ks == KEYS_HIT) {
			const struct prefix *q = &p[rnd_below(n)];

			v = q->start | (rnd128() & (q->last ^ q->start));
		} else {
			v = lo + step * i;
			if (v > hi)
				v = hi;
		}
		store_be(v, f->alen, keys + (size_t)i * f->alen);
	}
}

/* The code under test: intervals, an index, branch-free bisection. */
static struct sbxfw_lpm *build_sbxfw(const struct prefix *p, u32 n,
				     const struct family *f, double *add_ms,
				     double *build_ms)
{
	unsigned int reps = n <= 100000 ? 3 : 1, r;
	struct sbxfw_lpm *lpm = NULL;
	double add[3], build[3];

	for (r = 0; r < reps; r++) {
		struct sbxfw_lpm_builder *b;
		u64 t0, t1, t2;
		u8 addr[16];
		int err;
		u32 i;

		sbxfw_lpm_free(lpm);
		lpm = NULL;
		err = sbxfw_lpm_builder_new(&b, f->family, n);
		if (err)
			die("sbxfw_lpm_builder_new: %d", err);
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			store_be(p[i].start, f->alen, addr);
			err = sbxfw_lpm_add_prefix(b, addr, p[i].len,
						   p[i].rule);
			if (err)
				die("sbxfw_lpm_add_prefix: %d", err);
		}
		t1 = now_ns();
		err = sbxfw_lpm_build(b, &lpm);
		t2 = now_ns();
		if (err)
			die("sbxfw_lpm_build: %d", err);
		add[r] = (double)(t1 - t0) / 1e6;
		build[r] = (double)(t2 - t1) / 1e6;
	}
	*add_ms = median(add, reps);
	*build_ms = median(build, reps);
	return lpm;
}

/*
 * Reference 1: the address space cut into disjoint intervals, each naming
 * the longest prefix that covers it (-1 for none); a lookup bisects the
 * sorted interval starts. Built from the prefixes sorted by start, then
 * length: prefixes nest or are disjoint, so a stack of the open ones
 * gives, at each start and after each end, the innermost.
 */
struct sorted {
	u32 n;
	u32 *at4;
	u128 *at6;
	s32 *val;
};

static void emit(u128 *at, s32 *val, u32 *n, u128 key, s32 v)
{
	if (*n && at[*n - 1] == key) {
		val[*n - 1] = v;
		return;
	}
	at[*n] = key;
	val[(*n)++] = v;
}

/* @p sorted by cmp_prefix. */
static void build_sorted(struct sorted *s, const struct prefix *p, u32 n,
			 const struct family *f)
{
	u128 top = host_mask(0, f->width), *at;
	u32 cnt = 0, depth = 0, i;
	s32 *val, *stack;

	at = xmalloc((2 * (size_t)n + 1) * sizeof(*at));
	val = xmalloc((2 * (size_t)n + 1) * sizeof(*val));
	stack = xmalloc((size_t)n * sizeof(*stack));
	emit(at, val, &cnt, 0, -1);
	for (i = 0; i <= n; i++) {
		while (depth &&
		       (i == n || p[stack[depth - 1]].last < p[i].start)) {
			u128 last = p[stack[--depth]].last;

			if (last != top)
				emit(at, val, &cnt, last + 1,
				     depth ? stack[depth - 1] : -1);
		}
		if (i < n) {
			emit(at, val, &cnt, p[i].start, (s32)i);
			stack[depth++] = (s32)i;
		}
	}
	free(stack);
	s->n = cnt;
	s->val = realloc(val, cnt * sizeof(*val));
	s->at4 = NULL;
	s->at6 = NULL;
	if (f->family == 4) {
		s->at4 = xmalloc(cnt * sizeof(*s->at4));
		for (i = 0; i < cnt; i++)
			s->at4[i] = (u32)at[i];
		free(at);
	} else {
		s->at6 = realloc(at, cnt * sizeof(*at));
	}
}

static NOINLINE s32 sorted_lookup4(const struct sorted *s, const u8 *addr)
{
	u32 k = load4(addr), lo = 0, hi = s->n;

	/* at4[lo] <= k < at4[hi]; at4[0] is 0 */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->at4[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return s->val[lo];
}

static NOINLINE s32 sorted_lookup6(const struct sorted *s, const u8 *addr)
{
	u128 k = load6(addr);
	u32 lo = 0, hi = s->n;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->at6[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return s->val[lo];
}

static void free_sorted(struct sorted *s)
{
	free(s->at4);
	free(s->at6);
	free(s->val);
}

/*
 * Reference 2: a binary trie, one bit per level, 12-byte nodes in one
 * array (child 0 is "none": the root is no node's child). A node where a
 * prefix ends names it; a lookup walks the address's bits and keeps the
 * last prefix passed.
 */
struct tnode {
	u32 child[2];
	s32 val;
};

struct trie {
	struct tnode *node;
	u64 n;
};

static unsigned int bit_length(u128 v)
{
	u64 hi = (u64)(v >> 64), lo = (u64)v;

	if (hi)
		return 128 - (unsigned int)__builtin_clzll(hi);
	return lo ? 64 - (unsigned int)__builtin_clzll(lo) : 0;
}

/*
 * Nodes of the trie of @p (sorted, so in the order of their bit strings):
 * the root and each distinct non-empty prefix of a prefix, that is, each
 * prefix's length less what it shares with the one before.
 */
static u64 trie_nodes(const struct prefix *p, u32 n, unsigned int width)
{
	u64 total = 1;
	u32 i;

	for (i = 0; i < n; i++) {
		unsigned int common = 0;

		if (i) {
			common =
				width - bit_length(p[i].start ^ p[i - 1].start);
			if (common > p[i].len)
				common = p[i].len;
			if (common > p[i - 1].len)
				common = p[i - 1].len;
		}
		total += p[i].len - common;
	}
	return total;
}

/* False, with no trie, past TRIE_MAX_BYTES. */
static bool build_trie(struct trie *t, const struct prefix *p, u32 n,
		       const struct family *f, u64 *nodes)
{
	u32 i;

	*nodes = trie_nodes(p, n, f->width);
	t->n = 0;
	t->node = NULL;
	if (*nodes * sizeof(*t->node) > TRIE_MAX_BYTES || *nodes > UINT32_MAX)
		return false;
	t->node = xmalloc(*nodes * sizeof(*t->node));
	memset(&t->node[0], 0, sizeof(t->node[0]));
	t->node[0].val = -1;
	t->n = 1;
	for (i = 0; i < n; i++) {
		u32 at = 0;
		unsigned int b;

		for (b = 0; b < p[i].len; b++) {
			unsigned int shift = f->width - 1 - b;
			unsigned int bit = (p[i].start >> shift) & 1;

			if (!t->node[at].child[bit]) {
				if (t->n == *nodes)
					die("trie: more than %llu nodes",
					    (unsigned long long)*nodes);
				memset(&t->node[t->n], 0, sizeof(t->node[0]));
				t->node[t->n].val = -1;
				t->node[at].child[bit] = (u32)t->n++;
			}
			at = t->node[at].child[bit];
		}
		if (t->node[at].val < 0)
			t->node[at].val = (s32)i;
	}
	if (t->n != *nodes)
		die("trie: %llu nodes, %llu expected", (unsigned long long)t->n,
		    (unsigned long long)*nodes);
	return true;
}

static NOINLINE s32 trie_lookup4(const struct trie *t, const u8 *addr)
{
	const struct tnode *node = t->node;
	u32 k = load4(addr), at = 0;
	s32 best = node[0].val;
	unsigned int b;

	for (b = 0; b < 32; b++, k <<= 1) {
		at = node[at].child[k >> 31];
		if (!at)
			break;
		if (node[at].val >= 0)
			best = node[at].val;
	}
	return best;
}

static NOINLINE s32 trie_lookup6(const struct trie *t, const u8 *addr)
{
	const struct tnode *node = t->node;
	u128 k = load6(addr);
	s32 best = node[0].val;
	unsigned int b;
	u32 at = 0;

	for (b = 0; b < 128; b++, k <<= 1) {
		at = node[at].child[(unsigned int)(k >> 127)];
		if (!at)
			break;
		if (node[at].val >= 0)
			best = node[at].val;
	}
	return best;
}

/* One key set against one prefix set, for the batch functions. */
struct run {
	const struct family *f;
	const struct prefix *p;
	const struct sbxfw_lpm *lpm;
	const struct sorted *sorted;
	const struct trie *trie; /* NULL when skipped */
	const u8 *keys;
};

/*
 * One loop per structure and family, written out: a lookup called through
 * a pointer in the loop would time the indirect call too.
 */
static u64 batch_sbxfw(const void *ctx, size_t count)
{
	const struct run *r = ctx;
	unsigned int alen = r->f->alen;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++)
		sum += (uintptr_t)sbxfw_lpm_lookup(r->lpm, r->keys + i * alen);
	return sum;
}

static u64 batch_sorted(const void *ctx, size_t count)
{
	const struct run *r = ctx;
	u64 sum = 0;
	size_t i;

	if (r->f->family == 4) {
		for (i = 0; i < count; i++)
			sum += (u32)sorted_lookup4(r->sorted, r->keys + i * 4);
	} else {
		for (i = 0; i < count; i++)
			sum += (u32)sorted_lookup6(r->sorted, r->keys + i * 16);
	}
	return sum;
}

static u64 batch_trie(const void *ctx, size_t count)
{
	const struct run *r = ctx;
	u64 sum = 0;
	size_t i;

	if (r->f->family == 4) {
		for (i = 0; i < count; i++)
			sum += (u32)trie_lookup4(r->trie, r->keys + i * 4);
	} else {
		for (i = 0; i < count; i++)
			sum += (u32)trie_lookup6(r->trie, r->keys + i * 16);
	}
	return sum;
}

static const batch_fn lpm_batches[NIMPL] = { batch_sbxfw, batch_sorted,
					     batch_trie };

/*
 * The three must agree on every key: a hit for sbxfw exactly when the
 * references find a covering prefix, the same longest prefix for both
 * references, and its rule among those sbxfw returns. Returns the hits.
 */
static u32 verify(const struct run *r, size_t count)
{
	unsigned int alen = r->f->alen;
	u32 hits = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		const u8 *key = r->keys + i * alen;
		const struct sbxfw_rule_set *set =
			sbxfw_lpm_lookup(r->lpm, key);
		s32 a, t;
		bool ok;

		a = alen == 4 ? sorted_lookup4(r->sorted, key) :
				sorted_lookup6(r->sorted, key);
		t = !r->trie  ? a :
		    alen == 4 ? trie_lookup4(r->trie, key) :
				trie_lookup6(r->trie, key);
		ok = !!set == (a >= 0) && (a >= 0) == (t >= 0);
		if (ok && a >= 0) {
			unsigned int rule = r->p[a].rule;

			ok = r->p[a].start == r->p[t].start &&
			     r->p[a].len == r->p[t].len &&
			     (set->bits[rule / 64] >> (rule % 64) & 1);
		}
		if (!ok) {
			char text[INET6_ADDRSTRLEN];

			inet_ntop(alen == 4 ? AF_INET : AF_INET6, key, text,
				  sizeof(text));
			die("%s key %s: sbxfw %s, sorted array prefix %d, trie prefix %d",
			    r->f->name, text, set ? "hit" : "miss", a, t);
		}
		hits += !!set;
	}
	return hits;
}

/* Results, for the tables, the CSV and the plot. */
static double lookup_ns[NFAM][NPFX][NKEYSETS][NIMPL];

struct build_row {
	u32 intervals;
	u32 sets;
	double add_ms;
	double build_ms;
	double bytes;
	u32 sorted_n;
	double sorted_ms;
	double sorted_bytes;
	u64 trie_nodes;
	double trie_ms; /* NAN when skipped */
	double trie_bytes;
};

static struct build_row builds[NFAM][NPFX];
static char notes[4096];

static void note(const char *fmt, ...)
{
	size_t len = strlen(notes);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(notes + len, sizeof(notes) - len, fmt, ap);
	va_end(ap);
}

static void bench_prefixes(void)
{
	u8 *keys = xmalloc((size_t)NKEYS * 16);
	unsigned int fi, ni, ks, im;
	char b1[32], b2[32], b3[32], b4[32], b5[32];

	md("## Prefix lookup: ns per lookup\n\n"
	   "Median of %d passes over the same keys (at least %s of the %s generated per set, as many as fit in about %.0f ms for the slowest of the three). "
	   "\"hit %%\": the keys some prefix covers.\n\n",
	   REPS, grouped(MIN_KEYS, b1), grouped(NKEYS, b2), TARGET_NS / 1e6);
	md("| family | prefixes | keys | keys timed | hit %% | sbxfw | sorted array | binary trie |\n"
	   "|---|--:|---|--:|--:|--:|--:|--:|\n");
	for (fi = 0; fi < NFAM; fi++) {
		const struct family *f = &families[fi];

		for (ni = 0; ni < NPFX; ni++) {
			u32 n = prefix_counts[ni];
			struct build_row *br = &builds[fi][ni];
			struct prefix *p = xmalloc(n * sizeof(*p));
			struct sbxfw_lpm *lpm;
			struct sorted sorted;
			struct trie trie;
			bool have_trie;
			u64 t0;

			fprintf(stderr, "lookup: %s, %s prefixes...\n", f->name,
				grouped(n, b1));
			seed(fi * 1000003 + n);
			gen_prefixes(p, n, f);
			lpm = build_sbxfw(p, n, f, &br->add_ms, &br->build_ms);
			br->intervals = sbxfw_lpm_intervals(lpm);
			br->sets = sbxfw_lpm_sets(lpm);
			br->bytes = (double)sbxfw_lpm_size(lpm) / n;

			qsort(p, n, sizeof(*p), cmp_prefix);
			t0 = now_ns();
			build_sorted(&sorted, p, n, f);
			br->sorted_ms = (double)(now_ns() - t0) / 1e6;
			br->sorted_n = sorted.n;
			br->sorted_bytes = (double)sorted.n *
					   (f->alen + sizeof(*sorted.val)) / n;
			t0 = now_ns();
			have_trie = build_trie(&trie, p, n, f, &br->trie_nodes);
			br->trie_ms =
				have_trie ? (double)(now_ns() - t0) / 1e6 : NAN;
			br->trie_bytes = (double)br->trie_nodes *
					 sizeof(struct tnode) / n;
			if (!have_trie)
				note("- No binary trie at %s %s prefixes: it would take %llu nodes, %.0f MiB, over the %llu MiB cap.\n",
				     grouped(n, b1), f->name,
				     (unsigned long long)br->trie_nodes,
				     (double)br->trie_nodes *
					     sizeof(struct tnode) / (1 << 20),
				     TRIE_MAX_BYTES >> 20);

			for (ks = 0; ks < NKEYSETS; ks++) {
				struct run r = {
					.f = f,
					.p = p,
					.lpm = lpm,
					.sorted = &sorted,
					.trie = have_trie ? &trie : NULL,
					.keys = keys,
				};
				size_t count = NKEYS;
				u32 hits;

				seed(fi * 1000003 + n * 7 + ks + 1);
				gen_keys(keys, NKEYS, ks, f, p, n);
				for (im = 0; im < NIMPL; im++) {
					size_t c;

					if (im == IMPL_TRIE && !have_trie)
						continue;
					c = calibrate(lpm_batches[im], &r,
						      CALIBRATE, NKEYS);
					if (c < count)
						count = c;
				}
				if (count < MIN_KEYS)
					count = MIN_KEYS;
				hits = verify(&r, count);
				for (im = 0; im < NIMPL; im++) {
					double *ns = &lookup_ns[fi][ni][ks][im];

					*ns = NAN;
					if (im == IMPL_TRIE && !have_trie)
						continue;
					*ns = measure(lpm_batches[im], &r,
						      count);
					csv("lpm", f->name, n, keyset_names[ks],
					    impl_names[im], "ns_per_lookup",
					    *ns);
				}
				csv("lpm", f->name, n, keyset_names[ks], "",
				    "hit_pct", 100.0 * hits / count);
				md("| %s | %s | %s | %s | %.1f | %s | %s | %s |\n",
				   f->name, grouped(n, b1), keyset_names[ks],
				   grouped(count, b2), 100.0 * hits / count,
				   cell(lookup_ns[fi][ni][ks][IMPL_SBXFW], b3),
				   cell(lookup_ns[fi][ni][ks][IMPL_SORTED], b4),
				   cell(lookup_ns[fi][ni][ks][IMPL_TRIE], b5));
			}
			free(trie.node);
			free_sorted(&sorted);
			sbxfw_lpm_free(lpm);
			free(p);
		}
	}
	free(keys);
}

static void print_builds(void)
{
	char b[12][32];
	unsigned int fi, ni;

	md("\n## Building and size per prefix set\n\n"
	   "sbxfw: sbxfw_lpm_add_prefix for every prefix (\"add\"), then sbxfw_lpm_build; bytes from sbxfw_lpm_size. "
	   "Median of 3 builds up to 100,000 prefixes, one above. "
	   "References: built once from the prefixes already sorted (sorting not counted).\n\n");
	md("| family | prefixes | intervals | rule sets | add ms | build ms | bytes/prefix | sorted: intervals | sorted: build ms | sorted: bytes/prefix | trie: nodes | trie: build ms | trie: bytes/prefix |\n"
	   "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (fi = 0; fi < NFAM; fi++) {
		const char *fam = families[fi].name;

		for (ni = 0; ni < NPFX; ni++) {
			const struct build_row *r = &builds[fi][ni];
			u32 n = prefix_counts[ni];

			md("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			   fam, grouped(n, b[0]), grouped(r->intervals, b[1]),
			   grouped(r->sets, b[2]), cell(r->add_ms, b[3]),
			   cell(r->build_ms, b[4]), cell(r->bytes, b[5]),
			   grouped(r->sorted_n, b[6]), cell(r->sorted_ms, b[7]),
			   cell(r->sorted_bytes, b[8]),
			   grouped(r->trie_nodes, b[9]),
			   cell(r->trie_ms, b[10]), cell(r->trie_bytes, b[11]));
			csv("build", fam, n, "", "sbxfw", "intervals",
			    r->intervals);
			csv("build", fam, n, "", "sbxfw", "rule_sets", r->sets);
			csv("build", fam, n, "", "sbxfw", "add_ms", r->add_ms);
			csv("build", fam, n, "", "sbxfw", "build_ms",
			    r->build_ms);
			csv("build", fam, n, "", "sbxfw", "bytes_per_prefix",
			    r->bytes);
			csv("build", fam, n, "", "sorted", "intervals",
			    r->sorted_n);
			csv("build", fam, n, "", "sorted", "build_ms",
			    r->sorted_ms);
			csv("build", fam, n, "", "sorted", "bytes_per_prefix",
			    r->sorted_bytes);
			csv("build", fam, n, "", "trie", "nodes",
			    (double)r->trie_nodes);
			csv("build", fam, n, "", "trie", "build_ms",
			    r->trie_ms);
			csv("build", fam, n, "", "trie", "bytes_per_prefix",
			    r->trie_bytes);
		}
	}
}

/* For gnuplot: N, then per family, key set and implementation a column. */
static void write_dat(const char *dir)
{
	unsigned int fi, ni, ks, im;
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/lookup.dat", dir);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	fputs("# N", f);
	for (fi = 0; fi < NFAM; fi++)
		for (ks = 0; ks < NKEYSETS; ks++)
			for (im = 0; im < NIMPL; im++)
				fprintf(f, " %s_%s_%s", families[fi].name,
					keyset_names[ks], impl_names[im]);
	fputc('\n', f);
	for (ni = 0; ni < NPFX; ni++) {
		fprintf(f, "%u", prefix_counts[ni]);
		for (fi = 0; fi < NFAM; fi++)
			for (ks = 0; ks < NKEYSETS; ks++)
				for (im = 0; im < NIMPL; im++) {
					double v = lookup_ns[fi][ni][ks][im];

					if (isnan(v))
						fputs(" NaN", f);
					else
						fprintf(f, " %.3f", v);
				}
		fputc('\n', f);
	}
	fclose(f);
}

/*
 * Domain patterns: random LDH labels under a few TLDs, 2 to 4 labels,
 * half of them "*." wildcards, spread over DOM_RULES egress rules.
 */
struct pattern {
	char *text; /* as in the spec */
	const char *suffix; /* without "*." */
	u32 len;
	bool wild;
	u8 rule;
};

struct name {
	char *s;
	u32 len;
};

static const char *const tlds[] = { "com", "net", "org", "io",
				    "dev", "de",  "app", "co" };

static size_t put_label(char *buf, size_t pos)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned int len = 3 + rnd_below(8), i;

	buf[pos++] = (char)('a' + rnd_below(26));
	for (i = 1; i < len; i++)
		buf[pos++] = chars[rnd_below(36)];
	return pos;
}

/* @labels random labels, the last a TLD; returns the length. */
static size_t gen_domain(char *buf, unsigned int labels)
{
	const char *tld = tlds[rnd_below(ARRAY_SIZE(tlds))];
	size_t pos = 0;
	unsigned int i;

	for (i = 0; i + 1 < labels; i++) {
		pos = put_label(buf, pos);
		buf[pos++] = '.';
	}
	strcpy(buf + pos, tld);
	return pos + strlen(tld);
}

static void gen_patterns(struct pattern *pat, u32 n)
{
	char buf[128];
	u32 i;

	for (i = 0; i < n; i++) {
		bool wild = rnd() & 1;

		strcpy(buf, "*.");
		gen_domain(buf + 2, 2 + rnd_below(3));
		pat[i].text = xstrdup(wild ? buf : buf + 2);
		pat[i].wild = wild;
		pat[i].suffix = pat[i].text + (wild ? 2 : 0);
		pat[i].len = (u32)strlen(pat[i].suffix);
		pat[i].rule = (u8)(i % DOM_RULES);
	}
}

static unsigned int labels_of(const char *s)
{
	unsigned int n = 1;

	while (*s)
		n += *s++ == '.';
	return n;
}

/*
 * Hits: a pattern's name itself, or for a wildcard its apex or a name up
 * to 6 labels below it. Misses: random names of 2 to 6 labels.
 */
static void gen_names(struct name *names, u32 count, bool hits,
		      const struct pattern *pat, u32 npat)
{
	char buf[256];
	u32 i;

	for (i = 0; i < count; i++) {
		size_t len;

		if (hits) {
			const struct pattern *q = &pat[rnd_below(npat)];
			unsigned int extra = 0, k;

			if (q->wild)
				extra = rnd_below(7 - labels_of(q->suffix));
			for (len = 0, k = 0; k < extra; k++) {
				len = put_label(buf, len);
				buf[len++] = '.';
			}
			strcpy(buf + len, q->suffix);
			len += q->len;
		} else {
			len = gen_domain(buf, 2 + rnd_below(5));
		}
		names[i].s = xstrdup(buf);
		names[i].len = (u32)len;
	}
}

/* The reference: every pattern compared in turn. */
static NOINLINE bool naive_match(const struct pattern *pat, u32 npat,
				 const char *name, size_t len,
				 struct sbxfw_rule_set *set)
{
	bool any = false;
	u32 i;

	for (i = 0; i < npat; i++) {
		const struct pattern *q = &pat[i];

		if ((len == q->len && !memcmp(name, q->suffix, len)) ||
		    (q->wild && len > q->len && name[len - q->len - 1] == '.' &&
		     !memcmp(name + len - q->len, q->suffix, q->len))) {
			set->bits[q->rule / 64] |= 1ULL << (q->rule % 64);
			any = true;
		}
	}
	return any;
}

struct dom_run {
	const struct sbxfw_policy *policy;
	const struct pattern *pat;
	u32 npat;
	const struct name *names;
};

static u64 batch_match(const void *ctx, size_t count)
{
	const struct dom_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_rule_set set = { { 0 } };

		sum += sbxfw_domains_match(r->policy->domains, r->names[i].s,
					   r->names[i].len, &set);
		sum += set.bits[0];
	}
	return sum;
}

static u64 batch_naive(const void *ctx, size_t count)
{
	const struct dom_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_rule_set set = { { 0 } };

		sum += naive_match(r->pat, r->npat, r->names[i].s,
				   r->names[i].len, &set);
		sum += set.bits[0];
	}
	return sum;
}

static u64 batch_eval_name(const void *ctx, size_t count)
{
	const struct dom_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		int rule;

		sum += sbxfw_policy_eval_name(r->policy, r->names[i].s,
					      r->names[i].len, &rule);
		sum += (u32)rule;
	}
	return sum;
}

/* Same rule sets from both matchers, and the verdict of the lowest rule. */
static void verify_names(const struct dom_run *r, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_rule_set a = { { 0 } }, b = { { 0 } };
		const char *s = r->names[i].s;
		int rule, want = SBXFW_VERDICT_DEFAULT;
		enum sbxfw_action action;
		bool x, y;

		x = sbxfw_domains_match(r->policy->domains, s, r->names[i].len,
					&a);
		y = naive_match(r->pat, r->npat, s, r->names[i].len, &b);
		if (x != y || memcmp(&a, &b, sizeof(a)))
			die("domains: %s: sbxfw %d, linear scan %d", s, x, y);
		if (b.bits[0])
			want = __builtin_ctzll(b.bits[0]);
		action = sbxfw_policy_eval_name(r->policy, s, r->names[i].len,
						&rule);
		if (rule != want ||
		    action != (want < 0 ? SBXFW_ACTION_DENY :
					  r->policy->rules[want].action))
			die("domains: %s: verdict of rule %d, not %d", s, rule,
			    want);
	}
}

/* A custom policy, deny by default; the patterns go to their rules. */
static struct sbxfw_policy *compile_patterns(const struct pattern *pat, u32 n,
					     double *ms)
{
	struct sbxfw_policy_spec spec = {
		.mode = SBXFW_MODE_CUSTOM,
		.default_action = SBXFW_ACTION_DENY,
		.nrules = DOM_RULES,
	};
	struct sbxfw_policy *policy = NULL;
	const char *why = "?";
	u64 t0;
	u32 i;
	int err;

	spec.rules = calloc(DOM_RULES, sizeof(*spec.rules));
	if (!spec.rules)
		die("out of memory");
	for (i = 0; i < DOM_RULES; i++) {
		spec.rules[i].action = i % 2 ? SBXFW_ACTION_DENY :
					       SBXFW_ACTION_ALLOW;
		spec.rules[i].direction = SBXFW_DIR_EGRESS;
		spec.rules[i].domains =
			xmalloc((n / DOM_RULES + 1) * sizeof(char *));
	}
	for (i = 0; i < n; i++) {
		struct sbxfw_rule_spec *r = &spec.rules[pat[i].rule];

		r->domains[r->ndomains++] = xstrdup(pat[i].text);
	}
	t0 = now_ns();
	err = sbxfw_policy_compile(&spec, &policy, &why);
	*ms = (double)(now_ns() - t0) / 1e6;
	if (err)
		die("sbxfw_policy_compile: %d: %s", err, why);
	return policy;
}

static void bench_domains(void)
{
	struct name *names = xmalloc(NNAMES * sizeof(*names));
	char b[8][32];
	unsigned int pi, hits;

	md("\n## Domain patterns: ns per name\n\n"
	   "sbxfw_domains_match (rule set of a canonical name), a linear scan of all patterns (the reference, timed on the first names of the set only, as many as fit in about %.0f ms), "
	   "and the whole DNS query verdict, sbxfw_policy_eval_name. "
	   "Patterns: 2 to 4 labels, half \"*.\" wildcards, over %d rules. "
	   "Hits: a pattern's name, or up to 6 labels under a wildcard; misses: random names of 2 to 6 labels under the same TLDs.\n\n",
	   TARGET_NS / 1e6, DOM_RULES);
	md("| patterns | names | suffixes | compile ms | domains build ms | sbxfw_domains_match | linear scan | names scanned | sbxfw_policy_eval_name |\n"
	   "|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
	for (pi = 0; pi < NPAT; pi++) {
		u32 n = pattern_counts[pi];
		struct pattern *pat = xmalloc(n * sizeof(*pat));
		struct sbxfw_policy *policy;
		struct sbxfw_domains *d;
		double compile_ms, build_ms;
		u64 t0;
		u32 i;

		fprintf(stderr, "lookup: %s domain patterns...\n",
			grouped(n, b[0]));
		seed(77 + n);
		gen_patterns(pat, n);
		policy = compile_patterns(pat, n, &compile_ms);
		t0 = now_ns();
		if (sbxfw_domains_build(&policy->spec, &d))
			die("sbxfw_domains_build failed");
		build_ms = (double)(now_ns() - t0) / 1e6;
		sbxfw_domains_free(d);
		csv("domain", "", n, "", "sbxfw", "compile_ms", compile_ms);
		csv("domain", "", n, "", "sbxfw", "domains_build_ms", build_ms);

		for (hits = 0; hits < 2; hits++) {
			struct dom_run r = {
				.policy = policy,
				.pat = pat,
				.npat = n,
				.names = names,
			};
			const char *set = hits ? "hits" : "misses";
			size_t cm, cn, ce, cv;
			double m, s, e;

			seed(99 + n * 2 + hits);
			gen_names(names, NNAMES, hits, pat, n);
			cm = calibrate(batch_match, &r, CALIBRATE, NNAMES);
			cn = calibrate(batch_naive, &r, 64, NNAMES);
			ce = calibrate(batch_eval_name, &r, CALIBRATE, NNAMES);
			cm = cm < MIN_NAMES ? MIN_NAMES : cm;
			cn = cn < MIN_NAMES ? MIN_NAMES : cn;
			ce = ce < MIN_NAMES ? MIN_NAMES : ce;
			/* what the scan is timed on, at least 8192 names */
			cv = cm < 8192 ? cm : 8192;
			verify_names(&r, cn > cv ? cn : cv);
			m = measure(batch_match, &r, cm);
			s = measure(batch_naive, &r, cn);
			e = measure(batch_eval_name, &r, ce);
			csv("domain", "", n, set, "sbxfw", "ns_per_name", m);
			csv("domain", "", n, set, "linear", "ns_per_name", s);
			csv("domain", "", n, set, "sbxfw_eval_name",
			    "ns_per_name", e);
			md("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			   grouped(n, b[0]), set,
			   grouped(sbxfw_domains_count(policy->domains), b[1]),
			   cell(compile_ms, b[2]), cell(build_ms, b[3]),
			   cell(m, b[4]), cell(s, b[5]), grouped(cn, b[6]),
			   cell(e, b[7]));
		}
		for (i = 0; i < NNAMES; i++)
			free(names[i].s);
		sbxfw_policy_free(policy);
		for (i = 0; i < n; i++)
			free(pat[i].text);
		free(pat);
	}
	free(names);
}

/* A question for www.example.com A, and @an answers to follow. */
static void put_message(struct dns_msg *m, unsigned int flags, unsigned int an)
{
	put_header(m, 0x1234, flags, 1, an, 0, 0);
	put_question(m, "www.example.com", SBXFW_DNS_TYPE_A);
}

/* A record whose owner is a compression pointer, with TTL 300. */
static void put_record(struct dns_msg *m, unsigned int owner, unsigned int type,
		       const void *rdata, size_t rdlen)
{
	put_ptr(m, owner);
	put_rr(m, type, 300, rdlen);
	put_raw(m, rdata, rdlen);
}

/*
 * www.example.com A? answered with a CNAME to edge.cdn.example.net and an
 * A and an AAAA record for that, owners compressed as resolvers do.
 */
static void build_answer(struct dns_msg *m)
{
	static const u8 a[4] = { 192, 0, 2, 7 };
	static const u8 aaaa[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	struct dns_msg target = { .len = 0 };
	unsigned int at;

	put_message(m, 0x8180, 3);
	put_name(&target, "edge.cdn.example.net");
	at = (unsigned int)m->len + 12; /* the CNAME's rdata */
	put_record(m, SBXFW_DNS_HDR_LEN, SBXFW_DNS_TYPE_CNAME, target.b,
		   target.len);
	put_record(m, at, SBXFW_DNS_TYPE_A, a, sizeof(a));
	put_record(m, at, SBXFW_DNS_TYPE_AAAA, aaaa, sizeof(aaaa));
}

struct dns_run {
	struct dns_msg query;
	struct dns_msg answer;
	struct sbxfw_dns_question q;
};

static int on_addr(void *ctx, const struct sbxfw_dns_addr *addr)
{
	u64 *sum = ctx;

	*sum += addr->family + addr->addr[3] + addr->addr[15] + addr->ttl;
	return 0;
}

static u64 batch_parse_query(const void *ctx, size_t count)
{
	const struct dns_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_dns_question q;

		sum += (u32)sbxfw_dns_parse_query(r->query.b, r->query.len, &q);
		sum += q.name_len + q.id;
	}
	return sum;
}

static u64 batch_parse_response(const void *ctx, size_t count)
{
	const struct dns_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_dns_question q;
		u8 rcode;

		sum += (u32)sbxfw_dns_parse_response(r->answer.b, r->answer.len,
						     &q, &rcode);
		sum += q.name_len + rcode;
	}
	return sum;
}

static u64 batch_walk(const void *ctx, size_t count)
{
	const struct dns_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++)
		sum += (u32)sbxfw_dns_walk_addrs(r->answer.b, r->answer.len,
						 &r->q, on_addr, &sum);
	return sum;
}

static u64 batch_parse_walk(const void *ctx, size_t count)
{
	const struct dns_run *r = ctx;
	u64 sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct sbxfw_dns_question q;
		u8 rcode;

		if (sbxfw_dns_parse_response(r->answer.b, r->answer.len, &q,
					     &rcode))
			continue;
		sum += (u32)sbxfw_dns_walk_addrs(r->answer.b, r->answer.len, &q,
						 on_addr, &sum);
	}
	return sum;
}

static int count_addr(void *ctx, const struct sbxfw_dns_addr *addr)
{
	unsigned int *n = ctx;

	(*n)++;
	return addr->family == 4 ? addr->addr[3] != 7 : addr->addr[15] != 7;
}

static void bench_dns(void)
{
	static const struct {
		const char *what;
		batch_fn fn;
		const char *metric;
	} steps[] = {
		{ "sbxfw_dns_parse_query, the query", batch_parse_query,
		  "parse_query_ns" },
		{ "sbxfw_dns_parse_response", batch_parse_response,
		  "parse_response_ns" },
		{ "sbxfw_dns_walk_addrs (2 addresses)", batch_walk,
		  "walk_addrs_ns" },
		{ "**parse + walk, per answer**", batch_parse_walk,
		  "parse_walk_ns" },
	};
	struct dns_run r;
	unsigned int found = 0, i;
	char buf[32];
	u8 rcode;

	memset(&r, 0, sizeof(r));
	put_message(&r.query, 0x0100, 0);
	build_answer(&r.answer);
	if (r.query.overflow || r.answer.overflow ||
	    sbxfw_dns_parse_query(r.query.b, r.query.len, &r.q) ||
	    sbxfw_dns_parse_response(r.answer.b, r.answer.len, &r.q, &rcode) ||
	    sbxfw_dns_walk_addrs(r.answer.b, r.answer.len, &r.q, count_addr,
				 &found) ||
	    found != 2)
		die("dns: the test answer does not parse as expected");

	md("\n## DNS answer: ns per message\n\n"
	   "A query for www.example.com (%zu bytes), and its answer (%zu bytes): a CNAME to edge.cdn.example.net, an A and an AAAA record for it, owners compressed.\n\n"
	   "| step | ns |\n|---|--:|\n",
	   r.query.len, r.answer.len);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		size_t count = calibrate(steps[i].fn, &r, CALIBRATE, 1U << 24);
		double ns = measure(steps[i].fn, &r, count);

		csv("dns", "", 1, "", "sbxfw", steps[i].metric, ns);
		md("| %s | %s |\n", steps[i].what, cell(ns, buf));
	}
}

static void mkdir_p(const char *dir)
{
	char path[4096], *s;

	snprintf(path, sizeof(path), "%s", dir);
	for (s = path + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(path, 0777) && errno != EEXIST)
				die("cannot create %s: %s", path,
				    strerror(errno));
			*s = c;
			if (!c)
				break;
		}
	}
}

static FILE *open_in(const char *dir, const char *file)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	return f;
}

static void cpu_model(char *buf, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, size, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, size, "%s", colon + 2);
			break;
		}
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/bench";
	u64 start = now_ns();
	struct rusage ru;
	char cpu[256];
	time_t now = time(NULL);
	char date[64];

	if (argc > 2 || (argc > 1 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: %s [RESULTS_DIR]\n", argv[0]);
		return 2;
	}
	mkdir_p(dir);
	md_file = open_in(dir, "lookup.md");
	csv_file = open_in(dir, "lookup.csv");
	fputs("bench,family,n,keys,impl,metric,value\n", csv_file);
	cpu_model(cpu, sizeof(cpu));
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));

	md("# sbxfw lookup microbenchmark\n\n"
	   "%s; %ld CPUs; %s; %s, -O2; kmod/lpm.c, domain.c, policy.c, spec.c and dns.c built natively through pure.h (the build's sort() is libc's qsort here, the kernel's heapsort in the module).\n\n",
	   date, sysconf(_SC_NPROCESSORS_ONLN), cpu,
#ifdef __clang__
	   "clang " __clang_version__
#else
	   "gcc " __VERSION__
#endif
	);
	md("Prefixes: IPv4 /16 to /32 uniformly; IPv6 in 2000::/3, 90%% /32 to /64, 10%% /128; each for a random rule of 256, fixed seeds. "
	   "Keys, in network order as the hooks pass them: *random* (IPv4 anywhere, IPv6 in 2000::/3; mostly misses while the set is sparse), "
	   "*hit* (inside a random prefix), *sequential* (an ascending sweep in even steps from the lowest prefix to the highest). "
	   "sbxfw answers the union of the rules of all covering prefixes; the references answer the longest match only, which is less: "
	   "both are checked against sbxfw on every key timed (hit or miss alike, same longest prefix, its rule in sbxfw's set). "
	   "The references' lookups are noinline, as sbxfw_lpm_lookup is a call into another file.\n\n");

	bench_prefixes();
	print_builds();
	write_dat(dir);
	bench_domains();
	bench_dns();

	getrusage(RUSAGE_SELF, &ru);
	md("\n## Run\n\n%s- Whole run %.1f s, peak RSS %.0f MiB; checksum %016llx.\n",
	   notes, (double)(now_ns() - start) / 1e9, ru.ru_maxrss / 1024.0,
	   (unsigned long long)sink);
	fclose(md_file);
	fclose(csv_file);
	return 0;
}
