// SPDX-License-Identifier: GPL-2.0
/*
 * The sbxfw generic netlink family.
 *
 * The family is reachable from every network namespace only so that a
 * caller inside a sandbox gets a plain EPERM instead of "no such family":
 * every operation needs CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM) and a socket in the initial network namespace
 * (pre_doit), so root inside a sandbox, even with its own user namespace,
 * can neither read nor change its policy.
 */
#include <net/genetlink.h>
#include <linux/sbxfw.h>

#include "compat.h"
#include "sbxfw.h"
#include "version.h"

/* Capabilities of this build, reported by SBXFW_CMD_GET_VERSION. */
static const char *const sbxfw_features[] = {
	"netns-stats",
};

static const struct nla_policy sbxfw_nl_policy[SBXFW_A_MAX + 1] = {
	[SBXFW_A_VERSION] = { .type = NLA_REJECT,
			      .reject_message = "version is reply-only" },
	[SBXFW_A_FEATURES] = { .type = NLA_REJECT,
			       .reject_message = "features are reply-only" },
	[SBXFW_A_STATS] = { .type = NLA_REJECT,
			    .reject_message = "stats are reply-only" },
	[SBXFW_A_PAD] = { .type = NLA_REJECT },
};

static struct genl_family sbxfw_genl_family;

static int sbxfw_nl_pre_doit(const struct sbxfw_genl_doit_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	if (!net_eq(genl_info_net(info), &init_net)) {
		NL_SET_ERR_MSG(info->extack,
			       "sbxfw is managed only from the initial network namespace");
		return -EPERM;
	}
	return 0;
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

static const struct genl_small_ops sbxfw_nl_ops[] = {
	{
		.cmd = SBXFW_CMD_GET_VERSION,
		.flags = GENL_ADMIN_PERM,
		.doit = sbxfw_nl_get_version,
	},
};

static struct genl_family sbxfw_genl_family __ro_after_init = {
	.name = SBXFW_GENL_NAME,
	.version = SBXFW_GENL_VERSION,
	.maxattr = SBXFW_A_MAX,
	.policy = sbxfw_nl_policy,
	.netnsok = true,
	.pre_doit = sbxfw_nl_pre_doit,
	.module = THIS_MODULE,
	.small_ops = sbxfw_nl_ops,
	.n_small_ops = ARRAY_SIZE(sbxfw_nl_ops),
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
