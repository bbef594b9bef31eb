// SPDX-License-Identifier: GPL-2.0
/*
 * A filtered namespace's flow table: an rhashtable (seeded per table, so a
 * sandbox cannot aim its flows at one bucket) of fixed-size entries, read
 * under RCU by the hooks and written from them with GFP_ATOMIC. At most
 * SBXFW_MAX_FLOWS live at once; a delayed work, queued only while there
 * are flows, removes the idle ones and frees them after a grace period.
 *
 * An entry that expired but was not swept yet counts as absent, and a
 * flow that comes back to life starts with only the origin that revived
 * it, so an old inbound flow never lends its rights to a new one.
 */
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "flow.h"

#define SWEEP_INTERVAL		(10 * HZ)
/* Entries a sweep looks at between two chances to reschedule. */
#define SWEEP_BATCH		1024

/* Bits of sbxfw_flow.flags besides BIT(enum sbxfw_flow_origin). */
#define FLOW_ANSWERED		2	/* the sandbox answered its peer */

struct sbxfw_flow {
	struct rhash_head node;
	struct sbxfw_flow_key key;
	unsigned long expires;		/* jiffies */
	unsigned long flags;		/* origins, FLOW_ANSWERED */
	u8 life;			/* enum sbxfw_flow_life */
	unsigned int next_query;	/* slot the next query takes */
	u64 queries[SBXFW_FLOW_QUERIES];	/* outstanding, 0: free */
	u64 stream;			/* see stream_state(), 0: unknown */
	struct rcu_head rcu;
};

struct sbxfw_flows {
	struct rhashtable table;
	atomic_t count;
	atomic_long_t refused;		/* by a full table or no memory */
	unsigned long last_kick;	/* jiffies: early sweep of a full table */
	struct delayed_work sweep;
};

static const struct rhashtable_params flow_params = {
	.head_offset = offsetof(struct sbxfw_flow, node),
	.key_offset = offsetof(struct sbxfw_flow, key),
	.key_len = sizeof(struct sbxfw_flow_key),
	.automatic_shrinking = true,
};

static const unsigned long lifetimes[] = {
	[SBXFW_FLOW_DATAGRAM] = 30 * HZ,
	[SBXFW_FLOW_START] = 60 * HZ,
	[SBXFW_FLOW_OPEN] = 2 * 60 * 60 * HZ,
	[SBXFW_FLOW_CLOSING] = 2 * 60 * HZ,
	[SBXFW_FLOW_RESET] = 10 * HZ,
};

static bool expired(const struct sbxfw_flow *f)
{
	return time_after(jiffies, READ_ONCE(f->expires));
}

/*
 * Moves the flow's end for a packet that says @life. Only the opener's
 * packets may push it out (@extend); the other side's may only bring it
 * closer (a FIN, a RST), so a sandbox cannot keep alive, alone, a flow a
 * peer opened. Writes only when the end moves by a second or more or the
 * flow changes state, so busy flows do not bounce its line.
 */
static void refresh(struct sbxfw_flow *f, enum sbxfw_flow_life life,
		    bool extend)
{
	enum sbxfw_flow_life now = READ_ONCE(f->life);
	unsigned long expires, end = READ_ONCE(f->expires);

	if (life < now && (life != SBXFW_FLOW_START || !extend))
		life = now;
	expires = jiffies + lifetimes[life];
	if (!extend && time_after(expires, end))
		return;
	if (life != now)
		WRITE_ONCE(f->life, life);
	else if (!time_after(expires, end + HZ) && extend)
		return;
	WRITE_ONCE(f->expires, expires);
}

static void sweep(struct work_struct *work)
{
	struct sbxfw_flows *flows =
		container_of(to_delayed_work(work), struct sbxfw_flows, sweep);
	struct rhashtable_iter iter;
	struct sbxfw_flow *f;
	unsigned int seen = 0;

	rhashtable_walk_enter(&flows->table, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f)) {
			if (PTR_ERR(f) == -EAGAIN)	/* resized: go on */
				continue;
			break;
		}
		if (expired(f) &&
		    !rhashtable_remove_fast(&flows->table, &f->node,
					    flow_params)) {
			atomic_dec(&flows->count);
			kfree_rcu(f, rcu);
		}
		if (++seen % SWEEP_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	if (atomic_read(&flows->count))
		queue_delayed_work(system_power_efficient_wq, &flows->sweep,
				   SWEEP_INTERVAL);
}

