// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks at LOCAL_OUT (the sandbox's own
 * processes, raw sockets included) and FORWARD (traffic routed through
 * the sandbox's netns, such as a microVM's tap), IPv4 and IPv6.
 *
 * Each packet is judged on its own destination address and port: there is
 * no per-flow state a sandbox could forge (it may own its conntrack table),
 * and a tightened policy cuts a flow at its next packet. Fragments are
 * reassembled by nf_defrag before these hooks; one that still arrives
 * (IP_NODEFRAG raw sockets) and is not a first fragment cannot be
 * classified and is dropped.
 *
 * Denials fail fast: a local TCP connect gets ECONNREFUSED, a local TCP
 * flow that a swap cuts gets a RST, a local datagram EPERM; forwarded TCP
 * gets a RST and other forwarded traffic an administratively-prohibited
 * ICMP error.
 *
 * The judging functions also serve devhooks.c, which hands them frames
 * that never went through the IP stack (packet sockets, bridges).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/addrconf.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "dns.h"
#include "dnshook.h"
#include "flow.h"
#include "hooks.h"
#include "learned.h"
#include "sbxfw.h"

/*
 * Our own RSTs and ICMP errors leave through this netns's LOCAL_OUT and
 * would be judged like anything else (a deny-all policy would swallow
 * them, and the sender would hang). They are sent synchronously with
 * bottom halves off, so the nested hook runs on this CPU, unpreempted,
 * and knows them by this flag; nothing a sandbox sends can set it.
 */
static DEFINE_PER_CPU(bool, rejecting);

/* One packet, as the verdict sees it; addresses and ports network order. */
struct packet {
	u8 family;		/* 4 or 6 */
	u8 protocol;
	u8 travel;		/* SBXFW_DIR_EGRESS: it leaves the sandbox (judge) */
	bool has_port;		/* TCP, UDP */
	bool syn_only;		/* TCP: a connection attempt */
	bool syn, fin, rst;	/* TCP */
	bool icmp_error;	/* quotes another packet, at quoted */
	bool forwarded;		/* routed or bridged, not the netns's own */
	bool record;		/* may open an inbound flow (from outside) */
	unsigned int quoted;
	unsigned int thoff;	/* the transport header */
	__be16 sport, dport;	/* ICMP echo: the identifier, in both */
	u8 saddr[16], daddr[16];
};

/* What a verdict needs besides the packet. */
struct judge {
	const struct sbxfw_policy *policy;
	struct sbxfw_flows *flows;	/* when the policy filters ingress */
	struct sbxfw_learned *learned;	/* when it has domain patterns */
};

static u8 opposite(u8 direction)
{
	return direction == SBXFW_DIR_EGRESS ? SBXFW_DIR_INGRESS :
					       SBXFW_DIR_EGRESS;
}

/* Reads ports and flags; a quoted header is only sure to hold 8 bytes. */
static bool parse_transport(const struct sk_buff *skb, unsigned int thoff,
			    struct packet *p, bool quoted)
{
	u8 icmp = p->family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	p->thoff = thoff;
	if (p->protocol == IPPROTO_TCP) {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, quoted ? 8 : sizeof(_th),
					&_th);
		if (!th)
			return false;
		p->sport = th->source;
		p->dport = th->dest;
		p->has_port = true;
		if (!quoted) {
			p->syn_only = th->syn && !th->ack;
			p->syn = th->syn;
			p->fin = th->fin;
			p->rst = th->rst;
		}
	} else if (p->protocol == IPPROTO_UDP) {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		p->sport = uh->source;
		p->dport = uh->dest;
		p->has_port = true;
	} else if (p->protocol == icmp) {
		/* ICMP and ICMPv6 agree on where type and echo id are. */
		struct icmphdr _ih;
		const struct icmphdr *ih;
		bool echo, error;

		ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
		if (!ih)
			return false;
		if (p->family == 4) {
			echo = ih->type == ICMP_ECHO || ih->type == ICMP_ECHOREPLY;
			error = icmp_is_err(ih->type);
		} else {
			echo = ih->type == ICMPV6_ECHO_REQUEST ||
			       ih->type == ICMPV6_ECHO_REPLY;
			error = icmpv6_is_err(ih->type);
		}
		if (echo) {
			p->sport = ih->un.echo.id;
			p->dport = ih->un.echo.id;
		}
		p->icmp_error = error && !quoted;
		p->quoted = thoff + sizeof(_ih);
	}
	return true;
}

