// SPDX-License-Identifier: GPL-2.0
/*
 * Frames that leave a filtered namespace without passing its IP hooks:
 * those a packet socket writes (CAP_NET_RAW is enough, and
 * PACKET_QDISC_BYPASS takes the same hook), and those a bridge inside the
 * namespace forwards between its ports, which NF_INET_FORWARD never sees
 * without br_netfilter (a microVM's tap bridged to the uplink veth).
 *
 * An NF_NETDEV_EGRESS hook on every device of the namespace but loopback
 * judges them with the same policy as the IP hooks. A per-namespace
 * netdevice notifier, registered only while the namespace filters, hooks
 * devices as they appear (or move in) and unhooks them as they go; a
 * device that cannot be hooked is refused rather than left open. Frames
 * the IP stack built were judged at LOCAL_OUT or FORWARD already and pass.
 *
 * IPv4 and IPv6 frames are judged on the packet they carry; ARP passes, as
 * nothing works without it and it cannot leave the link; anything else
 * (VLAN tags, other ethertypes, link types we cannot parse) passes only
 * under allow-all. Denied frames are dropped: there is no socket to tell.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "hooks.h"
#include "sbxfw.h"

/* Without it, packet sockets would be a way around every policy. */
#ifndef CONFIG_NETFILTER_EGRESS
#error "sbxfw needs a kernel with CONFIG_NETFILTER_EGRESS"
#endif

struct dev_hook {
	struct list_head list;		/* in sbxfw_net.dev_hooks, under RTNL */
	struct nf_hook_ops ops;
	struct rcu_head rcu;
};

/*
 * Everything this namespace's IP stack transmits carries its route, or the
 * socket that sent it when a bridge master dropped the route on the way;
 * either way it passed LOCAL_OUT or FORWARD here. Packet sockets and
 * bridged frames have neither: a veth keeps the sending socket of the
 * namespace at its other end, which therefore does not count, and drops
 * the route. Nothing in a namespace without CAP_NET_ADMIN can add one.
 */
static bool judged_by_ip_stack(const struct sk_buff *skb, const struct net *net)
{
	const struct sock *sk = skb->sk;

	if (skb_dst(skb))
		return true;
	return sk && (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
	       net_eq(sock_net(sk), net);
}

/*
 * The ethertype a frame really carries (never skb->protocol, which a
 * packet socket sets as it likes) and where its network header starts.
 * Devices without link-layer headers (tun, WireGuard, ipip) carry bare IP.
 */
static __be16 frame_protocol(const struct sk_buff *skb,
			     const struct net_device *dev, unsigned int *nhoff)
{
	if (dev->type == ARPHRD_ETHER) {
		struct ethhdr _eth;
		const struct ethhdr *eth;

		eth = skb_header_pointer(skb, 0, sizeof(_eth), &_eth);
		*nhoff = ETH_HLEN;
		return eth ? eth->h_proto : 0;
	}
	if (!dev->header_ops) {
		u8 _first;
		const u8 *first;

		first = skb_header_pointer(skb, 0, sizeof(_first), &_first);
		*nhoff = 0;
		if (first && *first >> 4 == 4)
			return htons(ETH_P_IP);
		if (first && *first >> 4 == 6)
			return htons(ETH_P_IPV6);
	}
	return 0;
}

/* Only what really is an IP header may be judged as one. */
static unsigned int judge_frame_ipv4(struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->version != 4 || iph->ihl < 5)
		return sbxfw_judge_unclassified(state);
	return sbxfw_judge_ipv4(skb, state);
}

static unsigned int judge_frame_ipv6(struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	if (ipv6_hdr(skb)->version != 6)
		return sbxfw_judge_unclassified(state);
	return sbxfw_judge_ipv6(skb, state);
}

/*
 * Points the network header at the frame's IP header, pulled into the
 * linear area, for the judging functions, and back where it was for the
 * driver afterwards.
 */
static unsigned int judge_at(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     unsigned int nhoff, unsigned int hdrlen,
			     unsigned int (*judge)(struct sk_buff *skb,
						   const struct nf_hook_state *state))
{
	int saved = skb_network_offset(skb);
	unsigned int verdict;

	if (!pskb_may_pull(skb, nhoff + hdrlen))
		return sbxfw_judge_unclassified(state);
	skb_set_network_header(skb, nhoff);
	verdict = judge(skb, state);
	skb_set_network_header(skb, saved);
	return verdict;
}

static unsigned int hook_egress(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	unsigned int nhoff;

	if (judged_by_ip_stack(skb, state->net))
		return NF_ACCEPT;
	switch (frame_protocol(skb, state->out, &nhoff)) {
	case htons(ETH_P_ARP):
		return NF_ACCEPT;
	case htons(ETH_P_IP):
		return judge_at(skb, state, nhoff, sizeof(struct iphdr),
				judge_frame_ipv4);
	case htons(ETH_P_IPV6):
		return judge_at(skb, state, nhoff, sizeof(struct ipv6hdr),
				judge_frame_ipv6);
	}
	return sbxfw_judge_unclassified(state);
}

static int hook_device(struct sbxfw_net *sn, struct net_device *dev)
{
	struct dev_hook *hook;
	int err;

	/* What leaves through loopback stays in the namespace. */
	if (dev->flags & IFF_LOOPBACK)
		return 0;
	/* One per device of a filtered namespace. */
	hook = kzalloc(sizeof(*hook), GFP_KERNEL_ACCOUNT);
	if (!hook)
		return -ENOMEM;
	hook->ops.hook = hook_egress;
	hook->ops.pf = NFPROTO_NETDEV;
	hook->ops.hooknum = NF_NETDEV_EGRESS;
	hook->ops.dev = dev;
	err = nf_register_net_hook(dev_net(dev), &hook->ops);
	if (err) {
		kfree(hook);
		return err;
	}
	list_add(&hook->list, &sn->dev_hooks);
	return 0;
}

static void unhook_device(struct sbxfw_net *sn, struct net_device *dev)
{
	struct dev_hook *hook;

	list_for_each_entry(hook, &sn->dev_hooks, list) {
		if (hook->ops.dev != dev)
			continue;
		nf_unregister_net_hook(dev_net(dev), &hook->ops);
		list_del(&hook->list);
		kfree_rcu(hook, rcu);
		return;
	}
}

static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct sbxfw_net *sn = container_of(nb, struct sbxfw_net, netdev_nb);
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	ASSERT_RTNL();
	switch (event) {
	case NETDEV_REGISTER:
		return notifier_from_errno(hook_device(sn, dev));
	case NETDEV_UNREGISTER:
		unhook_device(sn, dev);
		break;
	}
	return NOTIFY_DONE;
}

/* Hooks every device of @net, now and as they come, or none. */
int sbxfw_devhooks_register(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);

	sn->netdev_nb.notifier_call = netdev_event;
	/* Replays NETDEV_REGISTER for the devices already there. */
	return register_netdevice_notifier_net(net, &sn->netdev_nb);
}

void sbxfw_devhooks_unregister(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);

	/* Replays NETDEV_UNREGISTER, which unhooks every device. */
	unregister_netdevice_notifier_net(net, &sn->netdev_nb);
	WARN_ON_ONCE(!list_empty(&sn->dev_hooks));
}
