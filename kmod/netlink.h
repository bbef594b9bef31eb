/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the files that implement the sbxfw genetlink family.
 */
#ifndef _SBXFW_NETLINK_H
#define _SBXFW_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family sbxfw_genl_family;
extern const struct nla_policy sbxfw_nl_policy_policy[SBXFW_POLICY_A_MAX + 1];

struct net *sbxfw_nl_target(struct nlattr **attrs,
			    struct netlink_ext_ack *extack);
int sbxfw_nl_dump_permitted(struct netlink_callback *cb);
/* For a dump's start: may the caller dump, and the netns it names. */
struct net *sbxfw_nl_dump_target(struct netlink_callback *cb);

int sbxfw_nl_policy_set(struct sk_buff *skb, struct genl_info *info);
int sbxfw_nl_policy_del(struct sk_buff *skb, struct genl_info *info);
int sbxfw_nl_policy_get_start(struct netlink_callback *cb);
int sbxfw_nl_policy_get_dump(struct sk_buff *skb, struct netlink_callback *cb);
int sbxfw_nl_policy_get_done(struct netlink_callback *cb);
int sbxfw_nl_policy_list_dump(struct sk_buff *skb, struct netlink_callback *cb);

int sbxfw_nl_learned_get_start(struct netlink_callback *cb);
int sbxfw_nl_learned_get_dump(struct sk_buff *skb, struct netlink_callback *cb);
int sbxfw_nl_learned_get_done(struct netlink_callback *cb);
int sbxfw_nl_learned_flush(struct sk_buff *skb, struct genl_info *info);

#endif /* _SBXFW_NETLINK_H */
