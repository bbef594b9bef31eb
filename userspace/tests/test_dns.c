// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS message parser (kmod/dns.c): queries as the firewall accepts
 * them and every reason it refuses one, responses and the addresses their
 * answers give, the REFUSED response, the question hash, and a fixed-seed
 * mutation run that checks memory safety (ASan/UBSan) and invariants.
 *
 * Messages are built field by field by the helpers below; every parse
 * runs on a heap copy of exactly the message's length, so that a read
 * past its end is caught.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "tests.h"
#include "tests/dns_msg.h"

/* The id of every message here. */
#define ID 0xbeef

static void set16(struct dns_msg *m, size_t off, unsigned int v)
{
	m->b[off] = (uint8_t)(v >> 8);
	m->b[off + 1] = (uint8_t)v;
}

static void set_counts(struct dns_msg *m, unsigned int an, unsigned int ns,
		       unsigned int ar)
{
	set16(m, 6, an);
	set16(m, 8, ns);
	set16(m, 10, ar);
}

/* Header (RD set) and question, class IN. */
static void query(struct dns_msg *m, const char *name, unsigned int qtype)
{
	put_header(m, ID, 0x0100, 1, 0, 0, 0);
	put_question(m, name, qtype);
}

/* An OPT record with @rdlen bytes of options; arcount is the caller's. */
static void put_opt(struct dns_msg *m, unsigned int rdlen)
{
	put8(m, 0);
	put16(m, SBXFW_DNS_TYPE_OPT);
	put16(m, 1232);
	put32(m, 0);
	put16(m, rdlen);
	while (rdlen--)
		put8(m, 0x5a);
}

/* Header (QR, RD, RA set, NOERROR) and question; counts set later. */
static void response(struct dns_msg *m, const char *name, unsigned int qtype)
{
	put_header(m, ID, 0x8180, 1, 0, 0, 0);
	put_question(m, name, qtype);
}

/* NULL: a pointer to the question's name. */
static void put_owner(struct dns_msg *m, const char *owner)
{
	if (owner)
		put_name(m, owner);
	else
		put_ptr(m, SBXFW_DNS_HDR_LEN);
}

/* Type, class and TTL; returns where rdlength goes, for end_rr(). */
static size_t begin_rr(struct dns_msg *m, unsigned int type, unsigned int class,
		       uint32_t ttl)
{
	size_t at;

	put16(m, type);
	put16(m, class);
	put32(m, ttl);
	at = m->len;
	put16(m, 0);
	return at;
}

static void end_rr(struct dns_msg *m, size_t at)
{
	set16(m, at, (unsigned int)(m->len - at - 2));
}

static void put_record(struct dns_msg *m, const char *owner, unsigned int type,
		       unsigned int class, uint32_t ttl, const void *rdata,
		       size_t rdlen)
{
	size_t at;

	put_owner(m, owner);
	at = begin_rr(m, type, class, ttl);
	put_raw(m, rdata, rdlen);
	end_rr(m, at);
}

/* An A or AAAA record, class IN, after the form of @ip. */
static void put_addr(struct dns_msg *m, const char *owner, const char *ip,
		     uint32_t ttl)
{
	int v6 = strchr(ip, ':') != NULL;
	uint8_t a[16];

	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, ip, a), 1);
	put_record(m, owner, v6 ? SBXFW_DNS_TYPE_AAAA : SBXFW_DNS_TYPE_A, 1,
		   ttl, a, v6 ? 16 : 4);
}

static void put_a(struct dns_msg *m, const char *owner, const char *ip)
{
	put_addr(m, owner, ip, 300);
}

static void put_cname(struct dns_msg *m, const char *owner, const char *target)
{
	size_t at;

	put_owner(m, owner);
	at = begin_rr(m, SBXFW_DNS_TYPE_CNAME, 1, 300);
	put_name(m, target);
	end_rr(m, at);
}

/* Type A, class IN, after an owner written by hand. */
static void put_a_rr(struct dns_msg *m, const char *rdata)
{
	size_t at = begin_rr(m, SBXFW_DNS_TYPE_A, 1, 60);

	put_raw(m, rdata, 4);
	end_rr(m, at);
}

/* A name of @n characters: labels of 63 'a' and a shorter last one. */
static void long_name(char *buf, size_t n)
{
	size_t pos = 0;

	while (n - pos > 64) {
		memset(buf + pos, 'a', 63);
		buf[pos + 63] = '.';
		pos += 64;
	}
	memset(buf + pos, 'b', n - pos);
	buf[n] = '\0';
}

static uint8_t *copy(const struct dns_msg *m)
{
	uint8_t *p;

	assert_false(m->overflow);
	p = malloc(m->len ? m->len : 1);
	assert_non_null(p);
	memcpy(p, m->b, m->len);
	return p;
}

static int parse_query(const struct dns_msg *m, struct sbxfw_dns_question *q)
{
	uint8_t *p = copy(m);
	int ret = sbxfw_dns_parse_query(p, m->len, q);

	free(p);
	return ret;
}

static int parse_response(const struct dns_msg *m, struct sbxfw_dns_question *q,
			  uint8_t *rcode)
{
	uint8_t *p = copy(m);
	int ret = sbxfw_dns_parse_response(p, m->len, q, rcode);

	free(p);
	return ret;
}

static int query_err(const struct dns_msg *m)
{
	struct sbxfw_dns_question q;

	return parse_query(m, &q);
}

static int response_err(const struct dns_msg *m)
{
	struct sbxfw_dns_question q;
	uint8_t rcode;

	return parse_response(m, &q, &rcode);
}

/* What a walk reported. */
struct seen {
	size_t n;
	struct sbxfw_dns_addr a[16];
	struct sbxfw_dns_addr last;
	char text[1024];
	size_t stop_at; /* return stop_ret from the stop_at-th call */
	int stop_ret;
};

