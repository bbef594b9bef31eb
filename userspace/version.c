// SPDX-License-Identifier: GPL-2.0
/*
 * SBXFW_CMD_GET_VERSION: the reply read into a struct sbxfw_version, and
 * that struct shown as text or JSON.
 *
 * The reply comes from a module that may be newer than this tool, so
 * attributes this tool does not know are skipped; what it knows must be
 * well-formed, or the whole reply is refused with a reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "libsbxfw.h"

#define STR(x) STR_(x)
#define STR_(x) #x

/* What name_ok() accepts, for the reasons given to the operator. */
#define NAME_RULE                                                         \
	"a NUL-terminated string of printable characters without spaces " \
	"of at most " STR(SBXFW_NAME_MAX) " bytes"

static const struct nla_policy version_policy[SBXFW_A_MAX + 1] = {
	[SBXFW_A_VERSION] = { .type = NLA_STRING, .maxlen = SBXFW_NAME_MAX },
	[SBXFW_A_FEATURES] = { .type = NLA_NESTED },
	[SBXFW_A_STATS] = { .type = NLA_NESTED },
};

static const char *const version_why[SBXFW_A_MAX + 1] = {
	[SBXFW_A_VERSION] = "SBXFW_A_VERSION is not a NUL-terminated string "
			    "of at most " STR(SBXFW_NAME_MAX) " bytes",
};

static const struct nla_policy stats_policy[SBXFW_A_STAT_MAX + 1] = {
	[SBXFW_A_STAT_NETNS] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

/* A non-empty NUL-terminated string of printable, non-space ASCII. */
static bool name_ok(const struct nlattr *nla)
{
	const char *s = nla_data(nla);
	int len = nla_len(nla);
	int i;

	if (len < 2 || len > SBXFW_NAME_MAX || s[len - 1] != '\0')
		return false;
	for (i = 0; i < len - 1; i++) {
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	}
	return true;
}

/* Names the attribute that genlmsg_parse() refused. */
static const char *bad_attr(struct nlmsghdr *nlh)
{
	struct nlattr *tb[SBXFW_A_MAX + 1];
	int i;

	if (genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, NULL) < 0)
		return "malformed attributes";
	for (i = 0; i <= SBXFW_A_MAX; i++) {
		if (tb[i] && version_why[i] &&
		    nla_validate(tb[i], tb[i]->nla_len, SBXFW_A_MAX,
				 version_policy) < 0)
			return version_why[i];
	}
	return "an attribute has the wrong type or length";
}

static int parse_features(struct nlattr *nest, struct sbxfw_version *v,
			  const char **why)
{
	struct nlattr *pos;
	int rem;

	if (!sbxfw_nest_ok(nest)) {
		*why = "SBXFW_A_FEATURES is not a nest of attributes";
		return -EBADMSG;
	}

	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != SBXFW_A_FEATURE)
			continue;
		if (v->n_features == SBXFW_FEATURES_MAX) {
			*why = "more than " STR(SBXFW_FEATURES_MAX) " features";
			return -E2BIG;
		}
		if (!name_ok(pos)) {
			*why = "a feature is not " NAME_RULE;
			return -EBADMSG;
		}
		v->features[v->n_features] = strdup(nla_data(pos));
		if (!v->features[v->n_features])
			return -ENOMEM;
		v->n_features++;
	}
	return 0;
}

static int parse_stats(struct nlattr *nest, struct sbxfw_version *v,
		       const char **why)
{
	struct nlattr *tb[SBXFW_A_STAT_MAX + 1];

	if (!sbxfw_nest_ok(nest)) {
		*why = "SBXFW_A_STATS is not a nest of attributes";
		return -EBADMSG;
	}
	if (nla_parse_nested(tb, SBXFW_A_STAT_MAX, nest, stats_policy) < 0) {
		*why = "a counter in SBXFW_A_STATS has the wrong size";
		return -EBADMSG;
	}

	if (tb[SBXFW_A_STAT_NETNS]) {
		v->stats.has_netns = true;
		v->stats.netns = nla_get_u32(tb[SBXFW_A_STAT_NETNS]);
	}
	return 0;
}

