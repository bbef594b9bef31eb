// SPDX-License-Identifier: GPL-2.0
/*
 * DNS under a policy with domain patterns. A query leaves only for a name
 * the policy allows, and is then remembered on its flow (id, name, type);
 * a refused UDP query gets a REFUSED response at once, from the resolver's
 * address, and a refused TCP one a reset. An answer teaches the learned
 * table only when it answers such a remembered query on the same flow, so
 * the sandbox cannot teach itself addresses; and it is learned here,
 * before it is delivered, so the client's first connect finds its entry.
 *
 * Answers that give an internal address (private, loopback, link-local,
 * metadata) are DNS rebinding and are dropped, unless an allow rule names
 * that address itself.
 *
 * UDP carries one message a datagram; TCP a stream of messages, each
 * after its 2-byte length. A TCP query must lie whole in one segment (as
 * stub resolvers send it) or it is dropped; answers are learned from the
 * messages that lie whole in a segment.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "dns.h"
#include "dnshook.h"
#include "hooks.h"

/* A packet's payload, pointed at in place when linear, else copied. */
struct payload {
	const u8 *data;
	size_t len;
	u8 *copy;
};

/*
 * Where the transport payload of @skb lies, by the IP header's length (a
 * frame's padding is no payload); for TCP also the header, in @th.
 */
static int payload_bounds(struct sk_buff *skb,
			  const struct sbxfw_dns_packet *dp,
			  struct tcphdr *th, unsigned int *off, size_t *len)
{
	unsigned int nhoff = skb_network_offset(skb), end;

	if (dp->key.family == 4) {
		struct iphdr _iph;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
		if (!iph)
			return -EINVAL;
		end = nhoff + ntohs(iph->tot_len);
	} else {
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;

		ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return -EINVAL;
		end = nhoff + sizeof(*ip6h) + ntohs(ip6h->payload_len);
	}
	if (end > skb->len)
		return -EINVAL;
	if (dp->protocol == IPPROTO_UDP) {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, dp->thoff, sizeof(_uh), &_uh);
		if (!uh || ntohs(uh->len) < sizeof(*uh) ||
		    dp->thoff + ntohs(uh->len) > end)
			return -EINVAL;
		*off = dp->thoff + sizeof(*uh);
		*len = ntohs(uh->len) - sizeof(*uh);
		return 0;
	}
	if (skb_copy_bits(skb, dp->thoff, th, sizeof(*th)) || th->doff < 5 ||
	    dp->thoff + th->doff * 4 > end)
		return -EINVAL;
	*off = dp->thoff + th->doff * 4;
	*len = end - *off;
	return 0;
}

/*
 * A query's bytes, made the skb's own first: page fragments a sandbox
 * passed in (splice, MSG_ZEROCOPY, a packet ring) stay writable to it
 * after they were judged, and what leaves must be what was judged.
 */
static int query_payload(struct sk_buff *skb, unsigned int off, size_t len,
			 struct payload *pl)
{
	memset(pl, 0, sizeof(*pl));
	if (len > SBXFW_DNS_QUERY_SEGMENT_MAX ||
	    skb_ensure_writable(skb, off + len))
		return -EINVAL;
	pl->data = skb->data + off;
	pl->len = len;
	return 0;
}

/* An answer's bytes, which come from outside: in place when linear. */
static int answer_payload(struct sk_buff *skb, unsigned int off, size_t len,
			  struct payload *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->len = len;
	if (off + len <= skb_headlen(skb)) {
		pl->data = skb->data + off;
		return 0;
	}
	pl->copy = kmalloc(len, GFP_ATOMIC | __GFP_NOWARN);
	if (!pl->copy)
		return -ENOMEM;
	if (skb_copy_bits(skb, off, pl->copy, len)) {
		kfree(pl->copy);
		return -EINVAL;
	}
	pl->data = pl->copy;
	return 0;
}

/*
 * The next message of @pl at *@off, in *@msg and *@len: the whole payload
 * for UDP, the next length-prefixed one for TCP. 0, -ENOENT at the end,
 * -EINVAL when a TCP message does not end in the segment.
 */
static int next_message(const struct payload *pl, u8 protocol, size_t *off,
			const u8 **msg, size_t *len)
{
	if (*off >= pl->len)
		return -ENOENT;
	if (protocol == IPPROTO_UDP) {
		*msg = pl->data;
		*len = pl->len;
		*off = pl->len;
		return 0;
	}
	if (pl->len - *off < 2)
		return -EINVAL;
	*len = (size_t)pl->data[*off] << 8 | pl->data[*off + 1];
	if (pl->len - *off - 2 < *len)
		return -EINVAL;
	*msg = pl->data + *off + 2;
	*off += 2 + *len;
	return 0;
}