static int collect(void *ctx, const struct sbxfw_dns_addr *addr)
{
	struct seen *s = ctx;
	char buf[INET6_ADDRSTRLEN];
	size_t used = strlen(s->text);

	assert_true(addr->family == 4 || addr->family == 6);
	assert_non_null(inet_ntop(addr->family == 4 ? AF_INET : AF_INET6,
				  addr->addr, buf, sizeof(buf)));
	snprintf(s->text + used, sizeof(s->text) - used, "%s%s",
		 used ? " " : "", buf);
	if (s->n < ARRAY_SIZE(s->a))
		s->a[s->n] = *addr;
	s->last = *addr;
	s->n++;
	return s->n == s->stop_at ? s->stop_ret : 0;
}

static struct seen seen;

/* The addresses the walk of response @m reports, space-separated. */
static const char *walk(const struct dns_msg *m)
{
	struct sbxfw_dns_question q;
	uint8_t *p = copy(m);
	uint8_t rcode;

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(sbxfw_dns_parse_response(p, m->len, &q, &rcode), 0);
	assert_int_equal(sbxfw_dns_walk_addrs(p, m->len, &q, collect, &seen),
			 0);
	free(p);
	return seen.text;
}

/* Queries */

static void test_dns_query_a(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.id, ID);
	assert_int_equal(q.qtype, SBXFW_DNS_TYPE_A);
	assert_int_equal(q.qclass, 1);
	assert_int_equal(q.end, m.len);
	assert_string_equal(q.name, "www.example.com");
	assert_int_equal(q.name_len, 15);
}

static void test_dns_query_aaaa(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "ipv6.example.org", SBXFW_DNS_TYPE_AAAA);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.qtype, SBXFW_DNS_TYPE_AAAA);
	assert_string_equal(q.name, "ipv6.example.org");
}

static void test_dns_query_opt(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;
	size_t end;

	(void)state;
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	end = m.len;
	put_opt(&m, 0);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.end, end);
	assert_string_equal(q.name, "example.com");

	/* Options inside the OPT record: a cookie, say. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, 12);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.end, end);
}

static void test_dns_query_case_folds(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "WwW.ExAmPlE.COM", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_string_equal(q.name, "www.example.com");

	/* Digits, '-' and '_' are kept as they are. */
	query(&m, "_SIP._tcp.Host-01.Z9", 33);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_string_equal(q.name, "_sip._tcp.host-01.z9");
	assert_int_equal(q.qtype, 33);
}

/* The root label that ends every name leaves no final dot. */
static void test_dns_query_trailing_root(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "localhost", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_string_equal(q.name, "localhost");
	assert_int_equal(q.name_len, 9);

	query(&m, "a.b.", SBXFW_DNS_TYPE_A); /* put_labels drops the dot */
	assert_int_equal(parse_query(&m, &q), 0);
	assert_string_equal(q.name, "a.b");
}

static void test_dns_query_root(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "", 2); /* NS of the root, as priming asks */
	assert_int_equal(parse_query(&m, &q), 0);
	assert_string_equal(q.name, "");
	assert_int_equal(q.name_len, 0);
	assert_int_equal(q.end, SBXFW_DNS_HDR_LEN + 5);
	assert_int_equal(q.qtype, 2);
}

static void test_dns_query_flags(void **state)
{
	static const unsigned int bad[] = {
		0x8000, /* QR */
		0x0800, /* opcode 1, IQUERY */
		0x1000, /* opcode 2, STATUS */
		0x2000, /* opcode 4, NOTIFY */
		0x2800, /* opcode 5, UPDATE */
		0x7800, /* opcode 15 */
		0x0200, /* TC */
		0x8380,
	};
	struct sbxfw_dns_question q;
	struct dns_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		query(&m, "example.com", SBXFW_DNS_TYPE_A);
		set16(&m, 2, bad[i]);
		assert_int_equal(parse_query(&m, &q), -EINVAL);
	}
	/* RD, AD, CD and the rest are not the firewall's business. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	set16(&m, 2, 0);
	assert_int_equal(parse_query(&m, &q), 0);
	set16(&m, 2, 0x0130);
	assert_int_equal(parse_query(&m, &q), 0);
}

static void test_dns_query_counts(void **state)
{
	struct dns_msg m;

	(void)state;
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	set16(&m, 4, 0);
	assert_int_equal(query_err(&m), -EINVAL);
	set16(&m, 4, 2);
	assert_int_equal(query_err(&m), -EINVAL);

	/* Two questions, both complete. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_name(&m, "example.net");
	put16(&m, SBXFW_DNS_TYPE_A);
	put16(&m, 1);
	set16(&m, 4, 2);
	assert_int_equal(query_err(&m), -EINVAL);

	/* A record in the answer, authority or additional section. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, "example.com", "192.0.2.1");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(query_err(&m), -EINVAL);
	set_counts(&m, 0, 1, 0);
	assert_int_equal(query_err(&m), -EINVAL);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);

	/* Two OPT records. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, 0);
	put_opt(&m, 0);
	set_counts(&m, 0, 0, 2);
	assert_int_equal(query_err(&m), -EINVAL);

	/* arcount 1 and no record. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);
}

static void test_dns_query_pointer(void **state)
{
	struct dns_msg m;

	(void)state;
	/* "www" then a pointer back into the header. */
	put_header(&m, ID, 0x0100, 1, 0, 0, 0);
	put_labels(&m, "www");
	put_ptr(&m, 2);
	put16(&m, SBXFW_DNS_TYPE_A);
	put16(&m, 1);
	assert_int_equal(query_err(&m), -EINVAL);

	/* The whole name a pointer. */
	put_header(&m, ID, 0x0100, 1, 0, 0, 0);
	put_ptr(&m, 4);
	put16(&m, SBXFW_DNS_TYPE_A);
	put16(&m, 1);
	assert_int_equal(query_err(&m), -EINVAL);

	/* The OPT record's owner a pointer to the question's name. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_ptr(&m, SBXFW_DNS_HDR_LEN);
	put16(&m, SBXFW_DNS_TYPE_OPT);
	put16(&m, 1232);
	put32(&m, 0);
	put16(&m, 0);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);
}

static void test_dns_query_trailing_byte(void **state)
{
	struct dns_msg m;

	(void)state;
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put8(&m, 0);
	assert_int_equal(query_err(&m), -EINVAL);

	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, 4);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), 0);
	put8(&m, 0);
	assert_int_equal(query_err(&m), -EINVAL);
}

static void test_dns_query_truncated(void **state)
{
	struct dns_msg m, cut;
	size_t len;

	(void)state;
	query(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	for (len = 0; len < m.len; len++) {
		cut = m;
		cut.len = len;
		assert_int_equal(query_err(&cut), -EINVAL);
	}
	put_opt(&m, 4);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), 0);
	for (len = 0; len < m.len; len++) {
		cut = m;
		cut.len = len;
		assert_int_equal(query_err(&cut), -EINVAL);
	}
}

static void test_dns_query_lengths(void **state)
{
	char name[SBXFW_DNS_NAME_MAX + 2];
	struct sbxfw_dns_question q;
	char label[65];
	struct dns_msg m;

	(void)state;
	memset(label, 'x', 64);
	label[63] = '\0';
	query(&m, label, SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.name_len, 63);

	/* 64 does not fit the 6 bits: it reads as label type 0x40. */
	label[63] = 'x';
	label[64] = '\0';
	query(&m, label, SBXFW_DNS_TYPE_A);
	assert_int_equal(m.b[SBXFW_DNS_HDR_LEN], 64);
	assert_int_equal(parse_query(&m, &q), -EINVAL);

	long_name(name, SBXFW_DNS_NAME_MAX);
	query(&m, name, SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	assert_int_equal(q.name_len, SBXFW_DNS_NAME_MAX);
	assert_string_equal(q.name, name);

	long_name(name, SBXFW_DNS_NAME_MAX + 1);
	query(&m, name, SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), -EINVAL);
}

