// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace's learned entries: a fixed array of RCU hash chains keyed by
 * address (seeded per table, as the addresses come from answers a resolver
 * chooses), holding one entry per (address, name). Lookups take no lock;
 * additions, which come only with DNS answers, and removals take the
 * table's own lock, which also keeps an age list: when the table is full,
 * the oldest dead entries go first, else the oldest entry.
 *
 * An entry keeps the name, not rule numbers, so that a swapped policy
 * judges it by its own patterns from the first packet on.
 */
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "learned.h"

#define BUCKETS_LOG	10	/* 16 entries a chain in a full table */
/* Entries a full table looks at for dead ones before evicting a live one. */
#define RECLAIM_SCAN	64

struct entry {
	struct hlist_node node;		/* in its chain, RCU */
	struct list_head age;		/* oldest first, under the lock */
	struct rcu_head rcu;
	unsigned long expires;		/* jiffies: the record's TTL */
	unsigned long used;		/* jiffies: idle end after its last packet */
	u8 family;
	u8 addr[16];
	u8 len;
	char name[];			/* NUL-terminated, @len bytes */
};

struct sbxfw_learned {
	spinlock_t lock;		/* writers */
	struct list_head age;
	unsigned int count;
	atomic_long_t evicted;
	u32 seed;
	struct hlist_head chains[1 << BUCKETS_LOG];
};

static unsigned int addr_len(u8 family)
{
	return family == 4 ? 4 : 16;
}

static struct hlist_head *chain(struct sbxfw_learned *learned, u8 family,
				const void *addr)
{
	u32 hash = jhash(addr, addr_len(family), learned->seed ^ family);

	return &learned->chains[hash >> (32 - BUCKETS_LOG)];
}

static bool holds(const struct entry *e, u8 family, const void *addr)
{
	return e->family == family && !memcmp(e->addr, addr, addr_len(family));
}

static bool alive(const struct entry *e, unsigned long now)
{
	return time_before(now, READ_ONCE(e->expires)) ||
	       time_before(now, READ_ONCE(e->used));
}

struct sbxfw_learned *sbxfw_learned_new(void)
{
	struct sbxfw_learned *learned;

	learned = kvzalloc(sizeof(*learned), GFP_KERNEL_ACCOUNT);
	if (!learned)
		return NULL;
	spin_lock_init(&learned->lock);
	INIT_LIST_HEAD(&learned->age);
	learned->seed = get_random_u32();
	return learned;
}

void sbxfw_learned_free(struct sbxfw_learned *learned)
{
	struct entry *e, *tmp;

	if (!learned)
		return;
	list_for_each_entry_safe(e, tmp, &learned->age, age)
		kfree(e);
	kvfree(learned);
}

/* With the lock held. */
static void remove(struct sbxfw_learned *learned, struct entry *e)
{
	hlist_del_rcu(&e->node);
	list_del(&e->age);
	learned->count--;
	kfree_rcu(e, rcu);
}

/* With the lock held, in a full table: frees at least one entry. */
static void make_room(struct sbxfw_learned *learned, unsigned long now)
{
	struct entry *e, *tmp;
	unsigned int seen = 0, freed = 0;

	list_for_each_entry_safe(e, tmp, &learned->age, age) {
		if (++seen > RECLAIM_SCAN)
			break;
		if (!alive(e, now)) {
			remove(learned, e);
			freed++;
		}
	}
	if (freed)
		return;
	e = list_first_entry(&learned->age, struct entry, age);
	remove(learned, e);
	atomic_long_inc(&learned->evicted);
}