struct sbxfw_flows *sbxfw_flows_new(void)
{
	struct sbxfw_flows *flows;

	flows = kzalloc(sizeof(*flows), GFP_KERNEL_ACCOUNT);
	if (!flows)
		return NULL;
	if (rhashtable_init(&flows->table, &flow_params)) {
		kfree(flows);
		return NULL;
	}
	INIT_DELAYED_WORK(&flows->sweep, sweep);
	flows->last_kick = jiffies - HZ;	/* a full table may kick at once */
	return flows;
}

static void free_flow(void *ptr, void *arg)
{
	kfree(ptr);
}

void sbxfw_flows_free(struct sbxfw_flows *flows)
{
	if (!flows)
		return;
	cancel_delayed_work_sync(&flows->sweep);
	rhashtable_free_and_destroy(&flows->table, free_flow, NULL);
	kfree(flows);
}

/* A full table is swept early, at most once a second. */
static void refuse(struct sbxfw_flows *flows)
{
	unsigned long last = READ_ONCE(flows->last_kick);

	atomic_long_inc(&flows->refused);
	if (time_after(jiffies, last + HZ) &&
	    cmpxchg(&flows->last_kick, last, jiffies) == last)
		mod_delayed_work(system_power_efficient_wq, &flows->sweep, 0);
}

static struct sbxfw_flow *insert(struct sbxfw_flows *flows,
				 const struct sbxfw_flow_key *key,
				 enum sbxfw_flow_origin origin,
				 enum sbxfw_flow_life life)
{
	struct sbxfw_flow *f, *old;
	int count;

	/* Peers may fill half the table; the sandbox's own flows, all. */
	count = atomic_inc_return(&flows->count);
	if (count > (origin == SBXFW_FLOW_INGRESS ? SBXFW_MAX_PEER_FLOWS :
						     SBXFW_MAX_FLOWS))
		goto refused;
	f = kmalloc(sizeof(*f), GFP_ATOMIC | __GFP_NOWARN);
	if (!f)
		goto refused;
	f->key = *key;
	f->next_query = 0;
	memset(f->queries, 0, sizeof(f->queries));
	f->stream = 0;
	f->flags = BIT(origin);
	f->life = life;
	f->expires = jiffies + lifetimes[f->life];
	old = rhashtable_lookup_get_insert_fast(&flows->table, &f->node,
						flow_params);
	if (old) {
		kfree(f);
		if (IS_ERR(old))	/* the table cannot grow now */
			goto refused;
		atomic_dec(&flows->count);	/* another CPU was first */
		return old;
	}
	/* Does nothing while a sweep is pending. */
	queue_delayed_work(system_power_efficient_wq, &flows->sweep,
			   SWEEP_INTERVAL);
	return f;

refused:
	atomic_dec(&flows->count);
	refuse(flows);
	return NULL;
}

static struct sbxfw_flow *note(struct sbxfw_flows *flows,
			       const struct sbxfw_flow_key *key,
			       enum sbxfw_flow_origin origin,
			       enum sbxfw_flow_life life)
{
	struct sbxfw_flow *f;

	f = rhashtable_lookup(&flows->table, key, flow_params);
	if (!f) {
		f = insert(flows, key, origin, life);
		if (!f)
			return NULL;
	}
	if (expired(f)) {
		unsigned int i;

		/* Revived: what it carried before is gone. */
		WRITE_ONCE(f->flags, BIT(origin));
		WRITE_ONCE(f->life, SBXFW_FLOW_DATAGRAM);
		for (i = 0; i < SBXFW_FLOW_QUERIES; i++)
			WRITE_ONCE(f->queries[i], 0);
		WRITE_ONCE(f->stream, 0);
	} else if (!test_bit(origin, &f->flags)) {
		set_bit(origin, &f->flags);
	}
	/*
	 * A peer's TCP flow stays at its first minute until the sandbox
	 * answered: spoofed SYNs, ACKs and FINs hold the table only that long.
	 */
	if ((life == SBXFW_FLOW_OPEN || life == SBXFW_FLOW_CLOSING) &&
	    origin == SBXFW_FLOW_INGRESS && !test_bit(FLOW_ANSWERED, &f->flags))
		life = SBXFW_FLOW_START;
	refresh(f, life, true);
	return f;
}

