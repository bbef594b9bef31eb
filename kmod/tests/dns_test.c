// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the DNS parser (kmod/dns.c) under KASAN. Every message is parsed
 * from a heap buffer of exactly its length, so a read one byte past the
 * end is a KASAN report, not a silent pass: good queries and responses,
 * canonical names (case, the root, 253 bytes), each way a query may be
 * refused, compression loops and forward pointers, every truncation,
 * absurd counts, CNAME chains, the REFUSED answer, and random mutations.
 */
#include "../dns.c"

#include <kunit/test.h>
#include <linux/prandom.h>

#include "dns_msg.h"

/* Messages live on the heap: they are too big for the kernel stack. */
static struct dns_msg *new_msg(struct kunit *test)
{
	struct dns_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

static void copy_msg(struct dns_msg *to, const struct dns_msg *from)
{
	memcpy(to->b, from->b, from->len);
	to->len = from->len;
	to->overflow = from->overflow;
}

static void put_query(struct dns_msg *m, const char *name, u16 qtype)
{
	put_header(m, 0x1234, 0x0100, 1, 0, 0, 0);
	put_question(m, name, qtype);
}

/* A response to "a.test" A? with @an answers to follow. */
static void begin_answer(struct dns_msg *m, u16 an)
{
	put_header(m, 1, 0x8180, 1, an, 0, 0);
	put_question(m, "a.test", SBXFW_DNS_TYPE_A);
}

/* A copy of exactly the message's bytes, so that KASAN sees any overread. */
static u8 *exact(struct kunit *test, const struct dns_msg *m)
{
	u8 *p;

	KUNIT_ASSERT_FALSE_MSG(test, m->overflow, "the test's message overflowed");
	p = kunit_kmalloc(test, m->len ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, m->b, m->len);
	return p;
}

static int query(struct kunit *test, const struct dns_msg *m,
		 struct sbxfw_dns_question *q)
{
	u8 *p = exact(test, m);
	int ret = sbxfw_dns_parse_query(p, m->len, q);

	kunit_kfree(test, p);
	return ret;
}

static int response(struct kunit *test, const struct dns_msg *m,
		    struct sbxfw_dns_question *q)
{
	u8 *p = exact(test, m);
	u8 rcode;
	int ret = sbxfw_dns_parse_response(p, m->len, q, &rcode);

