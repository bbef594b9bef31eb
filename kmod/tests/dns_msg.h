/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS messages written field by field, for whatever tests or measures the
 * DNS parser (kmod/dns.c): its KUnit suite, its userspace unit tests and
 * the lookup benchmark. Like the parser, this compiles in the kernel and
 * in userspace (kmod/pure.h).
 *
 * A write that does not fit is dropped and marks the message overflowed:
 * a test must not parse a message that is not the one it meant to write,
 * and a silently shorter one would still exercise the truncation paths.
 */
#ifndef _SBXFW_TESTS_DNS_MSG_H
#define _SBXFW_TESTS_DNS_MSG_H

#include "../dns.h"

/* Room for the largest message any test writes: a few hundred records. */
#define DNS_MSG_ROOM 8192

struct dns_msg {
	size_t len;
	bool overflow;
	u8 b[DNS_MSG_ROOM];
};

static inline void put_raw(struct dns_msg *m, const void *p, size_t n)
{
	if (n > sizeof(m->b) - m->len) {
		m->overflow = true;
		return;
	}
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static inline void put8(struct dns_msg *m, unsigned int v)
{
	u8 b = v;

	put_raw(m, &b, 1);
}

static inline void put16(struct dns_msg *m, unsigned int v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

static inline void put32(struct dns_msg *m, u32 v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* The labels of a dotted name, without the root label. */
static inline void put_labels(struct dns_msg *m, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		put8(m, n);
		put_raw(m, name, n);
		name += n;
		if (*name)
			name++;
	}
}

/* A whole name, uncompressed; "" is the root. */
static inline void put_name(struct dns_msg *m, const char *name)
{
	put_labels(m, name);
	put8(m, 0);
}

/* A compression pointer to offset @off. */
static inline void put_ptr(struct dns_msg *m, size_t off)
{
	put16(m, 0xc000 | off);
}

/* Starts the message over with a header. */
static inline void put_header(struct dns_msg *m, unsigned int id,
			      unsigned int flags, unsigned int qd,
			      unsigned int an, unsigned int ns, unsigned int ar)
{
	m->len = 0;
	m->overflow = false;
	put16(m, id);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

/* A question, class IN. */
static inline void put_question(struct dns_msg *m, const char *name,
				unsigned int qtype)
{
	put_name(m, name);
	put16(m, qtype);
	put16(m, 1);
}

/* A record after its owner, up to its rdata: type, class IN, TTL, rdlength. */
static inline void put_rr(struct dns_msg *m, unsigned int type, u32 ttl,
			  unsigned int rdlength)
{
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, rdlength);
}

#endif /* _SBXFW_TESTS_DNS_MSG_H */