bool sbxfw_flow_note(struct sbxfw_flows *flows,
		     const struct sbxfw_flow_key *key,
		     enum sbxfw_flow_origin origin, enum sbxfw_flow_life life)
{
	return note(flows, key, origin, life);
}

bool sbxfw_flow_note_query(struct sbxfw_flows *flows,
			   const struct sbxfw_flow_key *key,
			   enum sbxfw_flow_life life, u64 tag)
{
	struct sbxfw_flow *f = note(flows, key, SBXFW_FLOW_EGRESS, life);
	unsigned int slot;

	if (!f)
		return false;
	/* Racing queries on one flow may take one slot: one is then lost. */
	slot = READ_ONCE(f->next_query) % SBXFW_FLOW_QUERIES;
	WRITE_ONCE(f->next_query, slot + 1);
	WRITE_ONCE(f->queries[slot], tag);
	return true;
}

static struct sbxfw_flow *live(struct sbxfw_flows *flows,
			       const struct sbxfw_flow_key *key,
			       enum sbxfw_flow_origin origin)
{
	struct sbxfw_flow *f;

	f = rhashtable_lookup(&flows->table, key, flow_params);
	return f && !expired(f) && test_bit(origin, &f->flags) ? f : NULL;
}

bool sbxfw_flow_exists(struct sbxfw_flows *flows,
		       const struct sbxfw_flow_key *key,
		       enum sbxfw_flow_origin origin)
{
	return live(flows, key, origin);
}

bool sbxfw_flow_find(struct sbxfw_flows *flows,
		     const struct sbxfw_flow_key *key,
		     enum sbxfw_flow_origin origin, enum sbxfw_flow_life life)
{
	struct sbxfw_flow *f = live(flows, key, origin);

	if (!f)
		return false;
	/* The answers of the side that did not open it. */
	if (origin == SBXFW_FLOW_INGRESS &&
	    !test_bit(FLOW_ANSWERED, &f->flags))
		set_bit(FLOW_ANSWERED, &f->flags);
	refresh(f, life, origin == SBXFW_FLOW_EGRESS);
	return true;
}

bool sbxfw_flow_take_query(struct sbxfw_flows *flows,
			   const struct sbxfw_flow_key *key, u64 tag)
{
	struct sbxfw_flow *f = live(flows, key, SBXFW_FLOW_EGRESS);
	unsigned int i;

	for (i = 0; f && i < SBXFW_FLOW_QUERIES; i++)
		if (READ_ONCE(f->queries[i]) == tag &&
		    cmpxchg64(&f->queries[i], tag, 0) == tag)
			return true;
	return false;
}

/* The last judged segment of a stream, and a bit that says it is known. */
static u64 stream_state(u32 seq, u16 len)
{
	return (u64)seq << 32 | (u64)len << 1 | 1;
}

bool sbxfw_flow_stream_open(struct sbxfw_flows *flows,
			    const struct sbxfw_flow_key *key,
			    enum sbxfw_flow_life life, u32 seq)
{
	struct sbxfw_flow *f = note(flows, key, SBXFW_FLOW_EGRESS, life);

	if (!f)
		return false;
	/*
	 * Once: a later SYN (the resolver ignores it inside a connection)
	 * must not move the stream's end back over judged bytes.
	 */
	cmpxchg64(&f->stream, 0, stream_state(seq, 0));
	return true;
}

bool sbxfw_flow_stream_claim(struct sbxfw_flows *flows,
			     const struct sbxfw_flow_key *key, u32 seq,
			     u16 len)
{
	struct sbxfw_flow *f = live(flows, key, SBXFW_FLOW_EGRESS);
	u32 last_seq, last_len;
	u64 old;

	if (!f)
		return false;
	old = READ_ONCE(f->stream);
	if (!(old & 1))
		return false;
	last_seq = old >> 32;
	last_len = (u16)(old >> 1);
	if (seq == last_seq && len <= last_len)
		return true;
	return seq == last_seq + last_len &&
	       cmpxchg64(&f->stream, old, stream_state(seq, len)) == old;
}

unsigned int sbxfw_flows_count(const struct sbxfw_flows *flows)
{
	return flows ? atomic_read(&flows->count) : 0;
}

unsigned long sbxfw_flows_refused(const struct sbxfw_flows *flows)
{
	return flows ? atomic_long_read(&flows->refused) : 0;
}
