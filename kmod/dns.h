/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS messages as the firewall reads them: the one question a sandbox
 * asks its resolver, the addresses the answer gives for it, and the
 * REFUSED response that stands in for a query the policy denies. Pure
 * code (no allocation, no lock, bounded time); see dns.c.
 */
#ifndef _SBXFW_DNS_H
#define _SBXFW_DNS_H

#include "pure.h"

#define SBXFW_DNS_PORT		53
#define SBXFW_DNS_NAME_MAX	253	/* text form, no final dot */
#define SBXFW_DNS_HDR_LEN	12
#define SBXFW_DNS_MAX_CHAIN	8	/* CNAME hops followed from the question */
#define SBXFW_DNS_MAX_RRS	256	/* answer records looked at */
#define SBXFW_DNS_RCODE_REFUSED	5
#define SBXFW_DNS_TYPE_A	1
#define SBXFW_DNS_TYPE_CNAME	5
#define SBXFW_DNS_TYPE_AAAA	28
#define SBXFW_DNS_TYPE_OPT	41
/* EDNS option bytes a query may carry (a cookie, a client subnet). */
#define SBXFW_DNS_QUERY_OPT_MAX	64

/* The question of a message, decoded. */
struct sbxfw_dns_question {
	u16 id;
	u16 qtype;
	u16 qclass;
	u16 end;		/* offset just past the question */
	u8 name_len;		/* strlen(name) */
	char name[SBXFW_DNS_NAME_MAX + 1];	/* canonical, NUL-terminated */
};

/* One address an answer gives for the question's name. */
struct sbxfw_dns_addr {
	u8 family;		/* 4 or 6 */
	u8 addr[16];		/* network order, 4 or 16 bytes used */
	u32 ttl;		/* seconds */
};

/* Called per address; a non-zero return stops the walk and is returned. */
typedef int (*sbxfw_dns_addr_fn)(void *ctx, const struct sbxfw_dns_addr *addr);

/*
 * A query as a sandbox may send it: one question of class IN, at most an
 * OPT record with at most SBXFW_DNS_QUERY_OPT_MAX option bytes, nothing
 * else, no compression, no trailing byte. The name is canonical:
 * labels of [A-Za-z0-9_-] only, lower-cased, joined by '.', no final dot
 * ("" for the root). Fills @q; 0 or -EINVAL.
 */
int sbxfw_dns_parse_query(const u8 *msg, size_t len,
			  struct sbxfw_dns_question *q);

/*
 * A response: one question (canonical as above), and records in every
 * section that all lie inside @len; bytes after the last one are ignored.
 * Compression pointers must point before the name they occur in. Fills @q
 * and @rcode (the low 4 bits of the flags); 0 or -EINVAL.
 */
int sbxfw_dns_parse_response(const u8 *msg, size_t len,
			     struct sbxfw_dns_question *q, u8 *rcode);
/*
 * Only the header and the question of a response, as above, so that the
 * cost of a whole parse is paid only for an answer that is awaited.
 */
int sbxfw_dns_response_question(const u8 *msg, size_t len,
				struct sbxfw_dns_question *q, u8 *rcode);

/*
 * Calls @fn for each A and AAAA record of class IN that the answer section
 * of @msg gives for @q's name or, through at most SBXFW_DNS_MAX_CHAIN CNAME
 * hops, for a name it is an alias of; only the first SBXFW_DNS_MAX_RRS
 * answer records count. @msg, @len and @q must be those of a successful
 * sbxfw_dns_parse_response(). An address may be reported more than once.
 * Returns 0, the first non-zero return of @fn, or -EINVAL if @msg is not
 * what sbxfw_dns_parse_response() accepted.
 */
int sbxfw_dns_walk_addrs(const u8 *msg, size_t len,
			 const struct sbxfw_dns_question *q,
			 sbxfw_dns_addr_fn fn, void *ctx);

/*
 * Writes to @out (which may be @query) the REFUSED response to @query, as
 * parsed into @q by sbxfw_dns_parse_query(): the header and the question,
 * nothing else. Returns its length, or 0 if @out_size is too small.
 */
size_t sbxfw_dns_refusal(const u8 *query, const struct sbxfw_dns_question *q,
			 u8 *out, size_t out_size);

/*
 * A hash of the canonical name, the type and the class, equal for a query
 * and its response whatever the case of the name in each. Not keyed: it
 * spreads entries over a table but does not resist chosen collisions, so
 * a match must also check the id and the 5-tuple.
 */
u32 sbxfw_dns_question_hash(const struct sbxfw_dns_question *q);

#endif /* _SBXFW_DNS_H */