/*
 * A query carries no room for data besides its name: at most
 * SBXFW_DNS_QUERY_OPT_MAX option bytes, and class IN only.
 */
static void test_dns_query_size(void **state)
{
	struct sbxfw_dns_question q;
	struct dns_msg m;

	(void)state;
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, SBXFW_DNS_QUERY_OPT_MAX);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(sbxfw_dns_parse_query(m.b, m.len, &q), 0);
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, SBXFW_DNS_QUERY_OPT_MAX + 1);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(sbxfw_dns_parse_query(m.b, m.len, &q), -EINVAL);
	/* Class CH, as in "version.bind". */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	m.b[m.len - 1] = 3;
	assert_int_equal(sbxfw_dns_parse_query(m.b, m.len, &q), -EINVAL);
}

static void test_dns_query_bad_bytes(void **state)
{
	/* Each is put in place of the 'b' of "abc". */
	static const char bad[] = ". */@\\\x7f\x80\xc3\xff";
	struct dns_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		query(&m, "abc.example", SBXFW_DNS_TYPE_A);
		m.b[SBXFW_DNS_HDR_LEN + 2] = (uint8_t)bad[i]; /* NUL last */
		assert_int_equal(query_err(&m), -EINVAL);
	}
	/* Label types 0x40 (extended) and 0x80 (reserved). */
	query(&m, "example", SBXFW_DNS_TYPE_A);
	m.b[SBXFW_DNS_HDR_LEN] = 0x47;
	assert_int_equal(query_err(&m), -EINVAL);
	m.b[SBXFW_DNS_HDR_LEN] = 0x87;
	assert_int_equal(query_err(&m), -EINVAL);
	m.b[SBXFW_DNS_HDR_LEN] = 7;
	assert_int_equal(query_err(&m), 0);
}

static void test_dns_query_bad_opt(void **state)
{
	struct dns_msg m;

	(void)state;
	/* rdlength 4, but 3 bytes of options. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, 3);
	set16(&m, m.len - 5, 4);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);
	/* rdlength 2, but 3 bytes. */
	set16(&m, m.len - 5, 2);
	assert_int_equal(query_err(&m), -EINVAL);
	set16(&m, m.len - 5, 3);
	assert_int_equal(query_err(&m), 0);

	/* Not the root as owner. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_labels(&m, "x");
	put_opt(&m, 0);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);

	/* Not type OPT. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_record(&m, "", SBXFW_DNS_TYPE_A, 1, 0, "\1\2\3\4", 4);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);

	/* Cut inside the fixed part. */
	query(&m, "example.com", SBXFW_DNS_TYPE_A);
	put_opt(&m, 0);
	m.len -= 3;
	set_counts(&m, 0, 0, 1);
	assert_int_equal(query_err(&m), -EINVAL);
}

/* Responses */

static void test_dns_response_a(void **state)
{
	struct sbxfw_dns_question q;
	uint8_t rcode = 0xff;
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(parse_response(&m, &q, &rcode), 0);
	assert_int_equal(rcode, 0);
	assert_int_equal(q.id, ID);
	assert_int_equal(q.qtype, SBXFW_DNS_TYPE_A);
	assert_int_equal(q.qclass, 1);
	assert_int_equal(q.end, SBXFW_DNS_HDR_LEN + 17 + 4);
	assert_string_equal(q.name, "www.example.com");
	assert_string_equal(walk(&m), "192.0.2.1");
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.a[0].family, 4);
	assert_int_equal(seen.a[0].ttl, 300);
}

static void test_dns_response_aaaa(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_AAAA);
	put_a(&m, NULL, "2001:db8::1");
	set_counts(&m, 1, 0, 0);
	assert_string_equal(walk(&m), "2001:db8::1");
	assert_int_equal(seen.a[0].family, 6);
}

static void test_dns_response_several(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	put_a(&m, "www.example.com", "192.0.2.2");
	put_a(&m, NULL, "2001:db8::1");
	put_a(&m, NULL, "192.0.2.3");
	/* Authority and additional sections give no address. */
	put_a(&m, NULL, "198.51.100.1");
	put_a(&m, NULL, "198.51.100.2");
	set_counts(&m, 4, 1, 1);
	assert_string_equal(walk(&m),
			    "192.0.2.1 192.0.2.2 2001:db8::1 192.0.2.3");

	/* No answer at all (NODATA). */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_string_equal(walk(&m), "");
}

