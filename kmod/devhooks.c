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
 * come up, move between namespaces and go; a device that cannot be hooked
 * is refused (registration or bring-up fails) rather than left open.
 *
 * IPv4 and IPv6 frames are judged on the packet they carry; ARP passes, as
 * nothing works without it and it cannot leave the link; anything else
 * (VLAN tags, other ethertypes, link types we cannot parse) passes only
 * under allow-all. Denied frames are dropped: there is no socket to tell.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
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
 * On the other end of a sandbox's device, in another namespace: judges,
 * with the sandbox's policy, frames that a socket of the sandbox other
 * than an IP one wrote (AF_XDP, AF_PACKET). Receiving pulled the link
 * header and set the protocol from the frame's own bytes.
 */
static unsigned int hook_peer_ingress(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	const struct dev_hook *hook = priv;
	struct nf_hook_state sandbox = *state;
	const struct sock *sk = skb->sk;

	sandbox.net = dev_net(hook->dev);
	if (!sk || sk->sk_family == AF_INET || sk->sk_family == AF_INET6 ||
	    !net_eq(sock_net(sk), sandbox.net))
		return NF_ACCEPT;
	sandbox.in = NULL;
	sandbox.out = hook->dev;
	if (skb_vlan_tag_present(skb))
		return sbxfw_judge_unclassified(&sandbox);
	return judge_frame(skb, &sandbox, skb->protocol, 0);
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
 * Brings the hooks of @dev, and those of the device at its other end, in
 * line with the namespaces they are in now.
 */
static int sync_device(struct net_device *dev)
{
	struct dev_hook *hook = hook_of(dev);
	struct net_device *peer;
	int err = 0;

	if (!hook && sbxfw_pernet(dev_net(dev))->devices_hooked &&
	    !(dev->flags & IFF_LOOPBACK))
		err = hook_device(dev);
	else if (hook)
		err = hook_peer(hook);
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
	int err = 0;

	rtnl_lock();
	sbxfw_pernet(net)->devices_hooked = true;
	for_each_netdev(net, dev) {
		err = sync_device(dev);
		if (err)
			break;
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
	sbxfw_pernet(net)->devices_hooked = false;
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
	/* Replays NETDEV_UNREGISTER everywhere, which unhooks every device. */
	unregister_netdevice_notifier(&netdev_notifier);
	WARN_ON_ONCE(!list_empty(&all_hooks));
}
