// SPDX-License-Identifier: GPL-2.0
/*
 * Frames that leave a filtered namespace without passing its IP hooks:
 * those a packet socket writes (CAP_NET_RAW is enough, and
 * PACKET_QDISC_BYPASS takes the same hook), those an AF_XDP socket hands
 * straight to the driver (CAP_NET_RAW too), and those a bridge inside the
 * namespace forwards between its ports, which NF_INET_FORWARD never sees
 * without br_netfilter (a microVM's tap bridged to the uplink veth).
 *
 * An NF_NETDEV_EGRESS hook on every device of the namespace but loopback
 * judges them with the same policy as the IP hooks. AF_XDP in copy mode
 * transmits without any egress hook (__dev_direct_xmit), so a device whose
 * other end lives in another namespace (veth, netkit) also gets an
 * NF_NETDEV_INGRESS hook on that other end, which judges what sockets of
 * the sandbox other than IP ones wrote: those frames still carry their
 * socket there. Frames the sandbox's IP stack built were judged at
 * LOCAL_OUT or FORWARD already and pass both.
 *
 * A netdevice notifier keeps the hooks in step with devices that appear,
 * come up, move between namespaces and go; a device that cannot be hooked,
 * or whose frames could leave through something no hook sees (a physical
 * device, a macvlan on a device elsewhere), is refused: registering or
 * bringing it up fails, and so does a policy for a namespace holding one.
 *
 * IPv4 and IPv6 frames are judged on the packet they carry; ARP passes, as
 * nothing works without it and it cannot leave the link; anything else
 * (VLAN tags, other ethertypes, link types we cannot parse) passes only
 * under allow-all. Denied frames are dropped: there is no socket to tell,
 * but a bridged frame's sender is answered as a routed one would be.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/xarray.h>
#include <net/dst_metadata.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/sock.h>

#include "hooks.h"
#include "sbxfw.h"

/* Without them, packet sockets would be a way around every policy. */
#if !IS_ENABLED(CONFIG_NETFILTER_EGRESS) || !IS_ENABLED(CONFIG_NETFILTER_INGRESS)
#error "sbxfw needs a kernel with CONFIG_NETFILTER_EGRESS and CONFIG_NETFILTER_INGRESS"
#endif

/*
 * One per device of a filtered namespace but loopback, so their number is
 * that of the namespace's devices; on the lists under RTNL.
 */
struct dev_hook {
	struct list_head list;		/* in all_hooks */
	struct net_device *dev;		/* in the sandbox */
	struct nf_hook_ops egress;	/* on dev */
	struct nf_hook_ops peer_ingress; /* on its other end; .dev NULL: none */
	struct rcu_head rcu;
};

/* Every dev_hook: a device's other end may live in any namespace. */
static LIST_HEAD(all_hooks);

/*
 * The namespaces whose devices are hooked, by inode number, under RTNL.
 * Kept here rather than in their pernet state, which unloading frees while
 * the notifier still runs.
 */
static DEFINE_XARRAY(filtered_nets);

static bool devices_hooked(const struct net *net)
{
	return xa_load(&filtered_nets, net->ns.inum) == net;
}

/* Whether a socket of @net sent @skb (a veth keeps it across). */
static bool sent_from(const struct sk_buff *skb, const struct net *net)
{
	return skb->sk && net_eq(sock_net(skb->sk), net);
}

static bool ip_socket(const struct sock *sk)
{
	return sk->sk_family == AF_INET || sk->sk_family == AF_INET6;
}

/*
 * Everything this namespace's IP stack transmits carries its route (not a
 * tunnel's metadata, which a collect_md port would leave), or the socket
 * of this namespace that sent it when a bridge master dropped the route on
 * the way; either way it passed LOCAL_OUT or FORWARD here. Packet sockets
 * and bridged frames have neither (a veth drops the route and keeps the
 * socket of the namespace at its other end). Nothing in a namespace
 * without CAP_NET_ADMIN can add one.
 */
static bool judged_by_ip_stack(const struct sk_buff *skb, const struct net *net)
{
	return skb_valid_dst(skb) || (sent_from(skb, net) && ip_socket(skb->sk));
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
		/* Such drivers go by skb->protocol: it must say the same. */
		if (first && *first >> 4 == 4 &&
		    skb->protocol == htons(ETH_P_IP))
			return htons(ETH_P_IP);
		if (first && *first >> 4 == 6 &&
		    skb->protocol == htons(ETH_P_IPV6))
			return htons(ETH_P_IPV6);
	}
	return 0;
}

