// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: the published policy and its generation,
 * and the netfilter hooks, which are registered only while the namespace
 * has a policy that filters anything, so every other namespace pays
 * nothing on its packet path.
 */
#include <linux/atomic.h>
#include <linux/slab.h>

#include "sbxfw.h"
#include "upload.h"

unsigned int sbxfw_net_id __read_mostly;
static atomic_t netns_count = ATOMIC_INIT(0);
static atomic_t changes = ATOMIC_INIT(0);
static struct workqueue_struct *free_wq;

unsigned int sbxfw_netns_count(void)
{
	return atomic_read(&netns_count);
}

/* Grows with every policy change in any netns (dump consistency). */
unsigned int sbxfw_changes(void)
{
	return atomic_read(&changes);
}

static void active_free(struct work_struct *work)
{
	struct sbxfw_active *active =
		container_of(to_rcu_work(work), struct sbxfw_active, free_work);

	sbxfw_policy_free(active->policy);
	kfree(active);
}

void sbxfw_active_put(struct sbxfw_active *active)
{
	if (active && refcount_dec_and_test(&active->refs)) {
		INIT_RCU_WORK(&active->free_work, active_free);
		queue_rcu_work(free_wq, &active->free_work);
	}
}

/* A reference on the current policy of @net, or NULL. */
struct sbxfw_active *sbxfw_active_get(struct net *net)
{
	struct sbxfw_active *active;

	rcu_read_lock();
	active = rcu_dereference(sbxfw_pernet(net)->active);
	if (active && !refcount_inc_not_zero(&active->refs))
		active = NULL;
	rcu_read_unlock();
	return active;
}

static int set_hooks(struct net *net, struct sbxfw_net *sn, bool want)
{
	int err = 0;

	lockdep_assert_held(&sn->lock);
	if (want == sn->hooked)
		return 0;
	if (want)
		err = sbxfw_hooks_register(net);
	else
		sbxfw_hooks_unregister(net);
	if (!err)
		sn->hooked = want;
	return err;
}

/*
 * Makes @policy the current one of @net and retires the old one; readers
 * see either, never a mix. On success the policy belongs to @net, on
 * error it stays the caller's and nothing changed.
 */
int sbxfw_publish(struct net *net, struct sbxfw_policy *policy)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);
	bool filters = policy->mode != SBXFW_MODE_ALLOW_ALL;
	struct sbxfw_active *active, *old;
	struct sbxfw_learned *learned;
	int err;

	lockdep_assert_held(&sn->lock);
	active = kzalloc(sizeof(*active), GFP_KERNEL_ACCOUNT);
	if (unlikely(!active))
		return -ENOMEM;
	active->policy = policy;
	active->generation = sn->generation + 1;
	refcount_set(&active->refs, 1);

	/* Hooks go in before a filtering policy is visible, out after. */
	if (filters) {
		err = set_hooks(net, sn, true);
		if (err) {
			kfree(active);
			return err;
		}
		/*
		 * What the new policy refuses is forgotten (and so cut), and
		 * the table is within its bound before any answer meets it.
		 */
		learned = rcu_dereference_protected(sn->learned,
						    lockdep_is_held(&sn->lock));
		sbxfw_learned_prune(learned, policy);
	}
	old = rcu_replace_pointer(sn->active, active,
				  lockdep_is_held(&sn->lock));
	sn->generation++;
	atomic_inc(&changes);
	if (!filters)
		set_hooks(net, sn, false);
	sbxfw_active_put(old);
	return 0;
}

/* Removes the policy of @net: no filtering from now on. */
int sbxfw_unpublish(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);
	struct sbxfw_active *old;

	lockdep_assert_held(&sn->lock);
	old = rcu_dereference_protected(sn->active, lockdep_is_held(&sn->lock));
	if (!old)
		return -ENOENT;
	/* Unregistering waits for packets in flight through the hooks. */
	set_hooks(net, sn, false);
	RCU_INIT_POINTER(sn->active, NULL);
	sn->generation++;
	atomic_inc(&changes);
	sbxfw_active_put(old);
	return 0;
}

static int __net_init sbxfw_net_init(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);

	mutex_init(&sn->lock);
	atomic_inc(&netns_count);
	return 0;
}

static void __net_exit sbxfw_net_exit(struct net *net)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);

	sbxfw_upload_drop_netns(net);
	mutex_lock(&sn->lock);
	if (rcu_access_pointer(sn->active))
		sbxfw_unpublish(net);
	mutex_unlock(&sn->lock);
	mutex_destroy(&sn->lock);
	atomic_dec(&netns_count);
}

static struct pernet_operations sbxfw_net_ops = {
	.init = sbxfw_net_init,
	.exit = sbxfw_net_exit,
	.id = &sbxfw_net_id,
	.size = sizeof(struct sbxfw_net),
};

int __init sbxfw_netns_init(void)
{
	int err;

	free_wq = alloc_workqueue("sbxfw_free", WQ_UNBOUND, 0);
	if (!free_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&sbxfw_net_ops);
	if (err)
		destroy_workqueue(free_wq);
	return err;
}

void sbxfw_netns_exit(void)
{
	unregister_pernet_subsys(&sbxfw_net_ops);
	/* Grace periods of retired policies, then their queued frees. */
	rcu_barrier();
	destroy_workqueue(free_wq);
}