	kunit_kfree(test, p);
	return ret;
}

static void dns_query_good(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct dns_msg *m = new_msg(test);

	put_query(m, "Www.ExAmple.COM", SBXFW_DNS_TYPE_AAAA);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_EXPECT_STREQ(test, q.name, "www.example.com");
	KUNIT_EXPECT_EQ(test, q.name_len, 15);
	KUNIT_EXPECT_EQ(test, q.qtype, SBXFW_DNS_TYPE_AAAA);
	KUNIT_EXPECT_EQ(test, q.id, 0x1234);
	KUNIT_EXPECT_EQ(test, (size_t)q.end, m->len);

	/* The root: "" (a final dot never shows in the text). */
	put_query(m, "", SBXFW_DNS_TYPE_A);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_EXPECT_STREQ(test, q.name, "");
	KUNIT_EXPECT_EQ(test, q.name_len, 0);

	/* Service labels and digits. */
	put_query(m, "_dmarc.0-9.test", SBXFW_DNS_TYPE_A);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_EXPECT_STREQ(test, q.name, "_dmarc.0-9.test");

	/* An EDNS OPT record with a cookie. */
	put_query(m, "example.com", SBXFW_DNS_TYPE_A);
	m->b[11] = 1;
	put8(m, 0);
	put16(m, SBXFW_DNS_TYPE_OPT);
	put16(m, 1232);
	put32(m, 0);
	put16(m, 12);
	put16(m, 10);
	put16(m, 8);
	put32(m, 0x01020304);
	put32(m, 0x05060708);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_EXPECT_STREQ(test, q.name, "example.com");
}

/* The longest names: 253 bytes of text pass, 254 do not. */
static void dns_query_longest(struct kunit *test)
{
	struct sbxfw_dns_question q;
	char name[260];
	struct dns_msg *m = new_msg(test);
	unsigned int i;

	for (i = 0; i < 253; i++)
		name[i] = i % 64 == 63 ? '.' : 'A' + i % 26;
	name[253] = '\0';
	put_query(m, name, SBXFW_DNS_TYPE_A);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_EXPECT_EQ(test, q.name_len, 253);
	KUNIT_EXPECT_EQ(test, strlen(q.name), (size_t)253);
	KUNIT_EXPECT_EQ(test, q.name[0], 'a');

	name[253] = 'x';
	name[254] = '\0';
	put_query(m, name, SBXFW_DNS_TYPE_A);
	KUNIT_EXPECT_EQ(test, query(test, m, &q), -EINVAL);

	/* A 64-byte label is no label (0x40 is an extended label type). */
	memset(name, 'a', 64);
	strcpy(name + 64, ".com");
	put_query(m, name, SBXFW_DNS_TYPE_A);
	KUNIT_EXPECT_EQ(test, query(test, m, &q), -EINVAL);
	put_query(m, name + 1, SBXFW_DNS_TYPE_A);
	KUNIT_EXPECT_EQ(test, query(test, m, &q), 0);
}

static void dns_query_refused(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct dns_msg *m = new_msg(test);
	unsigned int i;
	static const struct {
		unsigned int at;
		u8 value;
		const char *what;
	} bad[] = {
		{ 2, 0x81, "QR set" },
		{ 2, 0x09, "opcode 1" },
		{ 2, 0x03, "TC set" },
		{ 5, 2, "two questions" },
		{ 5, 0, "no question" },
		{ 7, 1, "an answer" },
		{ 9, 1, "an authority record" },
		{ 11, 1, "an OPT record that is not there" },
		{ 11, 2, "two additional records" },
		{ 24, 3, "class CH" },
		{ 13, '.', "a dot inside a label" },
		{ 13, 0, "a NUL inside a label" },
		{ 14, ' ', "a space inside a label" },
		{ 14, 0xc0, "a byte with the top bits set" },
		{ 12, 0xc0, "a compression pointer" },
		{ 12, 0x40, "an extended label type" },
	};

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		put_query(m, "ab.test", SBXFW_DNS_TYPE_A);
		KUNIT_ASSERT_EQ(test, (unsigned int)m->len, 25U);
		m->b[bad[i].at] = bad[i].value;
		KUNIT_EXPECT_EQ_MSG(test, query(test, m, &q), -EINVAL, "%s",
				    bad[i].what);
	}
	put_query(m, "ab.test", SBXFW_DNS_TYPE_A);
	put8(m, 0);
	KUNIT_EXPECT_EQ_MSG(test, query(test, m, &q), -EINVAL,
			    "a trailing byte");

	/* OPT options beyond SBXFW_DNS_QUERY_OPT_MAX bytes. */
	put_query(m, "ab.test", SBXFW_DNS_TYPE_A);
	m->b[11] = 1;
	put8(m, 0);
	put_rr(m, SBXFW_DNS_TYPE_OPT, 0, SBXFW_DNS_QUERY_OPT_MAX + 1);
	for (i = 0; i <= SBXFW_DNS_QUERY_OPT_MAX; i++)
		put8(m, 0);
	KUNIT_EXPECT_EQ_MSG(test, query(test, m, &q), -EINVAL,
			    "65 bytes of options");
}

/*
 * The response this file's tests start from: www.example.com is a CNAME
 * (compressed) of cdn.example.net, which has an A and an AAAA; a record
 * for another name and one of class CH do not count.
 */