/* The IPv4 packet at @nhoff; false when it cannot be classified. */
static bool parse_ipv4(const struct sk_buff *skb, unsigned int nhoff,
		       struct packet *p, bool quoted)
{
	struct iphdr _iph;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	p->family = 4;
	p->protocol = iph->protocol;
	memcpy(p->saddr, &iph->saddr, 4);
	memcpy(p->daddr, &iph->daddr, 4);
	if (iph->frag_off & htons(IP_OFFSET))
		return quoted;		/* an error may quote any fragment */
	return parse_transport(skb, nhoff + iph->ihl * 4, p, quoted);
}

/* The IPv6 packet at @nhoff, through its extension headers. */
static bool parse_ipv6(const struct sk_buff *skb, unsigned int nhoff,
		       struct packet *p, bool quoted)
{
	struct ipv6hdr _ip6h;
	const struct ipv6hdr *ip6h;
	__be16 frag_off;
	u8 nexthdr;
	int thoff;

	ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return false;
	p->family = 6;
	memcpy(p->saddr, &ip6h->saddr, 16);
	memcpy(p->daddr, &ip6h->daddr, 16);
	nexthdr = ip6h->nexthdr;
	thoff = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr,
				 &frag_off);
	if (thoff < 0 || nexthdr == NEXTHDR_NONE)
		return false;
	p->protocol = nexthdr;
	if (frag_off & htons(IP6_OFFSET))
		return quoted;
	return parse_transport(skb, thoff, p, quoted);
}

/*
 * Whether rules in @direction allow @p; *@rule is the rule that decided
 * or SBXFW_VERDICT_DEFAULT. A packet is judged on the far end's address
 * (where it goes, or where it comes from), the names that address was
 * learned under, and the port the flow's opener aimed at: its destination
 * port in its own direction, its source port as the answer in a flow
 * opened the other way.
 */
static bool rules_allow_by(const struct judge *j, const struct packet *p,
			   u8 direction, int *rule)
{
	struct sbxfw_pkt pkt = {
		.family = p->family,
		.direction = direction,
		.protocol = p->protocol,
		.has_port = p->has_port,
		.port = ntohs(direction == p->travel ? p->dport : p->sport),
		.peer = p->travel == SBXFW_DIR_EGRESS ? p->daddr : p->saddr,
	};
	struct sbxfw_rule_set learned = { };

	/* Domain patterns are egress rules' only. */
	if (j->learned && direction == SBXFW_DIR_EGRESS &&
	    sbxfw_learned_rules(j->learned, j->policy, p->family, pkt.peer,
				&learned))
		pkt.learned = &learned;
	return sbxfw_policy_eval(j->policy, &pkt, rule) == SBXFW_ACTION_ALLOW;
}

static bool rules_allow(const struct judge *j, const struct packet *p,
			u8 direction)
{
	int rule;

	return rules_allow_by(j, p, direction, &rule);
}

static void flow_key(const struct packet *p, struct sbxfw_flow_key *key)
{
	bool out = p->travel == SBXFW_DIR_EGRESS;
	unsigned int len = p->family == 4 ? 4 : 16;

	memset(key, 0, sizeof(*key));
	memcpy(key->local, out ? p->saddr : p->daddr, len);
	memcpy(key->peer, out ? p->daddr : p->saddr, len);
	key->local_port = out ? p->sport : p->dport;
	key->peer_port = out ? p->dport : p->sport;
	key->family = p->family;
	key->protocol = p->protocol;
	key->forwarded = p->forwarded;
}