/* What remembers a query on its flow, and finds it again in its answer. */
static u64 query_tag(const struct sbxfw_dns_question *q)
{
	return BIT_ULL(48) | (u64)q->id << 32 | sbxfw_dns_question_hash(q);
}

static void udp_checksum(struct sk_buff *skb, u8 family, struct udphdr *uh,
			 unsigned int len)
{
	__wsum csum = csum_partial(uh, len, 0);

	if (family == 4)
		uh->check = csum_tcpudp_magic(ip_hdr(skb)->saddr,
					      ip_hdr(skb)->daddr, len,
					      IPPROTO_UDP, csum);
	else
		uh->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					    &ipv6_hdr(skb)->daddr, len,
					    IPPROTO_UDP, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/* Routes @nskb, a reply to @oldskb, and sends it; consumes it. */
static int send_reply(struct net *net, struct sk_buff *oldskb,
		      struct sk_buff *nskb, u8 family)
{
	int err;

	if (family == 4) {
		skb_dst_set_noref(nskb, skb_dst(oldskb));
		err = ip_route_me_harder(net, NULL, nskb, RTN_UNSPEC);
	} else {
		struct flowi6 fl6 = {
			.flowi6_proto = IPPROTO_UDP,
			.saddr = ipv6_hdr(nskb)->saddr,
			.daddr = ipv6_hdr(nskb)->daddr,
		};
		struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);

		err = dst->error;
		if (err)
			dst_release(dst);
		else
			skb_dst_set(nskb, dst);
	}
	if (err) {
		kfree_skb(nskb);
		return err;
	}
	sbxfw_reject_begin();
	if (family == 4)
		ip_local_out(net, NULL, nskb);
	else
		ip6_local_out(net, NULL, nskb);
	sbxfw_reject_end();
	return 0;
}