static void test_dns_response_cname_in_order(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_cname(&m, NULL, "www.cdn.example.net");
	put_cname(&m, "www.cdn.example.net", "edge.example.org");
	put_a(&m, "edge.example.org", "192.0.2.7");
	put_a(&m, "edge.example.org", "192.0.2.8");
	set_counts(&m, 4, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.7 192.0.2.8");
}

static void test_dns_response_cname_out_of_order(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, "edge.example.org", "192.0.2.7");
	put_cname(&m, "www.cdn.example.net", "edge.example.org");
	put_a(&m, "unrelated.example.org", "192.0.2.9");
	put_cname(&m, NULL, "www.cdn.example.net");
	set_counts(&m, 4, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.7");

	/* An address for the question's own name next to an alias. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, "target.example.com", "192.0.2.2");
	put_cname(&m, NULL, "target.example.com");
	put_a(&m, NULL, "192.0.2.1");
	set_counts(&m, 3, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.1 192.0.2.2");

	/* Two aliases for one name (RFC 2181 10.1 forbids it): the first. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, "one.example.com", "192.0.2.1");
	put_a(&m, "two.example.com", "192.0.2.2");
	put_cname(&m, NULL, "one.example.com");
	put_cname(&m, NULL, "two.example.com");
	set_counts(&m, 4, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.1");
}

/* n0 -> n1 -> ... -> n@hops, with the address at n@hops. */
static void chain(struct dns_msg *m, unsigned int hops, int reverse)
{
	char from[32], to[32];
	unsigned int i, k;

	response(m, "n0.example", SBXFW_DNS_TYPE_A);
	if (reverse) {
		snprintf(to, sizeof(to), "n%u.example", hops);
		put_a(m, to, "192.0.2.99");
	}
	for (i = 0; i < hops; i++) {
		k = reverse ? hops - 1 - i : i;
		snprintf(from, sizeof(from), "n%u.example", k);
		snprintf(to, sizeof(to), "n%u.example", k + 1);
		put_cname(m, from, to);
	}
	if (!reverse) {
		snprintf(to, sizeof(to), "n%u.example", hops);
		put_a(m, to, "192.0.2.99");
	}
	set_counts(m, hops + 1, 0, 0);
}

static void test_dns_response_chain_limit(void **state)
{
	struct dns_msg m;
	int reverse;

	(void)state;
	for (reverse = 0; reverse < 2; reverse++) {
		chain(&m, SBXFW_DNS_MAX_CHAIN, reverse);
		assert_string_equal(walk(&m), "192.0.2.99");
		chain(&m, SBXFW_DNS_MAX_CHAIN + 1, reverse);
		assert_string_equal(walk(&m), "");
	}
}

static void test_dns_response_cname_loop(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "a.example", SBXFW_DNS_TYPE_A);
	put_cname(&m, "a.example", "b.example");
	put_cname(&m, "b.example", "a.example");
	put_a(&m, "b.example", "192.0.2.1");
	set_counts(&m, 3, 0, 0);
	walk(&m);
	/* Reported once per visit of b: the loop ends, duplicates allowed. */
	assert_true(seen.n >= 1 && seen.n <= SBXFW_DNS_MAX_CHAIN);
	assert_int_equal(seen.a[0].addr[3], 1);

	response(&m, "a.example", SBXFW_DNS_TYPE_A);
	put_cname(&m, NULL, "a.example");
	set_counts(&m, 1, 0, 0);
	assert_string_equal(walk(&m), "");
}

static void test_dns_response_compression(void **state)
{
	size_t at, target;
	struct dns_msg m;

	(void)state;
	/* Backward, into the middle of the question: cdn.example.com. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_owner(&m, NULL);
	at = begin_rr(&m, SBXFW_DNS_TYPE_CNAME, 1, 60);
	target = m.len;
	put_labels(&m, "cdn");
	put_ptr(&m, SBXFW_DNS_HDR_LEN + 4);
	end_rr(&m, at);
	/* Owner: a pointer to the CNAME's target, itself compressed. */
	put_ptr(&m, target);
	put_a_rr(&m, "\xc0\x00\x02\x05");
	set_counts(&m, 2, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.5");

	/* The same owner spelled out, in another case. */
	m.len = target + 6;
	put_name(&m, "CDN.example.COM");
	put_a_rr(&m, "\xc0\x00\x02\x06");
	assert_string_equal(walk(&m), "192.0.2.6");

	/* A pointer to a pointer, both backward. */
	m.len = target + 6;
	put_ptr(&m, SBXFW_DNS_HDR_LEN);
	put_a_rr(&m, "\xc0\x00\x02\x07");
	put_ptr(&m, m.len - 16);
	put_a_rr(&m, "\xc0\x00\x02\x08");
	set_counts(&m, 3, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.7 192.0.2.8");

	/* A forward pointer: the owner points past itself. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_ptr(&m, m.len + 2);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* A pointer to itself. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_ptr(&m, m.len);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* Labels, then a pointer to their own start. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	at = m.len;
	put_labels(&m, "x");
	put_ptr(&m, at);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* Beyond the message. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_ptr(&m, 0x3fff);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* Cut between the two bytes of a pointer. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put8(&m, 0xc0);
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* A CNAME target pointing forward, out of its rdata. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_owner(&m, NULL);
	at = begin_rr(&m, SBXFW_DNS_TYPE_CNAME, 1, 60);
	put_ptr(&m, m.len + 2);
	end_rr(&m, at);
	put_a(&m, "x.example", "192.0.2.1");
	set_counts(&m, 2, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);
}

/*
 * Pointers to pointers, all backward: a name may follow 128, not 129.
 * The chain of pointers sits in the rdata of a record of unknown type.
 */
static void test_dns_response_pointer_chain(void **state)
{
	struct dns_msg m;
	size_t at, ptrs, i, hops;

	(void)state;
	for (hops = 127; hops <= 128; hops++) {
		response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
		put_owner(&m, NULL);
		at = begin_rr(&m, 99, 1, 60);
		ptrs = m.len;
		put_ptr(&m, SBXFW_DNS_HDR_LEN);
		for (i = 1; i < 128; i++)
			put_ptr(&m, ptrs + 2 * (i - 1));
		end_rr(&m, at);
		/* The owner is one jump, then hops more. */
		put_ptr(&m, ptrs + 2 * (hops - 1));
		put_a_rr(&m, "\xc0\x00\x02\x01");
		set_counts(&m, 2, 0, 0);
		if (hops == 127)
			assert_string_equal(walk(&m), "192.0.2.1");
		else
			assert_int_equal(response_err(&m), -EINVAL);
	}
}

static void test_dns_response_other_owner(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, "other.example.com", "192.0.2.1");
	put_a(&m, "example.com", "192.0.2.2");
	put_a(&m, "www.example.com.evil", "192.0.2.3");
	put_a(&m, "wwww.example.com", "192.0.2.4");
	put_a(&m, "WWW.Example.COM", "192.0.2.5");
	set_counts(&m, 5, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.5");
}

static void test_dns_response_class(void **state)
{
	struct dns_msg m;
	size_t at;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_record(&m, NULL, SBXFW_DNS_TYPE_A, 3, 60, "\xc0\x00\x02\x01", 4);
	/* A CNAME of class CH is not followed either. */
	put_owner(&m, NULL);
	at = begin_rr(&m, SBXFW_DNS_TYPE_CNAME, 3, 60);
	put_name(&m, "ch.example");
	end_rr(&m, at);
	put_a(&m, "ch.example", "192.0.2.2");
	put_a(&m, NULL, "192.0.2.3");
	set_counts(&m, 4, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.3");
}

static void test_dns_response_bad_rdlength(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_record(&m, NULL, SBXFW_DNS_TYPE_A, 1, 60, "\xc0\x00\x02\x01\x00",
		   5);
	put_record(&m, NULL, SBXFW_DNS_TYPE_A, 1, 60, "\xc0\x00\x02", 3);
	put_record(&m, NULL, SBXFW_DNS_TYPE_AAAA, 1, 60, "\xc0\x00\x02\x02", 4);
	put_record(&m, NULL, SBXFW_DNS_TYPE_A, 1, 60, "0123456789abcdef", 16);
	put_a(&m, NULL, "192.0.2.3");
	set_counts(&m, 5, 0, 0);
	assert_string_equal(walk(&m), "192.0.2.3");
}

static void test_dns_response_ttl(void **state)
{
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_addr(&m, NULL, "192.0.2.1", 0x7fffffff);
	put_addr(&m, NULL, "192.0.2.2", 0x80000000);
	put_addr(&m, NULL, "2001:db8::3", 0xffffffff);
	put_addr(&m, NULL, "192.0.2.4", 0);
	set_counts(&m, 4, 0, 0);
	walk(&m);
	assert_int_equal(seen.n, 4);
	assert_int_equal(seen.a[0].ttl, 0x7fffffff);
	assert_int_equal(seen.a[1].ttl, 0);
	assert_int_equal(seen.a[2].ttl, 0);
	assert_int_equal(seen.a[3].ttl, 0);
}

/* Every cut of a message with one record in @section fails. */
static void check_cuts(unsigned int section)
{
	struct dns_msg m, cut;
	size_t len;

	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_cname(&m, "www.example.com", "cdn.example.net");
	set_counts(&m, section == 0, section == 1, section == 2);
	assert_int_equal(response_err(&m), 0);
	for (len = 0; len < m.len; len++) {
		cut = m;
		cut.len = len;
		assert_int_equal(response_err(&cut), -EINVAL);
	}
	/* Bytes after the last record are not looked at. */
	put_raw(&m, "\xff\xff\xff", 3);
	assert_int_equal(response_err(&m), 0);
}

static void test_dns_response_truncated(void **state)
{
	struct dns_msg m;

	(void)state;
	check_cuts(0);
	check_cuts(1);
	check_cuts(2);

	/* Counts promising more records than there are. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	set_counts(&m, 1, 0, 1);
	assert_int_equal(response_err(&m), -EINVAL);
	set_counts(&m, 0xffff, 0xffff, 0xffff);
	assert_int_equal(response_err(&m), -EINVAL);

	/* rdlength past the end. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	set16(&m, m.len - 6, 5);
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);
}

/* The question alone is read without looking at the records. */
static void test_dns_response_question_only(void **state)
{
	struct sbxfw_dns_question q;
	uint8_t rcode = 0xff;
	struct dns_msg m;

	(void)state;
	response(&m, "WWW.example.com", SBXFW_DNS_TYPE_AAAA);
	set_counts(&m, 3, 0, 0);
	assert_int_equal(sbxfw_dns_response_question(m.b, m.len, &q, &rcode),
			 0);
	assert_string_equal(q.name, "www.example.com");
	assert_int_equal(q.qtype, SBXFW_DNS_TYPE_AAAA);
	assert_int_equal(rcode, 0);
	assert_int_equal(response_err(&m), -EINVAL);
	/* A query is no response. */
	query(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(sbxfw_dns_response_question(m.b, m.len, &q, &rcode),
			 -EINVAL);
}

static void test_dns_response_bad_cname(void **state)
{
	struct dns_msg m;

	(void)state;
	/* rdlength one more than the name. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_cname(&m, NULL, "cdn.example.net");
	set16(&m, m.len - 19, 18);
	put8(&m, 0);
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* One less: the name runs into the next record. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_cname(&m, NULL, "cdn.example.net");
	set16(&m, m.len - 19, 16);
	m.len--;
	put_a(&m, "", "192.0.2.1");
	set_counts(&m, 2, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);
}

static void test_dns_response_rcode(void **state)
{
	static const struct {
		unsigned int flags;
		uint8_t rcode;
	} cases[] = {
		{ 0x8180, 0 },	{ 0x8183, 3 },	{ 0x8185, 5 },
		{ 0x818f, 15 }, { 0x8382, 2 }, /* TC set: parsed too */
		{ 0x8000, 0 },	{ 0xfffa, 10 },
	};
	struct sbxfw_dns_question q;
	uint8_t rcode;
	struct dns_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
		set16(&m, 2, cases[i].flags);
		rcode = 0xff;
		assert_int_equal(parse_response(&m, &q, &rcode), 0);
		assert_int_equal(rcode, cases[i].rcode);
	}
}

static void test_dns_response_rejected(void **state)
{
	char name[SBXFW_DNS_NAME_MAX + 2];
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(response_err(&m), 0);
	set16(&m, 2, 0x0180);
	assert_int_equal(response_err(&m), -EINVAL);
	set16(&m, 2, 0x8180);
	set16(&m, 4, 0);
	assert_int_equal(response_err(&m), -EINVAL);
	set16(&m, 4, 2);
	assert_int_equal(response_err(&m), -EINVAL);

	/* The question's name is held to the same rules as a query's. */
	response(&m, "www.ex*mple.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(response_err(&m), -EINVAL);
	response(&m, "WWW.Example.COM", SBXFW_DNS_TYPE_A);
	assert_int_equal(response_err(&m), 0);
	m.b[SBXFW_DNS_HDR_LEN] = 0x43;
	assert_int_equal(response_err(&m), -EINVAL);

	/* Names of records are held to the length limits too. */
	long_name(name, SBXFW_DNS_NAME_MAX);
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, name, "192.0.2.1");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), 0);
	long_name(name, SBXFW_DNS_NAME_MAX + 1);
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, name, "192.0.2.1");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);
	/* The same, with ".example.com" reached through a pointer. */
	long_name(name, SBXFW_DNS_NAME_MAX - 12);
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_labels(&m, name);
	put_ptr(&m, SBXFW_DNS_HDR_LEN + 4);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), 0);
	long_name(name, SBXFW_DNS_NAME_MAX - 11);
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_labels(&m, name);
	put_ptr(&m, SBXFW_DNS_HDR_LEN + 4);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(response_err(&m), -EINVAL);

	/* Truncated question. */
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	m.len--;
	assert_int_equal(response_err(&m), -EINVAL);
	m.len = 11;
	assert_int_equal(response_err(&m), -EINVAL);
}