static enum sbxfw_flow_life flow_life(const struct packet *p)
{
	if (p->protocol != IPPROTO_TCP)
		return SBXFW_FLOW_DATAGRAM;
	if (p->rst)
		return SBXFW_FLOW_RESET;
	if (p->fin)
		return SBXFW_FLOW_CLOSING;
	return p->syn ? SBXFW_FLOW_START : SBXFW_FLOW_OPEN;
}

static enum sbxfw_flow_origin origin_of(u8 direction)
{
	return direction == SBXFW_DIR_EGRESS ? SBXFW_FLOW_EGRESS :
					       SBXFW_FLOW_INGRESS;
}

/*
 * Whether @p belongs to a live flow opened the other way, still allowed.
 * @touch: @p really passes (not an ICMP error's quote), so it may mark or
 * refresh the flow.
 */
static bool answers_flow(const struct judge *j, const struct packet *p,
			 bool touch)
{
	u8 opener = opposite(p->travel);
	struct sbxfw_flow_key key;
	bool found;

	if (p->syn_only)
		return false;
	/*
	 * TCP answers need no record: without a SYN they open nothing, so
	 * one from where the sandbox may connect to passes, as conntrack's
	 * loose pickup would let it.
	 */
	if (p->protocol == IPPROTO_TCP && opener == SBXFW_DIR_EGRESS)
		return rules_allow(j, p, opener);
	if (!j->flows)
		return false;
	flow_key(p, &key);
	found = touch ? sbxfw_flow_find(j->flows, &key, origin_of(opener),
					flow_life(p)) :
			sbxfw_flow_exists(j->flows, &key, origin_of(opener));
	return found && rules_allow(j, p, opener);
}

/*
 * @p is allowed in the direction it travels: as part of a flow opened the
 * other way, or by the rules. Inbound flows that an ingress rule (not the
 * default) let in are recorded, when @p->record: their answers pass
 * whatever the egress rules say. So are the sandbox's datagram flows:
 * answers to them are told from new datagrams by the record only.
 * @touch as for answers_flow.
 */
static bool allowed(const struct judge *j, const struct packet *p, bool touch)
{
	struct sbxfw_flow_key key;
	int rule;

	if (p->travel == SBXFW_DIR_INGRESS) {
		if (answers_flow(j, p, touch))
			return true;
		if (!rules_allow_by(j, p, p->travel, &rule))
			return false;
		if (!touch || !p->record || rule == SBXFW_VERDICT_DEFAULT ||
		    !j->flows)
			return true;
		flow_key(p, &key);
		/* A flow the sandbox could not answer is refused. */
		return sbxfw_flow_note(j->flows, &key, SBXFW_FLOW_INGRESS,
				       flow_life(p));
	}
	if (!rules_allow(j, p, p->travel))
		return answers_flow(j, p, touch);
	if (touch && j->flows && p->protocol != IPPROTO_TCP) {
		flow_key(p, &key);
		sbxfw_flow_note(j->flows, &key, SBXFW_FLOW_EGRESS,
				flow_life(p));
	}
	return true;
}

static bool same_addr(const struct packet *p, const u8 *a, const u8 *b)
{
	return !memcmp(a, b, p->family == 4 ? 4 : 16);
}

/*
 * An ICMP error passes when it goes back to the sender of the packet it
 * quotes, and that packet would pass now: coming in, one the sandbox may
 * send; going out, one that came in on a recorded flow (rules alone would
 * let the sandbox quote made-up packets to any peer that may reach it),
 * unless the rules let the error out anyway. Errors never touch flows.
 */
static bool error_allowed(const struct judge *j, const struct sk_buff *skb,
			  const struct packet *p)
{
	struct packet q = {
		.travel = opposite(p->travel),
		.forwarded = p->forwarded,
	};
	struct sbxfw_flow_key key;
	bool parsed;

	if (p->travel == SBXFW_DIR_EGRESS && rules_allow(j, p, p->travel))
		return true;
	if (!j->flows)
		return false;
	parsed = p->family == 4 ? parse_ipv4(skb, p->quoted, &q, true) :
				  parse_ipv6(skb, p->quoted, &q, true);
	if (!parsed || q.family != p->family ||
	    !same_addr(p, p->daddr, q.saddr))
		return false;
	if (q.travel == SBXFW_DIR_EGRESS)
		return allowed(j, &q, false);
	/* Going out, it also comes from where the quoted packet went. */
	flow_key(&q, &key);
	return same_addr(p, p->saddr, q.daddr) &&
	       sbxfw_flow_exists(j->flows, &key, SBXFW_FLOW_INGRESS) &&
	       rules_allow(j, &q, q.travel);
}

