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

/*
 * Brackets the synchronous sending of a rejection, which the hooks then let
 * pass on this CPU (bottom halves are off in between).
 */
void sbxfw_reject_begin(void);
void sbxfw_reject_end(void);

/* devhooks.c */
int sbxfw_devhooks_init(void);
void sbxfw_devhooks_exit(void);
int sbxfw_devhooks_register(struct net *net);
void sbxfw_devhooks_unregister(struct net *net);
void sbxfw_reject_bridged(struct sk_buff *skb,
			  const struct nf_hook_state *state, u8 family,
			  bool tcp);

#endif /* _SBXFW_HOOKS_H */
