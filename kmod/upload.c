// SPDX-License-Identifier: GPL-2.0
/*
 * Policies that arrive in several POLICY_SET messages are assembled here,
 * away from the namespace they are for, and published only when complete.
 * At most one upload per namespace is in progress; it belongs to the
 * netlink socket that began it and disappears with that socket, so a
 * crashed uploader leaves nothing behind.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "upload.h"

static LIST_HEAD(uploads);
static DEFINE_MUTEX(uploads_lock);

void sbxfw_upload_lock(void)
{
	mutex_lock(&uploads_lock);
}

void sbxfw_upload_unlock(void)
{
	mutex_unlock(&uploads_lock);
}

struct sbxfw_upload *sbxfw_upload_find(struct net *net, u32 portid)
{
	struct sbxfw_upload *upload;

	lockdep_assert_held(&uploads_lock);
	list_for_each_entry(upload, &uploads, list)
		if (upload->net == net && upload->portid == portid)
			return upload;
	return NULL;
}

void sbxfw_upload_free(struct sbxfw_upload *upload)
{
	lockdep_assert_held(&uploads_lock);
	list_del(&upload->list);
	sbxfw_spec_release(&upload->spec);
	kvfree(upload);
}

/*
 * Starts an upload for @net from @portid. A socket that starts again
 * abandons its earlier upload; another socket's upload makes it -EBUSY.
 */
int sbxfw_upload_begin(struct net *net, u32 portid,
		       struct sbxfw_upload **uploadp)
{
	struct sbxfw_upload *upload, *tmp;

	lockdep_assert_held(&uploads_lock);
	list_for_each_entry_safe(upload, tmp, &uploads, list) {
		if (upload->net != net)
			continue;
		if (upload->portid != portid)
			return -EBUSY;
		sbxfw_upload_free(upload);
	}
	upload = kvzalloc(sizeof(*upload), GFP_KERNEL_ACCOUNT);
	if (unlikely(!upload))
		return -ENOMEM;
	upload->net = net;
	upload->portid = portid;
	list_add(&upload->list, &uploads);
	*uploadp = upload;
	return 0;
}

void sbxfw_upload_drop_netns(struct net *net)
{
	struct sbxfw_upload *upload, *tmp;

	mutex_lock(&uploads_lock);
	list_for_each_entry_safe(upload, tmp, &uploads, list)
		if (upload->net == net)
			sbxfw_upload_free(upload);
	mutex_unlock(&uploads_lock);
}

/*
 * Uploaders talk from the initial namespace, so the socket's namespace is
 * not the upload's: match the port id in every namespace.
 */
static int upload_release(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;
	struct sbxfw_upload *upload, *tmp;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	mutex_lock(&uploads_lock);
	list_for_each_entry_safe(upload, tmp, &uploads, list)
		if (upload->portid == n->portid)
			sbxfw_upload_free(upload);
	mutex_unlock(&uploads_lock);
	return NOTIFY_DONE;
}

static struct notifier_block upload_notifier = {
	.notifier_call = upload_release,
};

int __init sbxfw_upload_init(void)
{
	return netlink_register_notifier(&upload_notifier);
}

void sbxfw_upload_exit(void)
{
	struct sbxfw_upload *upload, *tmp;

	netlink_unregister_notifier(&upload_notifier);
	mutex_lock(&uploads_lock);
	list_for_each_entry_safe(upload, tmp, &uploads, list)
		sbxfw_upload_free(upload);
	mutex_unlock(&uploads_lock);
}