/* Around sending a rejection: what is sent meanwhile on this CPU passes. */
void sbxfw_reject_begin(void)
{
	local_bh_disable();
	__this_cpu_write(rejecting, true);
}

void sbxfw_reject_end(void)
{
	__this_cpu_write(rejecting, false);
	local_bh_enable();
}

static void send_reject(struct sk_buff *skb, const struct nf_hook_state *state,
			const struct packet *p)
{
	sbxfw_reject_begin();
	if (p->protocol == IPPROTO_TCP) {
		if (p->family == 4)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_reset6(state->net, state->sk, skb, state->hook);
	} else if (p->family == 4) {
		nf_send_unreach(skb, ICMP_PKT_FILTERED, state->hook);
	} else {
		nf_send_unreach6(state->net, skb, ICMPV6_ADM_PROHIBITED,
				 state->hook);
	}
	sbxfw_reject_end();
}

/*
 * A rejection goes to the denied packet's source, which its sender chose.
 * Answer only a source that is where the packet came from: an address of
 * the namespace for what it sends, one routed back through the input
 * device for the rest. Otherwise the answer would carry the sender's
 * bytes (a quote, a chosen sequence number) to an address it may not
 * reach.
 */
static bool source_answerable(const struct nf_hook_state *state,
			      const struct packet *p)
{
	bool local = state->hook == NF_INET_LOCAL_OUT, ok;

	if (p->family == 4) {
		struct flowi4 fl4 = { };
		struct rtable *rt;
		__be32 saddr;

		memcpy(&saddr, p->saddr, 4);
		if (local)
			return inet_addr_type(state->net, saddr) == RTN_LOCAL;
		fl4.daddr = saddr;
		rt = ip_route_output_key(state->net, &fl4);
		if (IS_ERR(rt))
			return false;
		ok = rt->dst.dev == state->in;
		ip_rt_put(rt);
	} else {
		struct flowi6 fl6 = { };
		struct dst_entry *dst;

		memcpy(&fl6.daddr, p->saddr, 16);
		if (local)
			return ipv6_chk_addr(state->net, &fl6.daddr, NULL, 0);
		fl6.flowi6_oif = state->in ? state->in->ifindex : 0;
		dst = ip6_route_output(state->net, NULL, &fl6);
		ok = !dst->error && dst->dev == state->in;
		dst_release(dst);
	}
	return ok;
}

static unsigned int deny(struct sk_buff *skb, const struct nf_hook_state *state,
			 const struct packet *p)
{
	bool local = state->hook == NF_INET_LOCAL_OUT;

	/* Frames: only a bridged one has somebody to tell (devhooks.c). */
	if (state->pf == NFPROTO_NETDEV) {
		if (!(p->protocol == IPPROTO_TCP && p->rst))
			sbxfw_reject_bridged(skb, state, p->family,
					     p->protocol == IPPROTO_TCP);
		return NF_DROP;
	}

	if (p->protocol == IPPROTO_TCP) {
		/* A dropped SYN alone leaves connect() retransmitting. */
		if (local && p->syn_only)
			return NF_DROP_ERR(-ECONNREFUSED);
		if (!p->rst && source_answerable(state, p))
			send_reject(skb, state, p);
	} else if (!local && source_answerable(state, p)) {
		/* Local senders learn EPERM from the drop itself. */
		send_reject(skb, state, p);
	}
	return NF_DROP;
}