static void test_dns_walk_stop(void **state)
{
	struct sbxfw_dns_question q;
	struct seen s;
	uint8_t rcode;
	struct dns_msg m;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	put_a(&m, NULL, "192.0.2.2");
	put_a(&m, NULL, "192.0.2.3");
	set_counts(&m, 3, 0, 0);
	assert_int_equal(sbxfw_dns_parse_response(m.b, m.len, &q, &rcode), 0);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	s.stop_ret = 7;
	assert_int_equal(sbxfw_dns_walk_addrs(m.b, m.len, &q, collect, &s), 7);
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	s.stop_ret = -ENOMEM;
	assert_int_equal(sbxfw_dns_walk_addrs(m.b, m.len, &q, collect, &s),
			 -ENOMEM);
	assert_int_equal(s.n, 1);
}

/*
 * The walk trusts no more than it must: on a message cut short after its
 * parse, it fails instead of reading past the end.
 */
static void test_dns_walk_misuse(void **state)
{
	struct sbxfw_dns_question q;
	uint8_t rcode, *p;
	struct seen s;
	struct dns_msg m;
	size_t len;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	put_cname(&m, NULL, "cdn.example.net");
	put_ptr(&m, m.len - 17);
	put_a_rr(&m, "\xc0\x00\x02\x01");
	set_counts(&m, 2, 0, 0);
	assert_int_equal(parse_response(&m, &q, &rcode), 0);
	for (len = q.end; len < m.len; len++) {
		p = malloc(len);
		assert_non_null(p);
		memcpy(p, m.b, len);
		memset(&s, 0, sizeof(s));
		assert_int_equal(sbxfw_dns_walk_addrs(p, len, &q, collect, &s),
				 -EINVAL);
		free(p);
	}
	q.end = SBXFW_DNS_HDR_LEN;
	assert_int_equal(sbxfw_dns_walk_addrs(m.b, m.len, &q, collect, &s),
			 -EINVAL);
}

