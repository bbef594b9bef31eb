// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the DNS message parser (kmod/dns.c): every entry
 * point on arbitrary bytes, under ASan and UBSan, with the invariants that
 * its callers rely on. "make fuzz" runs it for a bounded number of inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_addr(void *ctx, const struct sbxfw_dns_addr *addr)
{
	size_t *n = ctx;

	if (addr->family != 4 && addr->family != 6)
		abort();
	(*n)++;
	return 0;
}

static void check_question(const struct sbxfw_dns_question *q, size_t len)
{
	if (q->name_len > SBXFW_DNS_NAME_MAX ||
	    strlen(q->name) != q->name_len || q->end > len ||
	    q->end < SBXFW_DNS_HDR_LEN + 5)
		abort();
}

/* A refusal of a query is a response to the same question. */
static void check_refusal(const uint8_t *query,
			  const struct sbxfw_dns_question *q)
{
	struct sbxfw_dns_question r;
	uint8_t out[512], rcode;
	size_t n;

	if (sbxfw_dns_refusal(query, q, out, q->end - 1))
		abort();
	n = sbxfw_dns_refusal(query, q, out, sizeof(out));
	if (n != q->end)
		abort();
	if (sbxfw_dns_parse_response(out, n, &r, &rcode) ||
	    rcode != SBXFW_DNS_RCODE_REFUSED || strcmp(r.name, q->name) ||
	    sbxfw_dns_question_hash(&r) != sbxfw_dns_question_hash(q))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbxfw_dns_question q;
	uint8_t rcode;
	size_t n = 0;

	if (!sbxfw_dns_parse_query(data, size, &q)) {
		check_question(&q, size);
		check_refusal(data, &q);
	}
	if (!sbxfw_dns_response_question(data, size, &q, &rcode))
		check_question(&q, size);
	if (!sbxfw_dns_parse_response(data, size, &q, &rcode)) {
		check_question(&q, size);
		if (rcode > 15 ||
		    sbxfw_dns_walk_addrs(data, size, &q, count_addr, &n))
			abort();
	}
	return 0;
}