static void put_response(struct dns_msg *m)
{
	size_t cdn;

	put_header(m, 0x1234, 0x8180, 1, 5, 0, 0);
	put_question(m, "www.example.com", SBXFW_DNS_TYPE_A);
	/* www.example.com CNAME cdn.example.net */
	put_ptr(m, SBXFW_DNS_HDR_LEN);
	put_rr(m, SBXFW_DNS_TYPE_CNAME, 60, 17);
	cdn = m->len;
	put_name(m, "cdn.example.net");
	/* cdn.example.net A 192.0.2.1, ttl 300 */
	put_ptr(m, cdn);
	put_rr(m, SBXFW_DNS_TYPE_A, 300, 4);
	put32(m, 0xc0000201);
	/* cdn.example.net AAAA 2001:db8::1, ttl with the top bit: 0 */
	put_ptr(m, cdn);
	put_rr(m, SBXFW_DNS_TYPE_AAAA, 0x80000001, 16);
	put32(m, 0x20010db8);
	put32(m, 0);
	put32(m, 0);
	put32(m, 1);
	/* other.test A 198.51.100.1 */
	put_name(m, "other.test");
	put_rr(m, SBXFW_DNS_TYPE_A, 300, 4);
	put32(m, 0xc6336401);
	/* www.example.com A 203.0.113.1, class CH */
	put_ptr(m, SBXFW_DNS_HDR_LEN);
	put16(m, SBXFW_DNS_TYPE_A);
	put16(m, 3);
	put32(m, 300);
	put16(m, 4);
	put32(m, 0xcb007101);
}

struct walked {
	unsigned int n;
	struct sbxfw_dns_addr addr[16];
};

static int collect(void *ctx, const struct sbxfw_dns_addr *addr)
{
	struct walked *w = ctx;

	if (w->n < ARRAY_SIZE(w->addr))
		w->addr[w->n] = *addr;
	w->n++;
	return 0;
}

static int walk(struct kunit *test, const struct dns_msg *m, struct walked *w)
{
	struct sbxfw_dns_question q;
	u8 *p = exact(test, m);
	u8 rcode;
	int ret;

	memset(w, 0, sizeof(*w));
	ret = sbxfw_dns_parse_response(p, m->len, &q, &rcode);
	if (!ret)
		ret = sbxfw_dns_walk_addrs(p, m->len, &q, collect, w);
	kunit_kfree(test, p);
	return ret;
}

static void dns_response_walk(struct kunit *test)
{
	static const u8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct sbxfw_dns_question q;
	struct walked w;
	struct dns_msg *m = new_msg(test);
	u8 rcode;

	put_response(m);
	KUNIT_ASSERT_EQ(test, response(test, m, &q), 0);
	KUNIT_EXPECT_STREQ(test, q.name, "www.example.com");
	KUNIT_ASSERT_EQ(test, sbxfw_dns_response_question(m->b, m->len, &q,
							  &rcode), 0);
	KUNIT_EXPECT_EQ(test, rcode, 0);
	KUNIT_ASSERT_EQ(test, walk(test, m, &w), 0);
	KUNIT_ASSERT_EQ(test, w.n, 2U);
	KUNIT_EXPECT_EQ(test, w.addr[0].family, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(w.addr[0].addr), 0xc0000201);
	KUNIT_EXPECT_EQ(test, w.addr[0].ttl, 300U);
	KUNIT_EXPECT_EQ(test, w.addr[1].family, 6);
	KUNIT_EXPECT_EQ(test, memcmp(w.addr[1].addr, v6, 16), 0);
	KUNIT_EXPECT_EQ(test, w.addr[1].ttl, 0U);
}

/* Each prefix of a good message is refused, read within its bounds. */
static void dns_truncated(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct dns_msg *m = new_msg(test), *t = new_msg(test);
	size_t len;

	put_response(m);
	for (len = 0; len < m->len; len++) {
		copy_msg(t, m);
		t->len = len;
		KUNIT_EXPECT_EQ_MSG(test, response(test, t, &q), -EINVAL,
				    "response cut to %zu of %zu bytes", len,
				    m->len);
	}
	put_query(m, "www.example.com", SBXFW_DNS_TYPE_A);
	for (len = 0; len < m->len; len++) {
		copy_msg(t, m);
		t->len = len;
		KUNIT_EXPECT_EQ_MSG(test, query(test, t, &q), -EINVAL,
				    "query cut to %zu of %zu bytes", len, m->len);
	}
}