/*
 * A packet socket's TX ring and AF_XDP leave a frame's payload in pages the
 * sandbox can still write while the frame is judged: judge only bytes
 * copied into the frame's head. This much past the link header holds any
 * sane header chain; a frame whose transport header lies further on is not
 * classified.
 */
#define FRAME_HEADERS	512

/* Only what really is an IP header may be judged as one. */
static unsigned int judge_frame_ipv4(struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	/* ihl * 4 + a TCP header is well within FRAME_HEADERS. */
	if (iph->version != 4 || iph->ihl < 5)
		return sbxfw_judge_unclassified(state);
	return sbxfw_judge_ipv4(skb, state);
}

static unsigned int judge_frame_ipv6(struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	unsigned int thoff = 0;

	if (ipv6_hdr(skb)->version != 6)
		return sbxfw_judge_unclassified(state);
	/* Part of it is outside the head: its header chain may not be. */
	if (skb_headlen(skb) < skb->len &&
	    (ipv6_find_hdr(skb, &thoff, -1, NULL, NULL) < 0 ||
	     thoff + sizeof(struct tcphdr) > skb_headlen(skb)))
		return sbxfw_judge_unclassified(state);
	return sbxfw_judge_ipv6(skb, state);
}

/*
 * Points the network header at the frame's IP header, with the headers
 * copied into the frame's head, for the judging functions, and back where
 * it was for the driver afterwards.
 */
static unsigned int judge_at(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     unsigned int nhoff, unsigned int hdrlen,
			     unsigned int (*judge)(struct sk_buff *skb,
						   const struct nf_hook_state *state))
{
	int saved = skb_network_offset(skb);
	unsigned int verdict;

	if (!pskb_may_pull(skb, min(skb->len, nhoff + FRAME_HEADERS)) ||
	    skb_headlen(skb) < nhoff + hdrlen)
		return sbxfw_judge_unclassified(state);
	skb_set_network_header(skb, nhoff);
	verdict = judge(skb, state);
	skb_set_network_header(skb, saved);
	return verdict;
}

