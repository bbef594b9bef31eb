// SPDX-License-Identifier: GPL-2.0
/*
 * The learned-entry commands of the sbxfw family: dump one netns's learned
 * entries, and flush them. Flushing cuts the flows that only a learned
 * entry allowed, exactly as the entry's expiry would.
 */
#include <linux/sbxfw.h>

#include "learned.h"
#include "netlink.h"
#include "sbxfw.h"

/* Get: the netns (a reference) and the table position reached. */
struct learned_cursor {
	struct net *net;
	u64 pos;
};

static struct learned_cursor *learned_cursor(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct learned_cursor) > sizeof(cb->ctx));
	return (struct learned_cursor *)cb->ctx;
}

int sbxfw_nl_learned_get_start(struct netlink_callback *cb)
{
	struct learned_cursor *cur = learned_cursor(cb);
	struct net *net = sbxfw_nl_dump_target(cb);

	if (IS_ERR(net))
		return PTR_ERR(net);
	if (!rcu_access_pointer(sbxfw_pernet(net)->active)) {
		put_net(net);
		NL_SET_ERR_MSG(cb->extack, "the netns has no policy");
		return -ENOENT;
	}
	cur->net = net;
	cur->pos = 0;
	return 0;
}

int sbxfw_nl_learned_get_done(struct netlink_callback *cb)
{
	struct learned_cursor *cur = learned_cursor(cb);

	if (cur->net)
		put_net(cur->net);
	return 0;
}

/* @policy: the current one, or NULL. */
static int put_entry(struct sk_buff *skb, const struct sbxfw_learned_info *info,
		     const struct sbxfw_policy *policy)
{
	struct nlattr *nest = nla_nest_start(skb, SBXFW_A_LEARNED);
	int rule = SBXFW_VERDICT_DEFAULT;

	if (policy)
		sbxfw_policy_eval_name(policy, info->name, strlen(info->name),
				       &rule);
	if (!nest ||
	    nla_put(skb, SBXFW_LEARNED_A_ADDR, info->family == 4 ? 4 : 16,
		    info->addr) ||
	    nla_put_string(skb, SBXFW_LEARNED_A_NAME, info->name) ||
	    nla_put_u32(skb, SBXFW_LEARNED_A_EXPIRES, info->expires) ||
	    (rule >= 0 && nla_put_u32(skb, SBXFW_LEARNED_A_RULE, rule)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int sbxfw_nl_learned_get_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct learned_cursor *cur = learned_cursor(cb);
	struct sbxfw_net *sn = sbxfw_pernet(cur->net);
	const struct sbxfw_active *active;
	struct sbxfw_learned_info info;
	struct sbxfw_learned *learned;
	u64 pos = cur->pos;
	void *hdr;

	rcu_read_lock();
	learned = rcu_dereference(sn->learned);
	active = rcu_dereference(sn->active);
	while (learned && sbxfw_learned_next(learned, &pos, &info)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &sbxfw_genl_family,
				  NLM_F_MULTI, SBXFW_CMD_LEARNED_GET);
		if (!hdr)
			break;
		if (put_entry(skb, &info, active ? active->policy : NULL)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cur->pos = pos;
	}
	rcu_read_unlock();
	return skb->len;
}

int sbxfw_nl_learned_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sbxfw_learned *learned;
	struct sbxfw_net *sn;
	struct net *net;
	int err = 0;

	net = sbxfw_nl_target(info->attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	sn = sbxfw_pernet(net);
	mutex_lock(&sn->lock);
	learned = rcu_dereference_protected(sn->learned,
					    lockdep_is_held(&sn->lock));
	if (rcu_access_pointer(sn->active)) {
		sbxfw_learned_prune(learned, NULL);
	} else {
		NL_SET_ERR_MSG(info->extack, "the netns has no policy");
		err = -ENOENT;
	}
	mutex_unlock(&sn->lock);
	put_net(net);
	return err;
}
