/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsbxfw: sbxfwctl's way of talking to the sbxfw module.
 *
 * Every function that can fail returns 0 or a negative errno. An errno the
 * kernel sent back is passed through unchanged, and the kernel's extended
 * ack message, if it sent one, is kept on the connection until the next
 * request (sbxfw_conn_extack()).
 */
#ifndef SBXFW_LIBSBXFW_H
#define SBXFW_LIBSBXFW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <linux/sbxfw.h>

struct nl_msg;
struct nlattr;
struct nlmsghdr;
struct sbxfw_conn;
/* kmod/policy.h: include "policy.h" to look inside */
struct sbxfw_policy_spec;
struct sbxfw_rule_spec;

/* genl.c: the generic netlink connection */

/* Longest extended ack message kept, NUL included; longer ones are cut. */
#define SBXFW_EXTACK_MAX 256

/*
 * Opens a generic netlink socket and resolves the "sbxfw" family.
 * Returns -ENOENT if and only if the family does not exist, that is, the
 * module is not loaded (or the caller is not in the initial network
 * namespace, where the family is not visible).
 */
int sbxfw_conn_open(struct sbxfw_conn **connp);

/* Same for any family name; tests use it with the kernel's "nlctrl". */
int sbxfw_conn_open_family(struct sbxfw_conn **connp, const char *family);

void sbxfw_conn_close(struct sbxfw_conn *conn);

/* The generic netlink id of the connection's family. */
int sbxfw_conn_family(const struct sbxfw_conn *conn);

/*
 * Kernel's extended ack message about the last failed request, or NULL.
 * Valid until the next request on @conn.
 */
const char *sbxfw_conn_extack(const struct sbxfw_conn *conn);

/*
 * A request of command @cmd to the connection's family, with the generic
 * netlink header filled in and room for attributes. @flags is added to
 * NLM_F_REQUEST | NLM_F_ACK (e.g. NLM_F_DUMP). NULL when out of memory.
 */
struct nl_msg *sbxfw_msg_new(struct sbxfw_conn *conn, uint8_t cmd, int flags);

/* Same for the generic netlink id @family, without a connection. */
struct nl_msg *sbxfw_msg_new_id(int family, uint8_t cmd, int flags);

/*
 * Called once per reply message. Returns 0, or a negative errno that
 * sbxfw_request() returns once the rest of the answer has been read.
 * Later replies of the same request are then not passed on.
 */
typedef int (*sbxfw_reply_fn)(struct nl_msg *reply, void *arg);

/*
 * Sends @req (which stays the caller's to free) and reads the answer up to
 * the kernel's ack, error or end of dump, handing each reply to @fn (which
 * may be NULL). Returns 0, the kernel's negative errno, the first error of
 * @fn, or a negative errno for a local failure.
 */
int sbxfw_request(struct sbxfw_conn *conn, struct nl_msg *req,
		  sbxfw_reply_fn fn, void *arg);

/*
 * Reads an NLMSG_ERROR message: returns the negative errno it carries (0
 * for an ack) and copies the kernel's extended ack message, or a
 * description of a missing attribute, into @extack ("" if none).
 * A message too short to hold a struct nlmsgerr gives -EBADMSG.
 */
int sbxfw_nlmsgerr_parse(struct nlmsghdr *nlh, char *extack, size_t len);

/*
 * Whether the @len bytes at @head are whole attributes, with nothing left
 * over: libnl's parsers stop silently at bytes that do not form one.
 */
bool sbxfw_attrs_ok(struct nlattr *head, int len);

/* The same for the attributes inside the nested attribute @nest. */
bool sbxfw_nest_ok(struct nlattr *nest);

/* version.c: SBXFW_CMD_GET_VERSION */

/* Most features a reply may name; a reply naming more is refused. */
#define SBXFW_FEATURES_MAX 64
/* Longest module version or feature name, NUL included. */
#define SBXFW_NAME_MAX 64

/*
 * What the module says about itself. Strings are printable ASCII without
 * spaces. Features and stats are optional in a reply: a missing
 * SBXFW_A_FEATURES means no features, and a counter missing from
 * SBXFW_A_STATS (or a missing SBXFW_A_STATS) leaves its has_ flag false.
 */