/* Only the first SBXFW_DNS_MAX_RRS answer records count. */
static void test_dns_walk_max_rrs(void **state)
{
	struct dns_msg m;
	char ip[32];
	unsigned int i;

	(void)state;
	response(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	for (i = 0; i <= SBXFW_DNS_MAX_RRS; i++) {
		snprintf(ip, sizeof(ip), "10.0.%u.%u", i >> 8, i & 0xff);
		put_a(&m, NULL, ip);
	}
	set_counts(&m, SBXFW_DNS_MAX_RRS + 1, 0, 0);
	walk(&m);
	assert_int_equal(seen.n, SBXFW_DNS_MAX_RRS);
	assert_int_equal(seen.last.addr[2], 0);
	assert_int_equal(seen.last.addr[3], 255);
}

/* The REFUSED response and the hash */

static void test_dns_refusal(void **state)
{
	static const uint8_t want[] = {
		0xbe, 0xef, 0x81, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x03, 'w',  'w',  'w',  0x07, 'e',
		'x',  'a',  'm',  'p',	'l',  'e',  0x03, 'c',	'o',
		'm',  0x00, 0x00, 0x1c, 0x00, 0x01,
	};
	struct sbxfw_dns_question q, r;
	uint8_t out[512], rcode;
	struct dns_msg m;
	size_t n;

	(void)state;
	/* Every flag set that a query may have; OPT left out. */
	query(&m, "www.example.com", SBXFW_DNS_TYPE_AAAA);
	set16(&m, 2, 0x05ff & ~0x0200);
	put_opt(&m, 4);
	set_counts(&m, 0, 0, 1);
	assert_int_equal(parse_query(&m, &q), 0);
	memset(out, 0xaa, sizeof(out));
	n = sbxfw_dns_refusal(m.b, &q, out, sizeof(out));
	assert_int_equal(n, sizeof(want));
	/* QR, RD, RCODE 5; CD (0x10) is copied too. */
	assert_int_equal(out[2], 0x81);
	assert_int_equal(out[3], 0x15);
	out[3] &= ~0x10;
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[n], 0xaa);
	out[3] |= 0x10;
	assert_int_equal(sbxfw_dns_parse_response(out, n, &r, &rcode), 0);
	assert_int_equal(rcode, SBXFW_DNS_RCODE_REFUSED);
	assert_string_equal(r.name, q.name);

	/* RD clear, the case of the name kept. */
	query(&m, "WWW.example.com", SBXFW_DNS_TYPE_AAAA);
	set16(&m, 2, 0);
	assert_int_equal(parse_query(&m, &q), 0);
	n = sbxfw_dns_refusal(m.b, &q, out, sizeof(out));
	assert_int_equal(n, m.len);
	assert_int_equal(out[2], 0x80);
	assert_int_equal(out[3], 0x05);
	assert_memory_equal(out + 12, m.b + 12, n - 12);

	/* In place. */
	query(&m, "www.example.com", SBXFW_DNS_TYPE_AAAA);
	assert_int_equal(parse_query(&m, &q), 0);
	n = sbxfw_dns_refusal(m.b, &q, m.b, m.len);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(m.b, want, sizeof(want));
}