static void dns_pointers(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct dns_msg *m = new_msg(test);
	size_t at;

	/* An owner that points to itself. */
	begin_answer(m, 1);
	at = m->len;
	put_ptr(m, at);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);

	/* Two labels then a pointer back to the first: a loop. */
	begin_answer(m, 1);
	at = m->len;
	put8(m, 1);
	put8(m, 'x');
	put_ptr(m, at);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);

	/* A pointer forward, to a name written later. */
	begin_answer(m, 2);
	put_ptr(m, m->len + 16);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	put_name(m, "a.test");
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);

	/* A pointer past the end of the message. */
	begin_answer(m, 1);
	put_ptr(m, 0x3fff);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);

	/* Pointer to pointer to the question, backwards: fine. */
	begin_answer(m, 2);
	at = m->len;
	put_ptr(m, SBXFW_DNS_HDR_LEN);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000001);
	put_ptr(m, at);
	put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
	put32(m, 0x0a000002);
	KUNIT_EXPECT_EQ(test, response(test, m, &q), 0);
}

static void dns_absurd_counts(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct walked w;
	struct dns_msg *m = new_msg(test);
	unsigned int i;

	for (i = 6; i <= 10; i += 2) {
		put_response(m);
		m->b[i] = 0xff;
		m->b[i + 1] = 0xff;
		KUNIT_EXPECT_EQ_MSG(test, response(test, m, &q), -EINVAL,
				    "count at %u is 65535", i);
	}
	put_response(m);
	m->b[5] = 0;
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);
	m->b[5] = 2;
	KUNIT_EXPECT_EQ(test, response(test, m, &q), -EINVAL);

	/*
	 * 300 answers (more than SBXFW_DNS_MAX_RRS) for the question: the
	 * walk stops after the first 256.
	 */
	begin_answer(m, 300);
	for (i = 0; i < 300; i++) {
		put_ptr(m, SBXFW_DNS_HDR_LEN);
		put_rr(m, SBXFW_DNS_TYPE_A, 1, 4);
		put32(m, 0x0a000000 + i);
	}
	KUNIT_ASSERT_EQ(test, m->len, (size_t)(12 + 12 + 300 * 16));
	KUNIT_ASSERT_EQ(test, walk(test, m, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, (unsigned int)SBXFW_DNS_MAX_RRS);
}

/*
 * n0 is an alias of n1, n1 of n2, ... n9; each has an A record: the walk
 * reports the addresses of n0..n8 (SBXFW_DNS_MAX_CHAIN hops), not n9's.
 */
static void dns_cname_chain(struct kunit *test)
{
	struct walked w;
	struct dns_msg *m = new_msg(test);
	char name[8];
	unsigned int i;

	put_header(m, 1, 0x8180, 1, 19, 0, 0);
	put_name(m, "n0.test");
	put16(m, 1);
	put16(m, 1);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "n%u.test", i);
		put_name(m, name);
		put_rr(m, SBXFW_DNS_TYPE_A, 5, 4);
		put32(m, 0x0a000000 + i);
		if (i == 9)
			break;
		put_name(m, name);
		put_rr(m, SBXFW_DNS_TYPE_CNAME, 5, 9);
		snprintf(name, sizeof(name), "n%u.test", i + 1);
		put_name(m, name);
	}
	KUNIT_ASSERT_EQ(test, walk(test, m, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, SBXFW_DNS_MAX_CHAIN + 1U);
	for (i = 0; i < w.n && i < ARRAY_SIZE(w.addr); i++)
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(w.addr[i].addr),
				0x0a000000 + i);
}

static void dns_refusal(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct dns_msg *m = new_msg(test);
	u8 *p, *out = kunit_kzalloc(test, 512, GFP_KERNEL);
	size_t n;

	put_query(m, "Denied.Example", SBXFW_DNS_TYPE_A);
	m->b[2] = 0x01;		/* RD */
	m->b[3] = 0x10;		/* CD */
	m->b[11] = 1;		/* an OPT record, not echoed */
	put8(m, 0);
	put_rr(m, SBXFW_DNS_TYPE_OPT, 0, 0);
	KUNIT_ASSERT_EQ(test, query(test, m, &q), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	p = exact(test, m);
	n = sbxfw_dns_refusal(p, &q, out, 512);
	KUNIT_ASSERT_EQ(test, n, (size_t)q.end);
	KUNIT_EXPECT_EQ(test, out[2], 0x81);
	KUNIT_EXPECT_EQ(test, out[3], 0x10 | SBXFW_DNS_RCODE_REFUSED);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + 4), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + 10), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out + 12, m->b + 12, n - 12), 0);
	/* Too small a buffer; and in place. */
	KUNIT_EXPECT_EQ(test, sbxfw_dns_refusal(p, &q, out, n - 1), (size_t)0);
	KUNIT_EXPECT_EQ(test, sbxfw_dns_refusal(p, &q, p, m->len), n);
	KUNIT_EXPECT_EQ(test, memcmp(out, p, n), 0);
}

