/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's files share with each other.
 */
#ifndef _SBXFW_H
#define _SBXFW_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "flow.h"
#include "learned.h"
#include "policy.h"

/*
 * A published policy. The netns holds one reference while it is current,
 * a running dump another; the last put frees it after an RCU grace period,
 * so the packet path never sees it go.
 */
struct sbxfw_active {
	struct sbxfw_policy *policy;
	u64 generation;
	refcount_t refs;
	struct rcu_work free_work;
};

/* Per network namespace state. */
struct sbxfw_net {
	struct sbxfw_active __rcu *active;	/* NULL: no policy */
	struct mutex lock;		/* serialises changes to this netns */
	u64 generation;			/* of the last change; never reused */
	bool hooked;			/* netfilter hooks registered here */
	/* Set while the hooks are registered; freed a grace period after. */
	struct sbxfw_flows __rcu *flows;
	struct sbxfw_learned __rcu *learned;
};

extern unsigned int sbxfw_net_id;

static inline struct sbxfw_net *sbxfw_pernet(const struct net *net)
{
	return net_generic(net, sbxfw_net_id);
}

/* netns.c */
int sbxfw_netns_init(void);
void sbxfw_netns_exit(void);
unsigned int sbxfw_netns_count(void);
unsigned int sbxfw_changes(void);
int sbxfw_publish(struct net *net, struct sbxfw_policy *policy);
int sbxfw_unpublish(struct net *net);
struct sbxfw_active *sbxfw_active_get(struct net *net);
void sbxfw_active_put(struct sbxfw_active *active);

/* hooks.c */
int sbxfw_hooks_register(struct net *net);
void sbxfw_hooks_unregister(struct net *net);

/* netlink.c */
int sbxfw_netlink_init(void);
void sbxfw_netlink_exit(void);

#endif /* _SBXFW_H */
