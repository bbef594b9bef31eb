// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry and per-network-namespace lifetime.
 *
 * Every namespace gets sbxfw state when it is created and loses it when it
 * is destroyed; the count of namespaces holding state is reported to the
 * control plane so tests can prove nothing outlives its namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>
#include <net/net_namespace.h>

#include "sbxfw.h"
#include "version.h"

static atomic_t netns_count = ATOMIC_INIT(0);

unsigned int sbxfw_netns_count(void)
{
	return atomic_read(&netns_count);
}

static int __net_init sbxfw_net_init(struct net *net)
{
	atomic_inc(&netns_count);
	return 0;
}

static void __net_exit sbxfw_net_exit(struct net *net)
{
	atomic_dec(&netns_count);
}

static struct pernet_operations sbxfw_net_ops = {
	.init = sbxfw_net_init,
	.exit = sbxfw_net_exit,
};

static int __init sbxfw_init(void)
{
	int err;

	err = register_pernet_subsys(&sbxfw_net_ops);
	if (err)
		return err;

	err = sbxfw_netlink_init();
	if (err)
		goto err_netlink;

	pr_info("version " SBXFW_VERSION " loaded\n");
	return 0;

err_netlink:
	unregister_pernet_subsys(&sbxfw_net_ops);
	return err;
}

static void __exit sbxfw_exit(void)
{
	sbxfw_netlink_exit();
	unregister_pernet_subsys(&sbxfw_net_ops);
}

module_init(sbxfw_init);
module_exit(sbxfw_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Egress firewall for code-execution sandboxes");
MODULE_VERSION(SBXFW_VERSION);