static void dns_hash_ignores_case(struct kunit *test)
{
	struct sbxfw_dns_question a, b;
	struct dns_msg *m = new_msg(test);

	put_query(m, "WWW.example.COM", SBXFW_DNS_TYPE_A);
	KUNIT_ASSERT_EQ(test, query(test, m, &a), 0);
	put_query(m, "www.EXAMPLE.com", SBXFW_DNS_TYPE_A);
	KUNIT_ASSERT_EQ(test, query(test, m, &b), 0);
	KUNIT_EXPECT_EQ(test, sbxfw_dns_question_hash(&a),
			sbxfw_dns_question_hash(&b));
	put_query(m, "www.example.com", SBXFW_DNS_TYPE_AAAA);
	KUNIT_ASSERT_EQ(test, query(test, m, &b), 0);
	KUNIT_EXPECT_NE(test, sbxfw_dns_question_hash(&a),
			sbxfw_dns_question_hash(&b));
}

/*
 * Random mutations of good messages, each parsed from a buffer of its
 * exact length: whatever the bytes, no read outside them (KASAN), and
 * what parses has a canonical name and walks without error.
 */
static void dns_mutations(struct kunit *test)
{
	struct sbxfw_dns_question q;
	struct rnd_state rnd;
	struct walked w;
	struct dns_msg *base = new_msg(test), *m = new_msg(test);
	unsigned int i, j, parsed = 0;

	prandom_seed_state(&rnd, 53);
	put_response(base);
	for (i = 0; i < 20000; i++) {
		unsigned int flips = 1 + prandom_u32_state(&rnd) % 4;

		copy_msg(m, base);
		if (i % 2)
			put_query(m, "www.example.com", SBXFW_DNS_TYPE_A);
		for (j = 0; j < flips; j++) {
			unsigned int at = prandom_u32_state(&rnd) % m->len;

			switch (prandom_u32_state(&rnd) % 4) {
			case 0:
				m->b[at] = prandom_u32_state(&rnd);
				break;
			case 1:
				m->b[at] ^= 1 << (prandom_u32_state(&rnd) % 8);
				break;
			case 2:
				m->b[at] = 0xc0;
				break;
			default:
				m->len = at + 1;
				break;
			}
		}
		if (i % 2) {
			if (query(test, m, &q))
				continue;
		} else if (walk(test, m, &w)) {
			continue;
		}
		parsed++;
		if (i % 2) {
			KUNIT_EXPECT_EQ(test, strlen(q.name), (size_t)q.name_len);
			KUNIT_EXPECT_LE(test, (size_t)q.end, m->len);
		}
	}
	kunit_info(test, "20000 mutated messages, %u accepted", parsed);
}

static struct kunit_case sbxfw_dns_cases[] = {
	KUNIT_CASE(dns_query_good),
	KUNIT_CASE(dns_query_longest),
	KUNIT_CASE(dns_query_refused),
	KUNIT_CASE(dns_response_walk),
	KUNIT_CASE(dns_truncated),
	KUNIT_CASE(dns_pointers),
	KUNIT_CASE(dns_absurd_counts),
	KUNIT_CASE(dns_cname_chain),
	KUNIT_CASE(dns_refusal),
	KUNIT_CASE(dns_hash_ignores_case),
	KUNIT_CASE(dns_mutations),
	{}
};

static struct kunit_suite sbxfw_dns_suite = {
	.name = "sbxfw_dns",
	.test_cases = sbxfw_dns_cases,
};

kunit_test_suite(sbxfw_dns_suite);