struct sbxfw_version {
	char *module; /* SBXFW_A_VERSION */
	unsigned int family_version; /* version in the genl header */
	size_t n_features;
	char *features[SBXFW_FEATURES_MAX];
	struct {
		bool has_netns;
		uint32_t netns;
	} stats;
};

/*
 * Fills @v from a GET_VERSION reply. On failure @v holds nothing to free,
 * and *@why (if @why is not NULL) says what is wrong with the reply:
 * -EBADMSG for a malformed reply (SBXFW_A_VERSION missing, an attribute
 * of the wrong type or length), -E2BIG for more than SBXFW_FEATURES_MAX
 * features; or *@why is NULL, for -ENOMEM.
 */
int sbxfw_version_parse(struct nlmsghdr *nlh, struct sbxfw_version *v,
			const char **why);

void sbxfw_version_free(struct sbxfw_version *v);

/*
 * Asks the module over @conn. Errors as for sbxfw_request() and
 * sbxfw_version_parse(); *@why is the reason when the reply was at fault
 * (also -EBADMSG for no reply at all), NULL otherwise.
 */
int sbxfw_version_get(struct sbxfw_conn *conn, struct sbxfw_version *v,
		      const char **why);

/*
 * The module's lines of "sbxfwctl version":
 *   module   0.1.0 (genl family sbxfw version 1)
 *   features netns-stats
 *   netns    12
 * Returns 0 or -EIO.
 */
int sbxfw_version_print(FILE *f, const struct sbxfw_version *v);

/*
 * {"version": "0.1.0", "family_version": 1, "features": ["netns-stats"],
 *  "stats": {"netns": 12}}; "stats" holds only the counters the reply had.
 * NULL when out of memory.
 */
json_t *sbxfw_version_json(const struct sbxfw_version *v);

/*
 * spec_build.c: growing a struct sbxfw_policy_spec. Arrays of a spec given
 * to these must come from these (they grow in powers of two, a capacity
 * they infer from the count); sbxfw_spec_release() frees them. Each
 * returns 0, -ENOMEM, or -E2BIG when a count would pass UINT32_MAX.
 */

/* A new zeroed rule at the end, or NULL; invalidates earlier pointers. */
struct sbxfw_rule_spec *sbxfw_spec_add_rule(struct sbxfw_policy_spec *spec);
/* Appends an inside device; -EINVAL when @len cannot be a device name. */
int sbxfw_spec_add_inside(struct sbxfw_policy_spec *spec, const char *name,
			  size_t len);
int sbxfw_rule_add_ports(struct sbxfw_rule_spec *r,
			 const struct sbxfw_port_range *ports, uint32_t n);
int sbxfw_rule_add_cidrs4(struct sbxfw_rule_spec *r,
			  const struct sbxfw_cidr4 *cidrs, uint32_t n);
int sbxfw_rule_add_cidrs6(struct sbxfw_rule_spec *r,
			  const struct sbxfw_cidr6 *cidrs, uint32_t n);
/* Copies @len bytes of @domain and a NUL; nothing is checked. */
int sbxfw_rule_add_domain(struct sbxfw_rule_spec *r, const char *domain,
			  size_t len);

struct sbxfw_policy_counts {
	uint32_t rules;
	uint64_t cidrs4; /* in all rules */
	uint64_t cidrs6;
	uint64_t domains;
};

void sbxfw_policy_count(const struct sbxfw_policy_spec *spec,
			struct sbxfw_policy_counts *c);

/*
 * policy_json.c: policy documents. docs/policy.md is the reference of the
 * shapes accepted and of what each compiles to.
 */

/* Longest message about a policy document, NUL included. */
#define SBXFW_POLICY_ERR_MAX 512

/*
 * Compiles a policy document, in sbxfw's own shape or a sandbox product's,
 * into @spec, which passes sbxfw_spec_check(). On error @spec is left
 * empty (zeroed) and @err holds a message that names the JSON path of what
 * is wrong and what was expected; the return value is -EINVAL, -E2BIG for
 * a limit, or -ENOMEM.
 */
int sbxfw_policy_from_json(const json_t *root, struct sbxfw_policy_spec *spec,
			   char *err, size_t errlen);

/* Same from JSON text; a syntax error names its line and column. */
int sbxfw_policy_parse(const char *text, size_t len,
		       struct sbxfw_policy_spec *spec, char *err,
		       size_t errlen);