/* Whether @dev is one the policy names as the sandbox's side. */
static bool inside(const struct sbxfw_policy *policy,
		   const struct net_device *dev)
{
	const struct sbxfw_policy_spec *spec = &policy->spec;
	u32 i;

	for (i = 0; dev && i < spec->ninside; i++)
		if (!strncmp(dev->name, spec->inside[i], IFNAMSIZ))
			return true;
	return false;
}

/* A device whose packets may come from outside the sandbox. */
static bool outside(const struct sbxfw_policy *policy,
		    const struct net_device *dev)
{
	return dev && !(dev->flags & IFF_LOOPBACK) && !inside(policy, dev);
}

/*
 * What comes in to the namespace's sockets enters the sandbox. With
 * inside devices, the sandbox is what lives behind them (a microVM): what
 * the namespace forwards or bridges out through one from an outside
 * device enters it, and so does what the namespace's own sockets send
 * through one, while what comes from one is leaving. All else leaves.
 * Loopback is never outside: frames the sandbox writes on lo come back
 * in through it.
 */
static u8 travel_of(const struct sbxfw_policy *policy,
		    const struct sk_buff *skb,
		    const struct nf_hook_state *state)
{
	const struct net_device *in = state->in;

	if (state->pf == NFPROTO_NETDEV) {
		/* A bridged frame: where it entered the namespace. */
		if (!policy->spec.ninside || state->hook != NF_NETDEV_EGRESS ||
		    !skb || !skb->skb_iif || !inside(policy, state->out))
			return SBXFW_DIR_EGRESS;
		in = dev_get_by_index_rcu(state->net, skb->skb_iif);
		return outside(policy, in) ? SBXFW_DIR_INGRESS :
					     SBXFW_DIR_EGRESS;
	}
	switch (state->hook) {
	case NF_INET_LOCAL_IN:
		return inside(policy, in) ? SBXFW_DIR_EGRESS :
					    SBXFW_DIR_INGRESS;
	case NF_INET_LOCAL_OUT:
		return inside(policy, state->out) ? SBXFW_DIR_INGRESS :
						    SBXFW_DIR_EGRESS;
	case NF_INET_FORWARD:
		return inside(policy, state->out) && outside(policy, in) ?
		       SBXFW_DIR_INGRESS : SBXFW_DIR_EGRESS;
	}
	return SBXFW_DIR_EGRESS;
}

/* Unicast to its destination: a broadcast or multicast opens no flow. */
static bool unicast(const struct sk_buff *skb, const struct packet *p)
{
	if (skb->pkt_type != PACKET_HOST &&
	    !(p->forwarded && skb->pkt_type == PACKET_OTHERHOST))
		return false;
	if (p->family == 4) {
		__be32 daddr;

		memcpy(&daddr, p->daddr, 4);
		return !ipv4_is_multicast(daddr) && !ipv4_is_lbcast(daddr);
	}
	return !ipv6_addr_is_multicast((const struct in6_addr *)p->daddr);
}

static bool dns_port(const struct packet *p, __be16 port)
{
	return port == htons(SBXFW_DNS_PORT) &&
	       (p->protocol == IPPROTO_UDP || p->protocol == IPPROTO_TCP);
}

static void dns_packet(const struct judge *j, const struct packet *p,
		       struct sbxfw_flows *flows, struct sbxfw_dns_packet *dp)
{
	dp->policy = j->policy;
	dp->flows = flows;
	dp->learned = j->learned;
	flow_key(p, &dp->key);
	dp->life = flow_life(p);
	dp->protocol = p->protocol;
	dp->thoff = p->thoff;
}

/*
 * A query the rules let out: its names decide (dnshook.c). A refused UDP
 * query is answered REFUSED, stolen so that its send succeeds, but only
 * to a source it came from: else the answer would carry the question to
 * an address of the sender's choosing.
 */