/* The frame at @skb's data carries @proto at @nhoff: judge what it is. */
static unsigned int judge_frame(struct sk_buff *skb,
				const struct nf_hook_state *state,
				__be16 proto, unsigned int nhoff)
{
	switch (proto) {
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

static unsigned int hook_egress(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	unsigned int nhoff;
	__be16 proto;

	if (judged_by_ip_stack(skb, state->net))
		return NF_ACCEPT;
	proto = frame_protocol(skb, state->out, &nhoff);
	return judge_frame(skb, state, proto, nhoff);
}

/*
 * What a received frame carries, by its own bytes: the link header that
 * receiving pulled (before the data), or the bare IP header at the data.
 */
static __be16 received_protocol(const struct sk_buff *skb,
				const struct net_device *dev)
{
	unsigned int nhoff;

	if (dev->type == ARPHRD_ETHER)
		return skb_mac_header_was_set(skb) &&
		       skb_mac_header_len(skb) == ETH_HLEN ?
		       eth_hdr(skb)->h_proto : 0;
	return frame_protocol(skb, dev, &nhoff);
}

/*
 * On the other end of a sandbox's device, in another namespace: judges,
 * with the sandbox's policy, frames that a socket of the sandbox other
 * than an IP one wrote (AF_XDP, AF_PACKET).
 */
static unsigned int hook_peer_ingress(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	const struct dev_hook *hook = priv;
	struct nf_hook_state sandbox = *state;

	sandbox.net = dev_net(hook->dev);
	if (!sent_from(skb, sandbox.net) || ip_socket(skb->sk))
		return NF_ACCEPT;
	sandbox.in = NULL;
	sandbox.out = hook->dev;
	if (skb_vlan_tag_present(skb))
		return sbxfw_judge_unclassified(&sandbox);
	return judge_frame(skb, &sandbox, received_protocol(skb, state->in), 0);
}

/*
 * A denied frame that a bridge of the sandbox forwards gets the answer a
 * routed one would, as fast: a TCP RST or an ICMP administratively
 * prohibited, addressed at layer 2 to the frame's sender and sent through
 * the bridge, which finds the port it came from by that address. The frame
 * is at its link header with the network header set (judge_at).
 */
void sbxfw_reject_bridged(struct sk_buff *skb,
			  const struct nf_hook_state *state, u8 family,
			  bool tcp)
{
	unsigned int nhoff = skb_network_offset(skb);
	struct net_device *bridge;
	struct ethhdr eth __aligned(2), *neth;
	struct sk_buff *nskb;

	/* Bridge ports are Ethernet devices; the sandbox's own frames go unanswered. */
	if (state->hook != NF_NETDEV_EGRESS ||
	    !netif_is_bridge_port(state->out) || sent_from(skb, state->net))
		return;
	/* Copied: building the answer may reallocate the frame's head. */
	eth = *eth_hdr(skb);
	if (!is_unicast_ether_addr(eth.h_source) ||
	    !is_unicast_ether_addr(eth.h_dest))
		return;
	bridge = netdev_master_upper_dev_get_rcu(state->out);
	if (!bridge)
		return;

	/* The builders want the IP header at the data. */
	__skb_pull(skb, nhoff);
	if (family == 4)
		nskb = tcp ? nf_reject_skb_v4_tcp_reset(state->net, skb, NULL,
							NF_INET_FORWARD) :
		       nf_reject_skb_v4_unreach(state->net, skb, NULL,
						NF_INET_FORWARD,
						ICMP_PKT_FILTERED);
	else
		nskb = tcp ? nf_reject_skb_v6_tcp_reset(state->net, skb, NULL,
							NF_INET_FORWARD) :
		       nf_reject_skb_v6_unreach(state->net, skb, NULL,
						NF_INET_FORWARD,
						ICMPV6_ADM_PROHIBITED);
	__skb_push(skb, nhoff);
	if (!nskb)
		return;

	neth = skb_push(nskb, ETH_HLEN);
	skb_reset_mac_header(nskb);
	ether_addr_copy(neth->h_source, eth.h_dest);
	ether_addr_copy(neth->h_dest, eth.h_source);
	neth->h_proto = eth.h_proto;
	nskb->protocol = eth.h_proto;
	nskb->dev = bridge;
	sbxfw_reject_begin();
	dev_queue_xmit(nskb);
	sbxfw_reject_end();
}

/* The other end of @dev, for veth and netkit pairs. RTNL keeps it. */
static struct net_device *peer_of(struct net_device *dev)
{
	struct net_device *peer = NULL;

	if (dev->netdev_ops->ndo_get_peer_dev) {
		rcu_read_lock();
		peer = dev->netdev_ops->ndo_get_peer_dev(dev);
		rcu_read_unlock();
	}
	return peer;
}

static struct dev_hook *hook_of(const struct net_device *dev)
{
	struct dev_hook *hook;

	list_for_each_entry(hook, &all_hooks, list)
		if (hook->dev == dev)
			return hook;
	return NULL;
}

static void unhook_peer(struct dev_hook *hook)
{
	struct net_device *peer = hook->peer_ingress.dev;

	if (peer) {
		nf_unregister_net_hook(dev_net(peer), &hook->peer_ingress);
		hook->peer_ingress.dev = NULL;
	}
}

/* The ingress hook on the other end of hook->dev, if that is elsewhere. */
static int hook_peer(struct dev_hook *hook)
{
	struct net_device *peer = peer_of(hook->dev);
	int err;

	if (peer && net_eq(dev_net(peer), dev_net(hook->dev)))
		peer = NULL;
	if (hook->peer_ingress.dev == peer)
		return 0;
	unhook_peer(hook);
	if (!peer)
		return 0;
	hook->peer_ingress.dev = peer;
	err = nf_register_net_hook(dev_net(peer), &hook->peer_ingress);
	if (err)
		hook->peer_ingress.dev = NULL;
	return err;
}

static void unhook_device(struct dev_hook *hook)
{
	unhook_peer(hook);
	nf_unregister_net_hook(dev_net(hook->dev), &hook->egress);
	list_del(&hook->list);
	kfree_rcu(hook, rcu);
}

static int hook_device(struct net_device *dev)
{
	struct dev_hook *hook;
	int err;

	hook = kzalloc(sizeof(*hook), GFP_KERNEL_ACCOUNT);
	if (!hook)
		return -ENOMEM;
	hook->dev = dev;
	hook->egress.hook = hook_egress;
	hook->egress.pf = NFPROTO_NETDEV;
	hook->egress.hooknum = NF_NETDEV_EGRESS;
	hook->egress.dev = dev;
	hook->peer_ingress.hook = hook_peer_ingress;
	hook->peer_ingress.pf = NFPROTO_NETDEV;
	hook->peer_ingress.hooknum = NF_NETDEV_INGRESS;
	hook->peer_ingress.priv = hook;
	err = nf_register_net_hook(dev_net(dev), &hook->egress);
	if (err) {
		kfree(hook);
		return err;
	}
	list_add(&hook->list, &all_hooks);
	err = hook_peer(hook);
	if (err)
		unhook_device(hook);
	return err;
}

/*
 * Whether every frame of @dev passes one of our hooks. Not those of a
 * physical device (AF_XDP in zero-copy mode builds no frame for any hook
 * to see), nor of a device stacked on one in another namespace (macvlan,
 * ipvlan, a VLAN, a tunnel whose underlay is elsewhere), through which
 * AF_XDP frames would reach that namespace unjudged. A veth or netkit
 * pair's other end is hooked itself.
 */
static bool device_judgeable(struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;

	if (dev->flags & IFF_LOOPBACK || dev->netdev_ops->ndo_get_peer_dev)
		return true;
	if (!ops)
		return false;
	return !ops->get_link_net || net_eq(ops->get_link_net(dev), dev_net(dev));
}

/*
 * Brings the hooks of @dev, and those of the device at its other end, in
 * line with the namespaces they are in now. A device of a filtered
 * namespace that cannot be judged whole is refused.
 */
static int sync_device(struct net_device *dev)
{
	struct dev_hook *hook = hook_of(dev);
	struct net_device *peer;
	int err;

	if (hook) {
		err = hook_peer(hook);
	} else if (!devices_hooked(dev_net(dev)) ||
		   dev->flags & IFF_LOOPBACK) {
		err = 0;
	} else if (!device_judgeable(dev)) {
		pr_warn_ratelimited("%s refused in a filtered namespace: its frames could leave unjudged\n",
				    netdev_name(dev));
		err = -EOPNOTSUPP;
	} else {
		err = hook_device(dev);
	}
	if (err)
		return err;
	peer = peer_of(dev);
	hook = peer ? hook_of(peer) : NULL;
	return hook ? hook_peer(hook) : 0;
}

static void forget_device(struct net_device *dev)
{
	struct dev_hook *hook, *tmp;

	list_for_each_entry_safe(hook, tmp, &all_hooks, list) {
		if (hook->dev == dev)
			unhook_device(hook);
		else if (hook->peer_ingress.dev == dev)
			unhook_peer(hook);
	}
}

static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	ASSERT_RTNL();
	switch (event) {
	/*
	 * A device is hooked as it registers (or moves in); a veth pair is
	 * linked only after both ends registered, and its other end hooked
	 * before either can pass traffic.
	 */
	case NETDEV_REGISTER:
	case NETDEV_PRE_UP:
		return notifier_from_errno(sync_device(dev));
	case NETDEV_UNREGISTER:
		forget_device(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netdev_notifier = {
	.notifier_call = netdev_event,
};

/* Hooks every device of @net, now and as they come, or none. */
int sbxfw_devhooks_register(struct net *net)
{
	struct net_device *dev;
	int err;

	rtnl_lock();
	err = xa_err(xa_store(&filtered_nets, net->ns.inum, net, GFP_KERNEL));
	if (!err) {
		for_each_netdev(net, dev) {
			err = sync_device(dev);
			if (err)
				break;
		}
	}
	rtnl_unlock();
	if (err)
		sbxfw_devhooks_unregister(net);
	return err;
}

void sbxfw_devhooks_unregister(struct net *net)
{
	struct dev_hook *hook, *tmp;

	rtnl_lock();
	xa_erase(&filtered_nets, net->ns.inum);
	list_for_each_entry_safe(hook, tmp, &all_hooks, list)
		if (net_eq(dev_net(hook->dev), net))
			unhook_device(hook);
	rtnl_unlock();
}

int __init sbxfw_devhooks_init(void)
{
	return register_netdevice_notifier(&netdev_notifier);
}

void sbxfw_devhooks_exit(void)
{
	/* Policies, and so device hooks, went first (main.c). */
	unregister_netdevice_notifier(&netdev_notifier);
	WARN_ON_ONCE(!list_empty(&all_hooks) || !xa_empty(&filtered_nets));
}