int sbxfw_policy_load(FILE *f, struct sbxfw_policy_spec *spec, char *err,
		      size_t errlen);

/*
 * The canonical form: what "sbxfwctl policy get" prints, which compiles
 * back into the same spec. -EINVAL for a spec that does not pass
 * sbxfw_spec_check(), -ENOMEM.
 */
int sbxfw_policy_to_json(const struct sbxfw_policy_spec *spec, json_t **out);

/*
 * "custom, default deny, 3 rules, 2 IPv4 CIDRs, 0 IPv6 CIDRs, 1 domain";
 * an unknown mode or action is shown as a number.
 */
void sbxfw_policy_summary(const struct sbxfw_policy_spec *spec, char *buf,
			  size_t len);

/* Names of enum values as policy documents spell them; NULL if unknown. */
const char *sbxfw_mode_name(unsigned int mode);
const char *sbxfw_action_name(unsigned int action);

/*
 * Why @len bytes at @pattern are not a canonical domain pattern (see
 * sbxfw_domain_valid()), or NULL when they are.
 */
const char *sbxfw_domain_problem(const char *pattern, size_t len);

/* policy_nl.c: the policy commands over generic netlink */

/* The network namespace a policy command is about. */
struct sbxfw_netns {
	bool by_pid; /* SBXFW_A_NETNS_PID rather than SBXFW_A_NETNS_FD */
	uint32_t id; /* the file descriptor or the pid */
};

/*
 * Opens @path (/run/netns/NAME, /proc/PID/ns/net) into @ns: 0, the errno
 * of open(), or -EINVAL when the file is not a network namespace.
 */
int sbxfw_netns_open(const char *path, struct sbxfw_netns *ns);

/* Closes what sbxfw_netns_open() opened; nothing for a pid. */
void sbxfw_netns_close(struct sbxfw_netns *ns);

/* Adds SBXFW_A_NETNS_FD or SBXFW_A_NETNS_PID to a request; 0 or -ENOMEM. */
int sbxfw_netns_put(struct nl_msg *msg, const struct sbxfw_netns *ns);

/* A message of a POLICY_SET transaction reaches at most this size. */
#define SBXFW_SET_PART_MAX (60 * 1024)

struct sbxfw_msgs {
	size_t n;
	struct nl_msg **msgs;
};

void sbxfw_msgs_free(struct sbxfw_msgs *m);

/*
 * The POLICY_SET messages for @spec, for the family @family, each at most
 * @part_max bytes (SBXFW_SET_PART_MAX unless testing), as
 * uapi/linux/sbxfw.h describes. @expect, if not NULL, is the generation the
 * policy must replace. -EINVAL and *@why for a spec that does not pass
 * sbxfw_spec_check() (*@bad_rule its rule, if not NULL); -E2BIG when the
 * rules' own fields do not fit in the first message; -ENOMEM.
 */
int sbxfw_policy_encode(const struct sbxfw_policy_spec *spec,
			const struct sbxfw_netns *ns, const uint64_t *expect,
			int family, size_t part_max, struct sbxfw_msgs *parts,
			const char **why);

/*
 * Rebuilds a spec from the messages of a POLICY_GET dump (or of a
 * POLICY_SET transaction), fed in order. Attributes it does not know are
 * skipped; what it knows must be well-formed and consistent.
 */
struct sbxfw_policy_decoder {
	struct sbxfw_policy_spec *spec;
	uint64_t generation;
	bool has_generation;
	bool has_mode;
	bool has_default;
	size_t messages;
	const char *why; /* why the last call failed, if it did */
};

/* @spec is zeroed and filled; released by the caller on success. */
void sbxfw_policy_decoder_init(struct sbxfw_policy_decoder *d,
			       struct sbxfw_policy_spec *spec);
/* 0, -EBADMSG (with d->why), -E2BIG, -ENOMEM. */
int sbxfw_policy_decode(struct sbxfw_policy_decoder *d, struct nlmsghdr *nlh);
/*
 * After the last message: -ENODATA (with d->why) when no message came,
 * -EBADMSG when the messages did not hold a whole policy that passes
 * sbxfw_spec_check(). On error the spec is released.
 */
int sbxfw_policy_decode_end(struct sbxfw_policy_decoder *d);

