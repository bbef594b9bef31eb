/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flows of one filtered namespace that its policy's rules alone cannot
 * tell apart from new traffic: what the peers of allowed inbound flows may
 * be answered on, and the datagram flows the sandbox opened whose answers
 * may come in. Built from sbxfw's own verdicts, never from conntrack,
 * which a sandbox may own.
 */
#ifndef _SBXFW_FLOW_H
#define _SBXFW_FLOW_H

#include <linux/types.h>

/*
 * Most flows one namespace holds at once; when full, nothing new is
 * recorded until the sweep frees expired ones (kmalloc-128 a flow).
 */
#define SBXFW_MAX_FLOWS		65536
/* Of which peers may open: a flood from outside leaves the rest free. */
#define SBXFW_MAX_PEER_FLOWS	(SBXFW_MAX_FLOWS / 2)

/* Who opened a flow; a flow may carry both. */
enum sbxfw_flow_origin {
	SBXFW_FLOW_EGRESS,	/* the sandbox */
	SBXFW_FLOW_INGRESS,	/* a peer, through an ingress rule */
};

/* A flow as the sandbox sees it; unused bytes are zero. */
struct sbxfw_flow_key {
	u8 local[16];		/* the sandbox's address */
	u8 peer[16];
	__be16 local_port;	/* ICMP echo: the identifier, in both */
	__be16 peer_port;
	u8 family;		/* 4 or 6 */
	u8 protocol;
	u8 forwarded;		/* a routed or bridged flow, not the netns's own */
	u8 pad;
};

/*
 * How long an idle flow lives, by what its packets said. A TCP flow only
 * moves on towards its end (a late ACK does not reopen a closing flow),
 * unless a SYN starts it again. Only a segment without SYN opens it for
 * long, so SYNs from spoofed sources hold the table for a minute only.
 */
enum sbxfw_flow_life {
	SBXFW_FLOW_DATAGRAM,	/* UDP, ICMP and others: 30 seconds */
	SBXFW_FLOW_START,	/* TCP SYN or SYN-ACK: 1 minute, from any state */
	SBXFW_FLOW_OPEN,	/* TCP: 2 hours, the keepalive interval */
	SBXFW_FLOW_CLOSING,	/* TCP after a FIN: 2 minutes */
	SBXFW_FLOW_RESET,	/* TCP after a RST: 10 seconds */
};

struct sbxfw_flows;

struct sbxfw_flows *sbxfw_flows_new(void);
/* Once no hook can run any more: frees every flow. */
void sbxfw_flows_free(struct sbxfw_flows *flows);

/*
 * Records that @origin may carry the flow on, for @life from now. Packet
 * path (RCU read side); false when the flow could not be recorded.
 */
bool sbxfw_flow_note(struct sbxfw_flows *flows,
		     const struct sbxfw_flow_key *key,
		     enum sbxfw_flow_origin origin, enum sbxfw_flow_life life);
/*
 * Whether a live flow opened by @origin exists, for a packet of the other
 * side that says @life: the sandbox's answers to a peer's flow mark it
 * answered but never extend it; a peer's answers to the sandbox's flow do.
 */
bool sbxfw_flow_find(struct sbxfw_flows *flows,
		     const struct sbxfw_flow_key *key,
		     enum sbxfw_flow_origin origin, enum sbxfw_flow_life life);

/*
 * DNS queries the sandbox sent on a flow and not yet seen answered, at
 * most this many at once (a stub resolver asks for A and AAAA together);
 * a further one replaces the oldest.
 */
#define SBXFW_FLOW_QUERIES	4

/*
 * sbxfw_flow_note for the sandbox's flow (SBXFW_FLOW_EGRESS) that also
 * remembers the query @tag (non-zero) on it.
 */
bool sbxfw_flow_note_query(struct sbxfw_flows *flows,
			   const struct sbxfw_flow_key *key,
			   enum sbxfw_flow_life life, u64 tag);
/*
 * Whether the sandbox's live flow @key has the query @tag outstanding;
 * an answer takes it, so a second answer to one query teaches nothing.
 */
bool sbxfw_flow_take_query(struct sbxfw_flows *flows,
			   const struct sbxfw_flow_key *key, u64 tag);

/*
 * The sandbox's TCP flows to resolvers are judged segment by segment, so
 * each segment must begin a message where the judged stream ends: a
 * segment that overlaps judged bytes could reframe the stream the
 * resolver reads. The flow keeps the last segment of queries judged.
 *
 * sbxfw_flow_stream_open: the stream begins at @seq (after the SYN), unless
 * the flow's stream is known already: a flow is one connection, so a
 * client that reuses its ports within the flow's life is not served.
 * sbxfw_flow_stream_claim: whether [@seq, @seq + @len) may be judged on
 * its own: it starts where the stream ends (and is claimed, so that a
 * racing segment cannot claim it too), or it starts the last judged
 * segment again (a retransmission, judged again) and ends within it.
 */
bool sbxfw_flow_stream_open(struct sbxfw_flows *flows,
			    const struct sbxfw_flow_key *key,
			    enum sbxfw_flow_life life, u32 seq);
bool sbxfw_flow_stream_claim(struct sbxfw_flows *flows,
			     const struct sbxfw_flow_key *key, u32 seq,
			     u16 len);

/* Whether a live flow opened by @origin exists; changes nothing. */
bool sbxfw_flow_exists(struct sbxfw_flows *flows,
		       const struct sbxfw_flow_key *key,
		       enum sbxfw_flow_origin origin);

/* For the namespace list: flows held, and how many a full table refused. */
unsigned int sbxfw_flows_count(const struct sbxfw_flows *flows);
unsigned long sbxfw_flows_refused(const struct sbxfw_flows *flows);

#endif /* _SBXFW_FLOW_H */