/* Answers @skb, a UDP query parsed into @q, REFUSED from its resolver. */
static int send_refusal(struct net *net, struct sk_buff *skb,
			const struct sbxfw_dns_packet *dp, const u8 *query,
			const struct sbxfw_dns_question *q)
{
	u8 family = dp->key.family;
	unsigned int iplen = family == 4 ? sizeof(struct iphdr) :
					   sizeof(struct ipv6hdr);
	unsigned int udplen = sizeof(struct udphdr) + q->end;
	struct sk_buff *nskb;
	struct udphdr *uh;

	nskb = alloc_skb(LL_MAX_HEADER + iplen + udplen, GFP_ATOMIC);
	if (!nskb)
		return -ENOMEM;
	skb_reserve(nskb, LL_MAX_HEADER);
	skb_reset_network_header(nskb);
	if (family == 4) {
		struct iphdr *iph = skb_put_zero(nskb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(iplen + udplen);
		iph->frag_off = htons(IP_DF);
		iph->ttl = IPDEFTTL;
		iph->protocol = IPPROTO_UDP;
		memcpy(&iph->saddr, dp->key.peer, 4);
		memcpy(&iph->daddr, dp->key.local, 4);
		nskb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(nskb, sizeof(*ip6h));

		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(udplen);
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->hop_limit = IPV6_DEFAULT_HOPLIMIT;
		memcpy(&ip6h->saddr, dp->key.peer, 16);
		memcpy(&ip6h->daddr, dp->key.local, 16);
		nskb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(nskb, iplen);
	uh = skb_put(nskb, sizeof(*uh));
	uh->source = dp->key.peer_port;
	uh->dest = dp->key.local_port;
	uh->len = htons(udplen);
	uh->check = 0;
	if (!sbxfw_dns_refusal(query, q, skb_put(nskb, q->end), q->end)) {
		kfree_skb(nskb);
		return -EINVAL;
	}
	udp_checksum(nskb, family, uh, udplen);
	return send_reply(net, skb, nskb, family);
}

/*
 * A TCP segment of queries may be judged on its own only where the judged
 * stream ends (flow.c); urgent data would be cut out of the stream by the
 * resolver, shifting what follows.
 */
static bool tcp_segment_judgeable(const struct sbxfw_dns_packet *dp,
				  const struct tcphdr *th, size_t len)
{
	u32 seq = ntohl(th->seq);

	if (th->urg || !dp->flows)
		return false;
	if (th->syn) {
		if (!sbxfw_flow_stream_open(dp->flows, &dp->key, dp->life,
					    seq + 1))
			return false;
		seq++;
	}
	return !len || sbxfw_flow_stream_claim(dp->flows, &dp->key, seq, len);
}

enum sbxfw_dns_verdict sbxfw_dns_query(struct sk_buff *skb,
				       const struct sbxfw_dns_packet *dp)
{
	struct sbxfw_dns_question q;
	struct tcphdr th;
	struct payload pl;
	unsigned int off;
	const u8 *msg;
	size_t pos = 0, len;
	int rule, err;

	/* Segmentation would make several datagrams of what is judged one. */
	if (skb_is_gso(skb) || payload_bounds(skb, dp, &th, &off, &len))
		return SBXFW_DNS_DROP;
	if (dp->protocol == IPPROTO_TCP && !tcp_segment_judgeable(dp, &th, len))
		return SBXFW_DNS_DROP;
	if (!len)
		return SBXFW_DNS_PASS;
	if (query_payload(skb, off, len, &pl))
		return SBXFW_DNS_DROP;
	while (!(err = next_message(&pl, dp->protocol, &pos, &msg, &len))) {
		if (sbxfw_dns_parse_query(msg, len, &q))
			return SBXFW_DNS_DROP;
		if (sbxfw_policy_eval_name(dp->policy, q.name, q.name_len,
					   &rule) != SBXFW_ACTION_ALLOW)
			return SBXFW_DNS_REFUSE;
		/* Without a record its answer teaches nothing: it may go. */
		if (dp->flows)
			sbxfw_flow_note_query(dp->flows, &dp->key, dp->life,
					      query_tag(&q));
	}
	/* -EINVAL: a TCP message that does not end in the segment. */
	return err == -ENOENT ? SBXFW_DNS_PASS : SBXFW_DNS_DROP;
}

bool sbxfw_dns_send_refusal(struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct sbxfw_dns_packet *dp)
{
	struct sbxfw_dns_question q;
	struct tcphdr th;
	unsigned int off;
	size_t len;

	/* sbxfw_dns_query() made the query linear and checked it. */
	if (dp->protocol != IPPROTO_UDP ||
	    payload_bounds(skb, dp, &th, &off, &len) ||
	    off + len > skb_headlen(skb) ||
	    sbxfw_dns_parse_query(skb->data + off, len, &q))
		return false;
	return !send_refusal(state->net, skb, dp, skb->data + off, &q);
}

struct answer {
	const struct sbxfw_dns_packet *dp;
	const struct sbxfw_dns_question *q;
	unsigned int learned;
};

/* Stops the walk at an internal address no allow rule names. */
static int check_addr(void *arg, const struct sbxfw_dns_addr *a)
{
	const struct answer *ans = arg;

	if (sbxfw_policy_rebinds(ans->dp->policy, a->family, a->addr))
		return -EACCES;
	return 0;
}

static int learn_addr(void *arg, const struct sbxfw_dns_addr *a)
{
	struct answer *ans = arg;

	if (ans->learned++ >= SBXFW_LEARNED_PER_ANSWER)
		return 1;
	sbxfw_learned_add(ans->dp->learned, ans->dp->policy, a->family,
			  a->addr, ans->q->name, ans->q->name_len, a->ttl);
	return 0;
}

/* One message of an answer; false when it must not reach the client. */
static bool answer_message(const struct sbxfw_dns_packet *dp, const u8 *msg,
			   size_t len)
{
	struct sbxfw_rule_set rules = { };
	struct sbxfw_dns_question q;
	struct answer ans = { .dp = dp, .q = &q };
	u8 rcode;

	/* The whole message is read only if it is an awaited answer. */
	if (sbxfw_dns_response_question(msg, len, &q, &rcode) ||
	    !sbxfw_flow_take_query(dp->flows, &dp->key, query_tag(&q)) ||
	    rcode || sbxfw_dns_parse_response(msg, len, &q, &rcode))
		return true;
	if (sbxfw_dns_walk_addrs(msg, len, &q, check_addr, &ans))
		return false;
	if (dp->learned && sbxfw_domains_match(dp->policy->domains, q.name,
					       q.name_len, &rules))
		sbxfw_dns_walk_addrs(msg, len, &q, learn_addr, &ans);
	return true;
}

enum sbxfw_dns_verdict sbxfw_dns_answer(struct sk_buff *skb,
					const struct sbxfw_dns_packet *dp)
{
	enum sbxfw_dns_verdict verdict = SBXFW_DNS_PASS;
	struct payload pl;
	struct tcphdr th;
	unsigned int off;
	const u8 *msg;
	size_t pos = 0, len;

	/*
	 * Only the sandbox's own flows to a resolver may be answered: what
	 * else comes from port 53 costs nothing more (nor does a segmented
	 * answer, which teaches nothing).
	 */
	if (!dp->flows || skb_is_gso(skb) ||
	    !sbxfw_flow_exists(dp->flows, &dp->key, SBXFW_FLOW_EGRESS) ||
	    payload_bounds(skb, dp, &th, &off, &len) || !len ||
	    answer_payload(skb, off, len, &pl))
		return SBXFW_DNS_PASS;
	while (!next_message(&pl, dp->protocol, &pos, &msg, &len)) {
		if (!answer_message(dp, msg, len)) {
			verdict = SBXFW_DNS_DROP;
			break;
		}
	}
	kfree(pl.copy);
	return verdict;
}