static unsigned int dns_query(struct sk_buff *skb,
			      const struct nf_hook_state *state,
			      const struct judge *j, const struct packet *p)
{
	struct sbxfw_dns_packet dp;

	dns_packet(j, p, rcu_dereference(sbxfw_pernet(state->net)->flows),
		   &dp);
	switch (sbxfw_dns_query(skb, &dp)) {
	case SBXFW_DNS_PASS:
		return NF_ACCEPT;
	case SBXFW_DNS_REFUSE:
		break;
	default:
		return NF_DROP;
	}
	if (p->protocol == IPPROTO_UDP && state->pf != NFPROTO_NETDEV &&
	    source_answerable(state, p) &&
	    sbxfw_dns_send_refusal(skb, state, &dp)) {
		consume_skb(skb);
		return NF_STOLEN;
	}
	return deny(skb, state, p);
}

/* @p is NULL when the packet cannot be classified. */
static unsigned int judge(struct sk_buff *skb, const struct nf_hook_state *state,
			  struct packet *p)
{
	const struct net_device *dev = state->out ?: state->in;
	struct sbxfw_net *sn = sbxfw_pernet(state->net);
	const struct sbxfw_active *active;
	struct sbxfw_dns_packet dp;
	struct judge j;
	bool loopback, ok;
	u8 travel;

	active = rcu_dereference(sn->active);
	if (unlikely(!active || this_cpu_read(rejecting)))
		return NF_ACCEPT;
	j.policy = active->policy;
	/* Also the namespace's own multicasts and broadcasts, looped back. */
	loopback = (dev && (dev->flags & IFF_LOOPBACK)) ||
		   (skb && skb->pkt_type == PACKET_LOOPBACK);
	travel = travel_of(j.policy, skb, state);
	/* NULL also while the hooks go, as the flow table below. */
	j.learned = j.policy->domains ? rcu_dereference(sn->learned) : NULL;
	if (p && !loopback) {
		p->travel = travel;
		/* What a microVM sends its own namespace opens no inbound flow. */
		p->forwarded = state->pf == NFPROTO_NETDEV ?
			       state->hook == NF_NETDEV_EGRESS && skb->skb_iif :
			       state->hook == NF_INET_FORWARD;
	}
	/* Answers are learned from before any rule judges them. */
	if (p && !loopback && j.learned && travel == SBXFW_DIR_INGRESS &&
	    dns_port(p, p->sport)) {
		dns_packet(&j, p, rcu_dereference(sn->flows), &dp);
		if (sbxfw_dns_answer(skb, &dp) == SBXFW_DNS_DROP)
			return NF_DROP;
	}
	if (travel == SBXFW_DIR_INGRESS &&
	    (loopback || !j.policy->filters_ingress))
		return NF_ACCEPT;
	if (unlikely(!p))
		return loopback || j.policy->mode == SBXFW_MODE_ALLOW_ALL ?
		       NF_ACCEPT : NF_DROP;
	if (loopback)
		return NF_ACCEPT;
	/*
	 * NULL also while the hooks go (a hook still running on another CPU
	 * may see it cleared): then nothing is recorded or found.
	 */
	j.flows = j.policy->filters_ingress ? rcu_dereference(sn->flows) : NULL;
	/* Looped-back broadcasts and multicasts are loopback, above. */
	p->record = unicast(skb, p);
	ok = p->icmp_error ? error_allowed(&j, skb, p) : allowed(&j, p, true);
	if (!ok)
		return deny(skb, state, p);
	if (!j.learned || travel != SBXFW_DIR_EGRESS)
		return NF_ACCEPT;
	/*
	 * An answer forged inside the sandbox, sent out with a resolver's
	 * address, could come back in through a host that routes it back
	 * (hairpin) and teach its query's name: what leaves from port 53
	 * must come from where it says.
	 */
	if (dns_port(p, p->sport) && !source_answerable(state, p))
		return NF_DROP;
	if (dns_port(p, p->dport))
		return dns_query(skb, state, &j, p);
	return NF_ACCEPT;
}

/* Whatever cannot be classified passes only where nothing is filtered. */
unsigned int sbxfw_judge_unclassified(const struct nf_hook_state *state)
{
	return judge(NULL, state, NULL);
}

