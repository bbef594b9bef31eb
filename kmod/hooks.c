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
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "hooks.h"
#include "sbxfw.h"

/*
 * Our own RSTs and ICMP errors leave through this netns's LOCAL_OUT and
 * would be judged like anything else (a deny-all policy would swallow
 * them, and the sender would hang). They are sent synchronously with
 * bottom halves off, so the nested hook runs on this CPU, unpreempted,
 * and knows them by this flag; nothing a sandbox sends can set it.
 */
static DEFINE_PER_CPU(bool, rejecting);

/* What a denial needs to know beyond the verdict's inputs. */
struct tcp_facts {
	bool syn_only;		/* a connection attempt */
	bool rst;		/* never answer a RST with a RST */
};

static bool parse_transport(const struct sk_buff *skb, unsigned int thoff,
			    struct sbxfw_pkt *pkt, struct tcp_facts *tcp)
{
	switch (pkt->protocol) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return false;
		pkt->port = ntohs(th->dest);
		tcp->syn_only = th->syn && !th->ack;
		tcp->rst = th->rst;
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		pkt->port = ntohs(uh->dest);
		break;
	}
	default:
		return true;
	}
	pkt->has_port = true;
	return true;
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
			const struct sbxfw_pkt *pkt)
{
	sbxfw_reject_begin();
	if (pkt->protocol == IPPROTO_TCP) {
		if (pkt->family == 4)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_reset6(state->net, state->sk, skb, state->hook);
	} else if (pkt->family == 4) {
		nf_send_unreach(skb, ICMP_PKT_FILTERED, state->hook);
	} else {
		nf_send_unreach6(state->net, skb, ICMPV6_ADM_PROHIBITED,
				 state->hook);
	}
	sbxfw_reject_end();
}

static unsigned int deny(struct sk_buff *skb, const struct nf_hook_state *state,
			 const struct sbxfw_pkt *pkt, const struct tcp_facts *tcp)
{
	bool local = state->hook == NF_INET_LOCAL_OUT;

	/* Frames: only a bridged one has somebody to tell (devhooks.c). */
	if (state->pf == NFPROTO_NETDEV) {
		if (!(pkt->protocol == IPPROTO_TCP && tcp->rst))
			sbxfw_reject_bridged(skb, state, pkt->family,
					     pkt->protocol == IPPROTO_TCP);
		return NF_DROP;
	}

	if (pkt->protocol == IPPROTO_TCP) {
		/* A dropped SYN alone leaves connect() retransmitting. */
		if (local && tcp->syn_only)
			return NF_DROP_ERR(-ECONNREFUSED);
		if (!tcp->rst)
			send_reject(skb, state, pkt);
	} else if (!local) {
		/* Local senders learn EPERM from the drop itself. */
		send_reject(skb, state, pkt);
	}
	return NF_DROP;
}

static unsigned int judge(struct sk_buff *skb, const struct nf_hook_state *state,
			  struct sbxfw_pkt *pkt, const struct tcp_facts *tcp,
			  bool classified)
{
	const struct sbxfw_active *active;
	bool loopback;
	int rule;

	active = rcu_dereference(sbxfw_pernet(state->net)->active);
	if (unlikely(!active || this_cpu_read(rejecting)))
		return NF_ACCEPT;
	loopback = state->out && (state->out->flags & IFF_LOOPBACK);
	if (unlikely(!classified))
		return loopback ||
		       active->policy->mode == SBXFW_MODE_ALLOW_ALL ?
		       NF_ACCEPT : NF_DROP;
	pkt->loopback = loopback;
	if (sbxfw_policy_eval(active->policy, pkt, &rule) == SBXFW_ACTION_ALLOW)
		return NF_ACCEPT;
	return deny(skb, state, pkt, tcp);
}

/* Whatever cannot be classified passes only where nothing is filtered. */
unsigned int sbxfw_judge_unclassified(const struct nf_hook_state *state)
{
	return judge(NULL, state, NULL, NULL, false);
}

/* The IPv4 packet at the network header, which must be a valid one. */
unsigned int sbxfw_judge_ipv4(struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct tcp_facts tcp = { };
	struct sbxfw_pkt pkt = {
		.family = 4,
		.direction = SBXFW_DIR_EGRESS,
		.protocol = iph->protocol,
		.peer = &iph->daddr,
	};
	bool classified;

	classified = !(iph->frag_off & htons(IP_OFFSET)) &&
		     parse_transport(skb, skb_network_offset(skb) + ip_hdrlen(skb),
				     &pkt, &tcp);
	return judge(skb, state, &pkt, &tcp, classified);
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
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct tcp_facts tcp = { };
	struct sbxfw_pkt pkt = {
		.family = 6,
		.direction = SBXFW_DIR_EGRESS,
		.peer = &ip6h->daddr,
	};
	unsigned short frag_off = 0;
	unsigned int thoff = 0;
	int flags = 0, proto;
	bool classified;

	/* Walks every extension header to the transport header. */
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags);
	classified = proto >= 0 && !((flags & IP6_FH_F_FRAG) && frag_off);
	if (classified) {
		pkt.protocol = proto;
		if (proto == IPPROTO_ICMPV6 && link_control(skb, thoff, ip6h))
			return NF_ACCEPT;
		classified = parse_transport(skb, thoff, &pkt, &tcp);
	}
	return judge(skb, state, &pkt, &tcp, classified);
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
};

int sbxfw_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
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
	return err;
}

void sbxfw_hooks_unregister(struct net *net)
{
	sbxfw_devhooks_unregister(net);
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
