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

struct nl_msg;
struct nlmsghdr;
struct sbxfw_conn;

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

#endif /* SBXFW_LIBSBXFW_H */