static int parse(struct nlmsghdr *nlh, struct sbxfw_version *v,
		 const char **why)
{
	struct nlattr *tb[SBXFW_A_MAX + 1];
	struct genlmsghdr *gnlh;
	int err;

	if (!genlmsg_valid_hdr(nlh, 0)) {
		*why = "reply shorter than its headers";
		return -EBADMSG;
	}
	gnlh = nlmsg_data(nlh);
	v->family_version = gnlh->version;

	if (!sbxfw_attrs_ok(genlmsg_attrdata(gnlh, 0),
			    genlmsg_attrlen(gnlh, 0))) {
		*why = "reply ends inside an attribute";
		return -EBADMSG;
	}
	if (genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, version_policy) < 0) {
		*why = bad_attr(nlh);
		return -EBADMSG;
	}

	if (!tb[SBXFW_A_VERSION]) {
		*why = "no module version (SBXFW_A_VERSION)";
		return -EBADMSG;
	}
	if (!name_ok(tb[SBXFW_A_VERSION])) {
		*why = "the module version is not " NAME_RULE;
		return -EBADMSG;
	}
	v->module = strdup(nla_get_string(tb[SBXFW_A_VERSION]));
	if (!v->module)
		return -ENOMEM;

	if (tb[SBXFW_A_FEATURES]) {
		err = parse_features(tb[SBXFW_A_FEATURES], v, why);
		if (err)
			return err;
	}
	if (tb[SBXFW_A_STATS]) {
		err = parse_stats(tb[SBXFW_A_STATS], v, why);
		if (err)
			return err;
	}
	return 0;
}

int sbxfw_version_parse(struct nlmsghdr *nlh, struct sbxfw_version *v,
			const char **why)
{
	const char *reason = NULL;
	int err;

	memset(v, 0, sizeof(*v));
	err = parse(nlh, v, &reason);
	if (err) {
		sbxfw_version_free(v);
		if (why)
			*why = reason;
	}
	return err;
}

void sbxfw_version_free(struct sbxfw_version *v)
{
	size_t i;

	free(v->module);
	for (i = 0; i < v->n_features; i++)
		free(v->features[i]);
	memset(v, 0, sizeof(*v));
}

struct get_ctx {
	struct sbxfw_version *v;
	const char *why;
	int replies;
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct get_ctx *ctx = arg;

	if (ctx->replies++) {
		ctx->why = "more than one reply";
		return -EBADMSG;
	}
	return sbxfw_version_parse(nlmsg_hdr(msg), ctx->v, &ctx->why);
}

int sbxfw_version_get(struct sbxfw_conn *conn, struct sbxfw_version *v,
		      const char **why)
{
	struct get_ctx ctx = { .v = v };
	struct nl_msg *msg;
	int err;

	memset(v, 0, sizeof(*v));
	if (why)
		*why = NULL;

	msg = sbxfw_msg_new(conn, SBXFW_CMD_GET_VERSION, 0);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_request(conn, msg, on_reply, &ctx);
	nlmsg_free(msg);

	if (!err && !ctx.replies) {
		ctx.why = "no reply";
		err = -EBADMSG;
	}
	if (err) {
		sbxfw_version_free(v);
		if (why)
			*why = ctx.why;
	}
	return err;
}

int sbxfw_version_print(FILE *f, const struct sbxfw_version *v)
{
	size_t i;

	fprintf(f, "%-8s %s (genl family %s version %u)\n", "module", v->module,
		SBXFW_GENL_NAME, v->family_version);

	fprintf(f, "%-8s", "features");
	for (i = 0; i < v->n_features; i++)
		fprintf(f, " %s", v->features[i]);
	fprintf(f, "%s\n", v->n_features ? "" : " (none)");

	if (v->stats.has_netns)
		fprintf(f, "%-8s %" PRIu32 "\n", "netns", v->stats.netns);

	return ferror(f) ? -EIO : 0;
}

json_t *sbxfw_version_json(const struct sbxfw_version *v)
{
	json_t *obj, *features, *stats;
	size_t i;

	obj = json_object();
	features = json_array();
	stats = json_object();
	if (!obj || !features || !stats)
		goto err;

	for (i = 0; i < v->n_features; i++) {
		if (json_array_append_new(features,
					  json_string(v->features[i])))
			goto err;
	}
	if (v->stats.has_netns &&
	    json_object_set_new(stats, "netns", json_integer(v->stats.netns)))
		goto err;

	if (json_object_set_new(obj, "version", json_string(v->module)) ||
	    json_object_set_new(obj, "family_version",
				json_integer(v->family_version)) ||
	    json_object_set(obj, "features", features) ||
	    json_object_set(obj, "stats", stats))
		goto err;

	json_decref(features);
	json_decref(stats);
	return obj;

err:
	json_decref(stats);
	json_decref(features);
	json_decref(obj);
	return NULL;
}
