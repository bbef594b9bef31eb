// SPDX-License-Identifier: GPL-2.0
/*
 * The learned-entry commands over generic netlink: LEARNED_GET dumps read
 * into struct sbxfw_learned_entry, one entry a message, and LEARNED_FLUSH.
 *
 * The module may be newer than this tool, so attributes it does not know
 * are skipped; what it knows must be well-formed, or the whole dump is
 * refused with a reason.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "libsbxfw.h"
#include "policy.h"

/* The limits as the messages below spell them. */
_Static_assert(SBXFW_LEARNED_NAME_MAX == SBXFW_MAX_DOMAIN_LEN + 1 &&
		       SBXFW_MAX_DOMAIN_LEN == 253,
	       "a learned name is a domain name");
_Static_assert(SBXFW_LEARNED_ENTRIES_MAX == 65536, "entries of a dump");

/* What name_ok() accepts, for the reasons given to the operator. */
#define NAME_RULE                                                           \
	"a NUL-terminated string of 1 to 253 printable characters without " \
	"spaces"

/* A NUL-terminated string of 1 to 253 printable, non-space characters. */
static bool name_ok(const struct nlattr *a)
{
	const char *s = nla_data(a);
	int len = nla_len(a);
	int i;

	if (len < 2 || len > SBXFW_LEARNED_NAME_MAX || s[len - 1] != '\0')
		return false;
	for (i = 0; i < len - 1; i++) {
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	}
	return true;
}

static int bad(const char **why, const char *reason)
{
	*why = reason;
	return -EBADMSG;
}

int sbxfw_learned_entry_parse(struct nlmsghdr *nlh,
			      struct sbxfw_learned_entry *e, const char **why)
{
	bool has_addr = false, has_name = false, has_expires = false;
	bool has_rule = false;
	struct nlattr *tb[SBXFW_A_MAX + 1], *nest, *a;
	struct genlmsghdr *gnlh;
	int rem, len;

	memset(e, 0, sizeof(*e));
	e->rule = -1;
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad(why, "a message is shorter than its headers");
	gnlh = nlmsg_data(nlh);
	if (!sbxfw_attrs_ok(genlmsg_attrdata(gnlh, 0),
			    genlmsg_attrlen(gnlh, 0)) ||
	    genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, NULL) < 0)
		return bad(why, "malformed attributes");
	nest = tb[SBXFW_A_LEARNED];
	if (!nest || !sbxfw_nest_ok(nest))
		return bad(why, "no learned entry (SBXFW_A_LEARNED) nest");

	nla_for_each_nested(a, nest, rem) {
		len = nla_len(a);
		switch (nla_type(a)) {
		case SBXFW_LEARNED_A_ADDR:
			if (has_addr)
				return bad(why, "an entry has two addresses");
			if (len != 4 && len != 16)
				return bad(why, "an address "
						"(SBXFW_LEARNED_A_ADDR) is "
						"neither 4 nor 16 bytes");
			e->family = len == 4 ? AF_INET : AF_INET6;
			memcpy(e->addr, nla_data(a), len);
			has_addr = true;
			break;
		case SBXFW_LEARNED_A_NAME:
			if (has_name)
				return bad(why, "an entry has two names");
			if (!name_ok(a))
				return bad(why, "a name (SBXFW_LEARNED_A_NAME) "
						"is not " NAME_RULE);
			memcpy(e->name, nla_data(a), len);
			has_name = true;
			break;
		case SBXFW_LEARNED_A_EXPIRES:
			if (has_expires)
				return bad(why, "an entry has two expiries");
			if (len != sizeof(uint32_t))
				return bad(why, "an expiry "
						"(SBXFW_LEARNED_A_EXPIRES) is "
						"not 4 bytes");
			e->expires = nla_get_u32(a);
			has_expires = true;
			break;
		case SBXFW_LEARNED_A_RULE:
			if (has_rule)
				return bad(why, "an entry has two rules");
			if (len != sizeof(uint32_t) ||
			    nla_get_u32(a) >= SBXFW_MAX_RULES)
				return bad(why, "a rule (SBXFW_LEARNED_A_RULE) "
						"is not a rule index of 4 "
						"bytes");
			e->rule = nla_get_u32(a);
			has_rule = true;
			break;
		}
	}
	if (!has_addr)
		return bad(why,
			   "an entry has no address (SBXFW_LEARNED_A_ADDR)");
	if (!has_name)
		return bad(why, "an entry has no name (SBXFW_LEARNED_A_NAME)");
	if (!has_expires)
		return bad(why, "an entry has no expiry "
				"(SBXFW_LEARNED_A_EXPIRES)");
	*why = NULL;
	return 0;
}

struct nl_msg *sbxfw_learned_msg(int family, uint8_t cmd,
				 const struct sbxfw_netns *ns)
{
	struct nl_msg *msg;

	msg = sbxfw_msg_new_id(family, cmd,
			       cmd == SBXFW_CMD_LEARNED_GET ? NLM_F_DUMP : 0);
	if (msg && sbxfw_netns_put(msg, ns)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct get_ctx {
	struct sbxfw_learned_entry *entries;
	size_t n;
	size_t cap;
	const char *why;
};

static int on_get_reply(struct nl_msg *msg, void *arg)
{
	struct sbxfw_learned_entry *grown;
	struct get_ctx *ctx = arg;
	size_t cap;

	if (ctx->n == SBXFW_LEARNED_ENTRIES_MAX) {
		ctx->why = "more than 65536 learned entries";
		return -E2BIG;
	}
	if (ctx->n == ctx->cap) {
		cap = ctx->cap ? 2 * ctx->cap : 64;
		grown = realloc(ctx->entries, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		ctx->entries = grown;
		ctx->cap = cap;
	}
	if (sbxfw_learned_entry_parse(nlmsg_hdr(msg), &ctx->entries[ctx->n],
				      &ctx->why))
		return -EBADMSG;
	ctx->n++;
	return 0;
}

int sbxfw_learned_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		      struct sbxfw_learned_entry **entries, size_t *n,
		      const char **why)
{
	struct get_ctx ctx = { 0 };
	struct nl_msg *msg;
	int err;

	if (why)
		*why = NULL;
	msg = sbxfw_learned_msg(sbxfw_conn_family(conn), SBXFW_CMD_LEARNED_GET,
				ns);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_request(conn, msg, on_get_reply, &ctx);
	nlmsg_free(msg);
	if (err) {
		free(ctx.entries);
		if (why && (err == -EBADMSG || err == -E2BIG))
			*why = ctx.why;
		return err;
	}
	*entries = ctx.entries;
	*n = ctx.n;
	return 0;
}

int sbxfw_learned_flush(struct sbxfw_conn *conn, const struct sbxfw_netns *ns)
{
	struct nl_msg *msg;
	int err;

	msg = sbxfw_learned_msg(sbxfw_conn_family(conn),
				SBXFW_CMD_LEARNED_FLUSH, ns);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_request(conn, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}