bool sbxfw_learned_add(struct sbxfw_learned *learned,
		       const struct sbxfw_policy *policy, u8 family,
		       const void *addr, const char *name, size_t len,
		       u32 ttl)
{
	unsigned long now = jiffies, expires;
	struct entry *e, *oldest = NULL;
	struct hlist_head *head;
	unsigned int names = 0;
	bool ok = true;

	if (len > SBXFW_MAX_DOMAIN_LEN)
		return false;
	ttl = clamp_t(u32, ttl, policy->dns.min_ttl, policy->dns.max_ttl);
	expires = now + ttl * HZ;
	head = chain(learned, family, addr);

	spin_lock_bh(&learned->lock);
	hlist_for_each_entry(e, head, node) {
		if (!holds(e, family, addr))
			continue;
		if (e->len == len && !memcmp(e->name, name, len)) {
			/* Answered again: it lives on, and is young again. */
			if (time_after(expires, e->expires))
				WRITE_ONCE(e->expires, expires);
			list_move_tail(&e->age, &learned->age);
			goto out;
		}
		names++;
		if (!oldest || time_before(e->expires, oldest->expires))
			oldest = e;
	}
	if (names >= SBXFW_LEARNED_NAMES_PER_ADDR) {
		remove(learned, oldest);
		atomic_long_inc(&learned->evicted);
	}
	/* Pruning before a swap brought the table within the new bound. */
	if (learned->count >= policy->dns.max_learned)
		make_room(learned, now);
	e = kmalloc(struct_size(e, name, len + 1), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		ok = false;
		goto out;
	}
	e->expires = expires;
	e->used = now;
	e->family = family;
	memset(e->addr, 0, sizeof(e->addr));
	memcpy(e->addr, addr, addr_len(family));
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	list_add_tail(&e->age, &learned->age);
	learned->count++;
	hlist_add_head_rcu(&e->node, head);
out:
	spin_unlock_bh(&learned->lock);
	return ok;
}

bool sbxfw_learned_rules(struct sbxfw_learned *learned,
			 const struct sbxfw_policy *policy, u8 family,
			 const void *addr, struct sbxfw_rule_set *rules)
{
	unsigned long now = jiffies, idle_end = now + SBXFW_LEARNED_IDLE * HZ;
	struct entry *e;
	bool any = false;

	hlist_for_each_entry_rcu(e, chain(learned, family, addr), node) {
		if (!holds(e, family, addr) || !alive(e, now) ||
		    !sbxfw_domains_match(policy->domains, e->name, e->len,
					 rules))
			continue;
		any = true;
		/* At most once a second, so that busy flows share the line. */
		if (time_after(idle_end, READ_ONCE(e->used) + HZ))
			WRITE_ONCE(e->used, idle_end);
	}
	return any;
}

void sbxfw_learned_prune(struct sbxfw_learned *learned,
			 const struct sbxfw_policy *policy)
{
	unsigned long now = jiffies;
	struct entry *e, *tmp;
	int rule;

	if (!learned)
		return;
	spin_lock_bh(&learned->lock);
	list_for_each_entry_safe(e, tmp, &learned->age, age) {
		if (!policy || !alive(e, now) ||
		    sbxfw_policy_eval_name(policy, e->name, e->len, &rule) !=
		    SBXFW_ACTION_ALLOW ||
		    sbxfw_policy_rebinds(policy, e->family, e->addr))
			remove(learned, e);
	}
	/* Within the new policy's bound, so that no answer has to trim. */
	while (policy && learned->count > policy->dns.max_learned)
		make_room(learned, now);
	spin_unlock_bh(&learned->lock);
}

bool sbxfw_learned_next(struct sbxfw_learned *learned, u64 *pos,
			struct sbxfw_learned_info *info)
{
	u32 bucket = *pos >> 32, index = (u32)*pos, i;
	unsigned long now = jiffies, end;
	struct entry *e;

	for (; bucket < ARRAY_SIZE(learned->chains); bucket++, index = 0) {
		i = 0;
		hlist_for_each_entry_rcu(e, &learned->chains[bucket], node) {
			if (i++ < index || !alive(e, now))
				continue;
			info->family = e->family;
			memcpy(info->addr, e->addr, sizeof(info->addr));
			memcpy(info->name, e->name, e->len + 1);
			end = READ_ONCE(e->expires);
			if (time_after(READ_ONCE(e->used), end))
				end = READ_ONCE(e->used);
			info->expires = jiffies_to_msecs(end - now) / 1000;
			*pos = (u64)bucket << 32 | i;
			return true;
		}
	}
	*pos = (u64)bucket << 32;
	return false;
}

unsigned int sbxfw_learned_count(const struct sbxfw_learned *learned)
{
	return learned ? READ_ONCE(learned->count) : 0;
}

unsigned long sbxfw_learned_evicted(const struct sbxfw_learned *learned)
{
	return learned ? atomic_long_read(&learned->evicted) : 0;
}
