/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Judging a packet, shared by the IP hooks (hooks.c) and the device
 * egress hooks (devhooks.c). Each returns a netfilter verdict; the
 * packet's network header must point at its IP header.
 */
#ifndef _SBXFW_HOOKS_H
#define _SBXFW_HOOKS_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

unsigned int sbxfw_judge_ipv4(struct sk_buff *skb,
			      const struct nf_hook_state *state);
unsigned int sbxfw_judge_ipv6(struct sk_buff *skb,
			      const struct nf_hook_state *state);
unsigned int sbxfw_judge_unclassified(const struct nf_hook_state *state);

/* devhooks.c */
int sbxfw_devhooks_init(void);
void sbxfw_devhooks_exit(void);
int sbxfw_devhooks_register(struct net *net);
void sbxfw_devhooks_unregister(struct net *net);

#endif /* _SBXFW_HOOKS_H */