/* One line of POLICY_LIST. */
struct sbxfw_policy_info {
	uint64_t netns_id;
	uint64_t generation;
	uint8_t mode;
	uint8_t default_action;
	uint32_t rules;
	uint32_t cidrs4;
	uint32_t cidrs6;
	uint32_t domains;
	uint32_t flows; /* in the netns's flow table now */
	uint64_t flows_refused; /* flows a full table could not record */
	uint32_t learned; /* learned entries the netns holds now */
	uint64_t learned_evicted; /* live ones a full table removed */
};

/* 0, or -EBADMSG and *@why. */
int sbxfw_policy_info_parse(struct nlmsghdr *nlh,
			    struct sbxfw_policy_info *info, const char **why);

/*
 * The commands. Errors as for sbxfw_request(); *@why (if @why is not
 * NULL) is set when the module's answer was at fault (-EBADMSG) or, for
 * set, when the spec cannot be sent; NULL otherwise.
 *
 * sbxfw_policy_set() sends every part, stops at the first the kernel
 * refuses, and returns the new generation in *@generation.
 * sbxfw_policy_get() returns -ENODATA when the dump held no policy and
 * -EINTR when the dump raced with a change (try again).
 */
int sbxfw_policy_set(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		     const struct sbxfw_policy_spec *spec,
		     const uint64_t *expect, uint64_t *generation,
		     const char **why);
int sbxfw_policy_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		     struct sbxfw_policy_spec *spec, uint64_t *generation,
		     const char **why);
int sbxfw_policy_delete(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
			const uint64_t *expect);
/* *@infos is the caller's to free(). */
int sbxfw_policy_list(struct sbxfw_conn *conn, struct sbxfw_policy_info **infos,
		      size_t *n, const char **why);

/*
 * learned_nl.c: the learned entries of a netns, what the DNS answers to
 * its queries taught the module, over generic netlink.
 */

/* Longest name of a learned entry, NUL included: a DNS name's 253 bytes. */
#define SBXFW_LEARNED_NAME_MAX 254
/*
 * Most entries a LEARNED_GET dump may hold; a dump with more is refused.
 * Four times what the module keeps per netns (SBXFW_LEARNED_MAX).
 */
#define SBXFW_LEARNED_ENTRIES_MAX 65536

/* One learned entry: an address a DNS answer gave for a name. */
struct sbxfw_learned_entry {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; AF_INET uses the first 4 bytes */
	char name[SBXFW_LEARNED_NAME_MAX]; /* printable ASCII, no spaces */
	uint32_t expires; /* seconds until the entry may be forgotten */
	int64_t rule; /* first rule covering the name now, -1: none */
};

/*
 * Reads one message of a LEARNED_GET dump: its SBXFW_A_LEARNED must hold
 * an SBXFW_LEARNED_A_ADDR of 4 or 16 bytes, an SBXFW_LEARNED_A_NAME (a
 * NUL-terminated string of 1 to 253 printable characters without spaces)
 * and an SBXFW_LEARNED_A_EXPIRES of 4 bytes, each once, and at most one
 * SBXFW_LEARNED_A_RULE of 4 bytes (below 256); attributes this
 * tool does not know are skipped. 0, or -EBADMSG and *@why.
 */
int sbxfw_learned_entry_parse(struct nlmsghdr *nlh,
			      struct sbxfw_learned_entry *e, const char **why);

/*
 * The request of @cmd, SBXFW_CMD_LEARNED_GET (a dump) or
 * SBXFW_CMD_LEARNED_FLUSH, about @ns, for the family @family; NULL when
 * out of memory.
 */
struct nl_msg *sbxfw_learned_msg(int family, uint8_t cmd,
				 const struct sbxfw_netns *ns);

/*
 * The commands. Errors as for sbxfw_request() (-ENOENT: the netns has no
 * policy); *@why (if @why is not NULL) is set when the module's answer
 * was at fault (-EBADMSG, or -E2BIG for more than
 * SBXFW_LEARNED_ENTRIES_MAX entries), NULL otherwise. *@entries, in the
 * module's order, is the caller's to free().
 */
int sbxfw_learned_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		      struct sbxfw_learned_entry **entries, size_t *n,
		      const char **why);
int sbxfw_learned_flush(struct sbxfw_conn *conn, const struct sbxfw_netns *ns);

#endif /* SBXFW_LIBSBXFW_H */
