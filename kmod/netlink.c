// SPDX-License-Identifier: GPL-2.0
/*
 * The sbxfw generic netlink family: its operations, attribute policies,
 * the access rule, and the version command.
 *
 * The family is reachable from every network namespace only so that a
 * caller inside a sandbox gets a plain EPERM instead of "no such family":
 * every operation needs CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM) and a socket in the initial network namespace
 * (pre_doit for requests, each dump's start for dumps), so root inside a
 * sandbox, even with its own user namespace, can neither read nor change
 * its policy.
 */
#include <linux/sbxfw.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "sbxfw.h"
#include "version.h"

/* Capabilities of this build, reported by SBXFW_CMD_GET_VERSION. */
static const char *const sbxfw_features[] = {
	"netns-stats",
	"policy",
	"ipv6",
	"raw-frames",	/* AF_PACKET, AF_XDP and bridged frames are judged */
	"ingress",	/* ingress rules, at LOCAL_IN, with sbxfw's own flows */
	"dns",		/* domain patterns enforced through DNS, learned entries */
};

static const struct nla_policy sbxfw_nl_policy[SBXFW_A_MAX + 1] = {
	[SBXFW_A_VERSION] = { .type = NLA_REJECT,
			      .reject_message = "version is reply-only" },
	[SBXFW_A_FEATURES] = { .type = NLA_REJECT,
			       .reject_message = "features are reply-only" },
	[SBXFW_A_STATS] = { .type = NLA_REJECT,
			    .reject_message = "stats are reply-only" },
	[SBXFW_A_PAD] = { .type = NLA_REJECT },
	[SBXFW_A_NETNS_FD] = { .type = NLA_U32 },
	[SBXFW_A_NETNS_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SBXFW_A_NETNS_ID] = { .type = NLA_REJECT,
			       .reject_message = "netns id is reply-only" },
	[SBXFW_A_GENERATION] = { .type = NLA_U64 },
	[SBXFW_A_SET_FLAGS] = NLA_POLICY_MASK(NLA_U32, SBXFW_SET_F_ALL),
	[SBXFW_A_POLICY] = NLA_POLICY_NESTED(sbxfw_nl_policy_policy),
	[SBXFW_A_LEARNED] = { .type = NLA_REJECT,
			      .reject_message = "learned entries are reply-only" },
};

static bool from_init_net(const struct sock *sk, struct netlink_ext_ack *extack)
{
	if (net_eq(sock_net(sk), &init_net))
		return true;
	NL_SET_ERR_MSG(extack,
		       "sbxfw is managed only from the initial network namespace");
	return false;
}

static int sbxfw_nl_pre_doit(const struct sbxfw_genl_doit_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	return from_init_net(skb->sk, info->extack) ? 0 : -EPERM;
}

int sbxfw_nl_dump_permitted(struct netlink_callback *cb)
{
	return from_init_net(cb->skb->sk, cb->extack) ? 0 : -EPERM;
}

struct net *sbxfw_nl_dump_target(struct netlink_callback *cb)
{
	int err = sbxfw_nl_dump_permitted(cb);

	if (err)
		return ERR_PTR(err);
	return sbxfw_nl_target(sbxfw_dump_attrs(cb), cb->extack);
}

/*
 * The network namespace a request names, with a reference. The initial
 * namespace is the host's: sbxfw never filters it.
 */
struct net *sbxfw_nl_target(struct nlattr **attrs,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *fd = attrs[SBXFW_A_NETNS_FD];
	struct nlattr *pid = attrs[SBXFW_A_NETNS_PID];
	struct net *net;

	if (fd && pid) {
		NL_SET_ERR_MSG_ATTR(extack, pid,
				    "name the netns by fd or by pid, not both");
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		net = get_net_ns_by_fd(nla_get_u32(fd));
		if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(extack, fd,
					    "the fd is not a network namespace");
	} else if (pid) {
		net = get_net_ns_by_pid(nla_get_u32(pid));
		if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(extack, pid, "no process with that pid");
	} else {
		NL_SET_ERR_MSG(extack, "no target netns: give its fd or a pid");
		return ERR_PTR(-EINVAL);
	}
	if (!IS_ERR(net) && net_eq(net, &init_net)) {
		put_net(net);
		NL_SET_ERR_MSG(extack,
			       "sbxfw does not filter the initial network namespace");
		return ERR_PTR(-EINVAL);
	}
	return net;
}

static int put_features(struct sk_buff *msg)
{
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(msg, SBXFW_A_FEATURES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(sbxfw_features); i++)
		if (nla_put_string(msg, SBXFW_A_FEATURE, sbxfw_features[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_stats(struct sk_buff *msg)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SBXFW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SBXFW_A_STAT_NETNS, sbxfw_netns_count()))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int sbxfw_nl_get_version(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (unlikely(!msg))
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &sbxfw_genl_family, 0,
				SBXFW_CMD_GET_VERSION);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_msg;
	}

	err = -EMSGSIZE;
	if (nla_put_string(msg, SBXFW_A_VERSION, SBXFW_VERSION))
		goto err_msg;
	err = put_features(msg);
	if (err)
		goto err_msg;
	err = put_stats(msg);
	if (err)
		goto err_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return err;
}

static const struct genl_ops sbxfw_nl_ops[] = {
	{
		.cmd = SBXFW_CMD_GET_VERSION,
		.flags = GENL_ADMIN_PERM,
		.doit = sbxfw_nl_get_version,
	},
	{
		.cmd = SBXFW_CMD_POLICY_SET,
		.flags = GENL_ADMIN_PERM,
		.doit = sbxfw_nl_policy_set,
	},
	{
		.cmd = SBXFW_CMD_POLICY_GET,
		.flags = GENL_ADMIN_PERM,
		.start = sbxfw_nl_policy_get_start,
		.dumpit = sbxfw_nl_policy_get_dump,
		.done = sbxfw_nl_policy_get_done,
	},
	{
		.cmd = SBXFW_CMD_POLICY_DEL,
		.flags = GENL_ADMIN_PERM,
		.doit = sbxfw_nl_policy_del,
	},
	{
		.cmd = SBXFW_CMD_POLICY_LIST,
		.flags = GENL_ADMIN_PERM,
		.start = sbxfw_nl_dump_permitted,
		.dumpit = sbxfw_nl_policy_list_dump,
	},
	{
		.cmd = SBXFW_CMD_LEARNED_GET,
		.flags = GENL_ADMIN_PERM,
		.start = sbxfw_nl_learned_get_start,
		.dumpit = sbxfw_nl_learned_get_dump,
		.done = sbxfw_nl_learned_get_done,
	},
	{
		.cmd = SBXFW_CMD_LEARNED_FLUSH,
		.flags = GENL_ADMIN_PERM,
		.doit = sbxfw_nl_learned_flush,
	},
};

struct genl_family sbxfw_genl_family __ro_after_init = {
	.name = SBXFW_GENL_NAME,
	.version = SBXFW_GENL_VERSION,
	.maxattr = SBXFW_A_MAX,
	.policy = sbxfw_nl_policy,
	.netnsok = true,
	.pre_doit = sbxfw_nl_pre_doit,
	.module = THIS_MODULE,
	.ops = sbxfw_nl_ops,
	.n_ops = ARRAY_SIZE(sbxfw_nl_ops),
	.resv_start_op = SBXFW_CMD_GET_VERSION,
};

int __init sbxfw_netlink_init(void)
{
	return genl_register_family(&sbxfw_genl_family);
}

void sbxfw_netlink_exit(void)
{
	genl_unregister_family(&sbxfw_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(SBXFW_GENL_NAME);