static void test_dns_refusal_small(void **state)
{
	struct sbxfw_dns_question q;
	uint8_t out[64];
	struct dns_msg m;

	(void)state;
	query(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &q), 0);
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(sbxfw_dns_refusal(m.b, &q, out, q.end - 1), 0);
	assert_int_equal(sbxfw_dns_refusal(m.b, &q, out, 0), 0);
	assert_int_equal(out[0], 0xaa);
	assert_int_equal(sbxfw_dns_refusal(m.b, &q, out, q.end), q.end);
}

static void test_dns_hash(void **state)
{
	struct sbxfw_dns_question a, b;
	uint8_t rcode;
	struct dns_msg m;
	uint32_t h;

	(void)state;
	query(&m, "www.example.com", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &a), 0);
	h = sbxfw_dns_question_hash(&a);

	/* The resolver may answer in another case (0x20 encoding). */
	response(&m, "wWw.ExAmple.cOm", SBXFW_DNS_TYPE_A);
	put_a(&m, NULL, "192.0.2.1");
	set_counts(&m, 1, 0, 0);
	assert_int_equal(parse_response(&m, &b, &rcode), 0);
	assert_int_equal(sbxfw_dns_question_hash(&b), h);

	response(&m, "www.example.com", SBXFW_DNS_TYPE_AAAA);
	assert_int_equal(parse_response(&m, &b, &rcode), 0);
	assert_int_not_equal(sbxfw_dns_question_hash(&b), h);

	response(&m, "www.example.org", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_response(&m, &b, &rcode), 0);
	assert_int_not_equal(sbxfw_dns_question_hash(&b), h);

	/* FNV-1a of "", then type 1 and class 1, as bytes. */
	query(&m, "", SBXFW_DNS_TYPE_A);
	assert_int_equal(parse_query(&m, &a), 0);
	h = 2166136261U;
	h = (h ^ 0) * 16777619U;
	h = (h ^ 1) * 16777619U;
	h = (h ^ 0) * 16777619U;
	h = (h ^ 1) * 16777619U;
	assert_int_equal(sbxfw_dns_question_hash(&a), h);
}

/* Mutations */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return test_splitmix64(&rng_state);
}

static size_t below(size_t n)
{
	return (size_t)(rnd() % n);
}

static int count_addr(void *ctx, const struct sbxfw_dns_addr *addr)
{
	size_t *n = ctx;

	assert_true(addr->family == 4 || addr->family == 6);
	(*n)++;
	return 0;
}

