/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policies that arrive in several POLICY_SET messages.
 */
#ifndef _SBXFW_UPLOAD_H
#define _SBXFW_UPLOAD_H

#include <linux/list.h>
#include <net/net_namespace.h>

#include "policy.h"

/*
 * A policy being assembled for one netns by one netlink socket. Its lists
 * grow by doubling; the capacities live here, not in the spec.
 */
struct sbxfw_upload {
	struct list_head list;
	struct net *net;		/* no reference: dropped at netns exit */
	u32 portid;
	bool check_generation;
	u64 generation;			/* expected, if check_generation */
	struct sbxfw_policy_spec spec;
	u32 ncidrs;			/* both families, all rules */
	u32 ndomains;
	u32 cap4[SBXFW_MAX_RULES];
	u32 cap6[SBXFW_MAX_RULES];
	u32 capd[SBXFW_MAX_RULES];
};

int sbxfw_upload_init(void);
void sbxfw_upload_exit(void);

/*
 * The caller holds the upload lock (sbxfw_upload_lock/unlock) across a
 * whole message: begin or find, fill, then finish or abort.
 */
void sbxfw_upload_lock(void);
void sbxfw_upload_unlock(void);
int sbxfw_upload_begin(struct net *net, u32 portid,
		       struct sbxfw_upload **uploadp);
struct sbxfw_upload *sbxfw_upload_find(struct net *net, u32 portid);
void sbxfw_upload_free(struct sbxfw_upload *upload);

/* Drops what a namespace being dismantled had in progress. */
void sbxfw_upload_drop_netns(struct net *net);

#endif /* _SBXFW_UPLOAD_H */