/* The IPv4 packet at the network header, which must be a valid one. */
unsigned int sbxfw_judge_ipv4(struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct packet p = { };

	if (!parse_ipv4(skb, skb_network_offset(skb), &p, false))
		return judge(skb, state, NULL);
	return judge(skb, state, &p);
}

/*
 * Neighbour discovery and MLD keep the link working and cannot leave it:
 * let them be, whatever the policy, when they go to a link-local or
 * multicast address or to a neighbour on the link (a route without a
 * gateway; solicited advertisements answer a neighbour's own address).
 */
static bool link_control(const struct sk_buff *skb, unsigned int thoff,
			 const struct ipv6hdr *ip6h)
{
	const struct rt6_info *rt = (const struct rt6_info *)skb_dst(skb);
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih;

	ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
	if (!ih)
		return false;
	switch (ih->icmp6_type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case ICMPV6_MLD2_REPORT:
		break;
	default:
		return false;
	}
	if (ipv6_addr_type(&ip6h->daddr) &
	    (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MULTICAST))
		return true;
	return rt && !(rt->rt6i_flags & RTF_GATEWAY);
}

/* The IPv6 packet at the network header (at least its fixed header). */
unsigned int sbxfw_judge_ipv6(struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct packet p = { };
	unsigned short frag_off = 0;
	unsigned int thoff = 0;
	int flags = 0, proto;

	/* Walks every extension header to the transport header. */
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags);
	if (proto < 0 || ((flags & IP6_FH_F_FRAG) && frag_off))
		return judge(skb, state, NULL);
	if (proto == IPPROTO_ICMPV6 && link_control(skb, thoff, ipv6_hdr(skb)))
		return NF_ACCEPT;
	p.family = 6;
	p.protocol = proto;
	memcpy(p.saddr, &ipv6_hdr(skb)->saddr, 16);
	memcpy(p.daddr, &ipv6_hdr(skb)->daddr, 16);
	if (!parse_transport(skb, thoff, &p, false))
		return judge(skb, state, NULL);
	return judge(skb, state, &p);
}

static unsigned int hook_ipv4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	return sbxfw_judge_ipv4(skb, state);
}

static unsigned int hook_ipv6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	return sbxfw_judge_ipv6(skb, state);
}

static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FILTER,
	},
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_FILTER,
	},
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_FILTER,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_FILTER,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FILTER,
	},
};

/* Called with the netns's lock held, as is unregistering. */
int sbxfw_hooks_register(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);
	struct sbxfw_learned *learned;
	struct sbxfw_flows *flows;
	int err;

	flows = sbxfw_flows_new();
	learned = sbxfw_learned_new();
	if (!flows || !learned) {
		sbxfw_flows_free(flows);
		sbxfw_learned_free(learned);
		return -ENOMEM;
	}
	rcu_assign_pointer(sn->flows, flows);
	rcu_assign_pointer(sn->learned, learned);
	err = nf_defrag_ipv4_enable(net);
	if (err)
		goto err_defrag4;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_defrag6;
	err = nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
	if (err)
		goto err_hooks;
	err = sbxfw_devhooks_register(net);
	if (err)
		goto err_devhooks;
	return 0;

err_devhooks:
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
err_hooks:
	nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
err_defrag4:
	RCU_INIT_POINTER(sn->flows, NULL);
	RCU_INIT_POINTER(sn->learned, NULL);
	synchronize_net();
	sbxfw_flows_free(flows);
	sbxfw_learned_free(learned);
	return err;
}

void sbxfw_hooks_unregister(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);
	struct sbxfw_learned *learned;
	struct sbxfw_flows *flows;

	sbxfw_devhooks_unregister(net);
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
	flows = rcu_dereference_protected(sn->flows,
					  lockdep_is_held(&sn->lock));
	RCU_INIT_POINTER(sn->flows, NULL);
	learned = rcu_dereference_protected(sn->learned,
					    lockdep_is_held(&sn->lock));
	RCU_INIT_POINTER(sn->learned, NULL);
	/* Hooks and dumps may still read them until a grace period passed. */
	synchronize_net();
	sbxfw_flows_free(flows);
	sbxfw_learned_free(learned);
}