static void check_question(const struct sbxfw_dns_question *q, size_t len)
{
	size_t i;

	assert_true(q->name_len <= SBXFW_DNS_NAME_MAX);
	assert_int_equal(strlen(q->name), q->name_len);
	assert_true(q->end <= len);
	assert_true(q->end >= SBXFW_DNS_HDR_LEN + 5);
	for (i = 0; i < q->name_len; i++) {
		char c = q->name[i];

		assert_true((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_' || c == '.');
	}
	if (q->name_len) {
		assert_true(q->name[0] != '.');
		assert_true(q->name[q->name_len - 1] != '.');
		assert_null(strstr(q->name, ".."));
	}
}

/* Runs a possibly broken message through everything. */
static void exercise(const uint8_t *b, size_t len)
{
	struct sbxfw_dns_question q, r;
	uint8_t *p = malloc(len ? len : 1), out[512], rcode;
	size_t n;
	int ret;

	assert_non_null(p);
	memcpy(p, b, len);
	if (!sbxfw_dns_parse_query(p, len, &q)) {
		check_question(&q, len);
		n = sbxfw_dns_refusal(p, &q, out, sizeof(out));
		assert_true(n == q.end || (n == 0 && q.end > sizeof(out)));
		if (n) {
			/* A refusal is a response to the same question. */
			ret = sbxfw_dns_parse_response(out, n, &r, &rcode);
			assert_int_equal(ret, 0);
			assert_int_equal(rcode, SBXFW_DNS_RCODE_REFUSED);
			assert_string_equal(r.name, q.name);
			assert_int_equal(sbxfw_dns_question_hash(&r),
					 sbxfw_dns_question_hash(&q));
		}
	}
	if (!sbxfw_dns_parse_response(p, len, &q, &rcode)) {
		check_question(&q, len);
		assert_true(rcode <= 15);
		n = 0;
		ret = sbxfw_dns_walk_addrs(p, len, &q, count_addr, &n);
		assert_int_equal(ret, 0);
		assert_true(n <= (SBXFW_DNS_MAX_CHAIN + 1) * SBXFW_DNS_MAX_RRS);
		sbxfw_dns_question_hash(&q);
	}
	free(p);
}

static void mutate(struct dns_msg *m)
{
	size_t k, pos, rounds = 1 + below(4);

	for (k = 0; k < rounds; k++) {
		pos = m->len ? below(m->len) : 0;
		switch (below(7)) {
		case 0: /* a random byte */
			if (m->len)
				m->b[pos] = (uint8_t)rnd();
			break;
		case 1: /* a bit */
			if (m->len)
				m->b[pos] ^= (uint8_t)(1U << below(8));
			break;
		case 2: /* a compression pointer, anywhere it may point */
			if (m->len > 1) {
				pos = below(m->len - 1);
				m->b[pos] =
					(uint8_t)(0xc0 | below(m->len) >> 8);
				m->b[pos + 1] = (uint8_t)rnd();
			}
			break;
		case 3: /* a small length byte */
			if (m->len)
				m->b[pos] = (uint8_t)below(70);
			break;
		case 4: /* truncation */
			m->len = m->len ? below(m->len + 1) : 0;
			break;
		case 5: /* an inserted byte */
			if (m->len < sizeof(m->b)) {
				memmove(m->b + pos + 1, m->b + pos,
					m->len - pos);
				m->b[pos] = (uint8_t)rnd();
				m->len++;
			}
			break;
		default: /* a deleted byte */
			if (m->len) {
				memmove(m->b + pos, m->b + pos + 1,
					m->len - pos - 1);
				m->len--;
			}
			break;
		}
	}
}

static void test_dns_mutations(void **state)
{
	static struct dns_msg seeds[8], m;
	size_t n = 0, i, at, target, ok_query = 0, ok_response = 0;
	struct sbxfw_dns_question q;
	uint8_t rcode;

	(void)state;
	query(&seeds[n++], "www.example.com", SBXFW_DNS_TYPE_A);
	query(&seeds[n], "Mail.Example.ORG", SBXFW_DNS_TYPE_AAAA);
	put_opt(&seeds[n], 8);
	set_counts(&seeds[n++], 0, 0, 1);
	query(&seeds[n++], "", 2);
	/* edge.example.com, compressed twice, then an address for it. */
	response(&seeds[n], "www.example.com", SBXFW_DNS_TYPE_A);
	put_owner(&seeds[n], NULL);
	at = begin_rr(&seeds[n], SBXFW_DNS_TYPE_CNAME, 1, 300);
	target = seeds[n].len;
	put_labels(&seeds[n], "edge");
	put_ptr(&seeds[n], SBXFW_DNS_HDR_LEN + 4);
	end_rr(&seeds[n], at);
	put_ptr(&seeds[n], target);
	put_a_rr(&seeds[n], "\xc0\x00\x02\x01");
	put_a(&seeds[n], NULL, "2001:db8::1");
	set_counts(&seeds[n++], 3, 0, 0);
	response(&seeds[n], "v6.example.com", SBXFW_DNS_TYPE_AAAA);
	put_cname(&seeds[n], NULL, "v6.example.com");
	put_a(&seeds[n], "v6.example.com", "2001:db8::2");
	put_a(&seeds[n], "ns.example.com", "192.0.2.53");
	put_opt(&seeds[n], 0);
	set_counts(&seeds[n++], 2, 1, 1);
	response(&seeds[n], "nx.example.com", SBXFW_DNS_TYPE_A);
	set16(&seeds[n], 2, 0x8183);
	/* NXDOMAIN and the zone's SOA, names compressed. */
	put_name(&seeds[n], "example.com");
	at = begin_rr(&seeds[n], 6, 1, 900);
	put_labels(&seeds[n], "ns");
	put_ptr(&seeds[n], SBXFW_DNS_HDR_LEN + 3);
	put_labels(&seeds[n], "hostmaster");
	put_ptr(&seeds[n], SBXFW_DNS_HDR_LEN + 3);
	for (i = 0; i < 5; i++)
		put32(&seeds[n], 3600);
	end_rr(&seeds[n], at);
	set_counts(&seeds[n++], 0, 1, 0);
	for (i = 0; i < n; i++) {
		if (seeds[i].b[2] & 0x80)
			assert_int_equal(parse_response(&seeds[i], &q, &rcode),
					 0);
		else
			assert_int_equal(parse_query(&seeds[i], &q), 0);
	}

	rng_state = 53;
	for (i = 0; i < 200000; i++) {
		m = seeds[below(n)];
		mutate(&m);
		exercise(m.b, m.len);
		ok_query += !sbxfw_dns_parse_query(m.b, m.len, &q);
		ok_response +=
			!sbxfw_dns_parse_response(m.b, m.len, &q, &rcode);
	}
	/* The mutations are small enough that some messages stay valid. */
	print_message("# dns mutations: %zu queries, %zu responses parsed\n",
		      ok_query, ok_response);
	assert_true(ok_query > 0);
	assert_true(ok_response > 0);
}

const struct CMUnitTest dns_tests[] = {
	cmocka_unit_test(test_dns_query_a),
	cmocka_unit_test(test_dns_query_aaaa),
	cmocka_unit_test(test_dns_query_opt),
	cmocka_unit_test(test_dns_query_case_folds),
	cmocka_unit_test(test_dns_query_trailing_root),
	cmocka_unit_test(test_dns_query_root),
	cmocka_unit_test(test_dns_query_flags),
	cmocka_unit_test(test_dns_query_counts),
	cmocka_unit_test(test_dns_query_pointer),
	cmocka_unit_test(test_dns_query_trailing_byte),
	cmocka_unit_test(test_dns_query_truncated),
	cmocka_unit_test(test_dns_query_lengths),
	cmocka_unit_test(test_dns_query_size),
	cmocka_unit_test(test_dns_query_bad_bytes),
	cmocka_unit_test(test_dns_query_bad_opt),
	cmocka_unit_test(test_dns_response_a),
	cmocka_unit_test(test_dns_response_aaaa),
	cmocka_unit_test(test_dns_response_several),
	cmocka_unit_test(test_dns_response_cname_in_order),
	cmocka_unit_test(test_dns_response_cname_out_of_order),
	cmocka_unit_test(test_dns_response_chain_limit),
	cmocka_unit_test(test_dns_response_cname_loop),
	cmocka_unit_test(test_dns_response_compression),
	cmocka_unit_test(test_dns_response_pointer_chain),
	cmocka_unit_test(test_dns_response_other_owner),
	cmocka_unit_test(test_dns_response_class),
	cmocka_unit_test(test_dns_response_bad_rdlength),
	cmocka_unit_test(test_dns_response_ttl),
	cmocka_unit_test(test_dns_response_truncated),
	cmocka_unit_test(test_dns_response_question_only),
	cmocka_unit_test(test_dns_response_bad_cname),
	cmocka_unit_test(test_dns_response_rcode),
	cmocka_unit_test(test_dns_response_rejected),
	cmocka_unit_test(test_dns_walk_stop),
	cmocka_unit_test(test_dns_walk_misuse),
	cmocka_unit_test(test_dns_walk_max_rrs),
	cmocka_unit_test(test_dns_refusal),
	cmocka_unit_test(test_dns_refusal_small),
	cmocka_unit_test(test_dns_hash),
	cmocka_unit_test(test_dns_mutations),
};
const size_t n_dns_tests = ARRAY_SIZE(dns_tests);
