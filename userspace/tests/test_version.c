// SPDX-License-Identifier: GPL-2.0
/*
 * GET_VERSION replies, good and malformed, through sbxfw_version_parse(),
 * and the text and JSON that sbxfwctl shows for them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "libsbxfw.h"
#include "tests.h"

static int parse(struct nl_msg *msg, struct sbxfw_version *v, const char **why)
{
	*why = NULL;
	return sbxfw_version_parse(nlmsg_hdr(msg), v, why);
}

/* A malformed reply: refused with @err, a reason, and nothing to free. */
static void assert_refused(struct nl_msg *msg, int err)
{
	struct sbxfw_version v;
	const char *why;

	assert_int_equal(parse(msg, &v, &why), err);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
	assert_null(v.module);
	assert_int_equal(v.n_features, 0);
	nlmsg_free(msg);
}

static void test_parse_no_features(void **state)
{
	struct nl_msg *msg = reply_good(NULL, 0);
	struct sbxfw_version v;
	const char *why;

	(void)state;
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_null(why);
	assert_string_equal(v.module, "0.1.0");
	assert_int_equal(v.family_version, 1);
	assert_int_equal(v.n_features, 0);
	assert_true(v.stats.has_netns);
	assert_int_equal(v.stats.netns, 12);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_one_feature(void **state)
{
	static const char *const names[] = { "netns-stats" };
	struct nl_msg *msg = reply_good(names, 1);
	struct sbxfw_version v;
	const char *why;

	(void)state;
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, 1);
	assert_string_equal(v.features[0], "netns-stats");
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_several_features(void **state)
{
	static const char *const names[] = { "netns-stats", "cidr", "dns",
					     "sni", "http-host" };
	struct nl_msg *msg = reply_good(names, ARRAY_SIZE(names));
	struct sbxfw_version v;
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++)
		assert_string_equal(v.features[i], names[i]);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

/* The kernel flags nests with NLA_F_NESTED; libnl's builder may not. */
static void test_parse_nested_flag(void **state)
{
	struct nl_msg *msg = reply_new(1);
	struct sbxfw_version v;
	struct nlattr *nest;
	const char *why;

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_FEATURES | NLA_F_NESTED);
	assert_int_equal(nla_put_string(msg, SBXFW_A_FEATURE, "a"), 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, SBXFW_A_STATS | NLA_F_NESTED);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_STAT_NETNS, 3), 0);
	nla_nest_end(msg, nest);

	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, 1);
	assert_string_equal(v.features[0], "a");
	assert_true(v.stats.has_netns);
	assert_int_equal(v.stats.netns, 3);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_family_version(void **state)
{
	struct nl_msg *msg = reply_new(7);
	struct sbxfw_version v;
	const char *why;

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "2.0.0-rc1"), 0);
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_string_equal(v.module, "2.0.0-rc1");
	assert_int_equal(v.family_version, 7);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

/* Features and stats are optional: an older or smaller module. */
static void test_parse_only_version(void **state)
{
	struct nl_msg *msg = reply_new(1);
	struct sbxfw_version v;
	const char *why;

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, 0);
	assert_false(v.stats.has_netns);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_empty_stats(void **state)
{
	struct nl_msg *msg = reply_new(1);
	struct sbxfw_version v;
	struct nlattr *nest;
	const char *why;

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_STATS);
	nla_nest_end(msg, nest);
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_false(v.stats.has_netns);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

/* A newer module may add attributes; they are skipped, not refused. */
static void test_parse_unknown_attrs(void **state)
{
	struct nl_msg *msg = reply_new(1);
	struct sbxfw_version v;
	struct nlattr *nest;
	const char *why;

	(void)state;
	assert_int_equal(nla_put_u64(msg, SBXFW_A_MAX + 5, 1), 0);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_FEATURES);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_FEATURE_MAX + 1, 1), 0);
	assert_int_equal(nla_put_string(msg, SBXFW_A_FEATURE, "x"), 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, SBXFW_A_STATS);
	assert_int_equal(nla_put_u64(msg, SBXFW_A_STAT_MAX + 1, 1), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_STAT_NETNS, 5), 0);
	nla_nest_end(msg, nest);

	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, 1);
	assert_string_equal(v.features[0], "x");
	assert_int_equal(v.stats.netns, 5);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_missing_version(void **state)
{
	static const char *const names[] = { "netns-stats" };
	struct nl_msg *msg = reply_new(1);
	struct sbxfw_version v;
	const char *why;

	(void)state;
	reply_put_features(msg, names, 1);
	reply_put_stats(msg, 12);
	assert_int_equal(parse(msg, &v, &why), -EBADMSG);
	assert_string_equal(why, "no module version (SBXFW_A_VERSION)");
	nlmsg_free(msg);
}

/* A u32 ends in NUL bytes, so it passes libnl's NLA_STRING check. */
static void test_parse_version_u32(void **state)
{
	struct nl_msg *msg;

	(void)state;
	msg = reply_new(1);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_VERSION, 12), 0);
	assert_refused(msg, -EBADMSG);

	msg = reply_new(1);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_VERSION, 0x01020304), 0);
	assert_refused(msg, -EBADMSG);
}

static void test_parse_version_unterminated(void **state)
{
	struct nl_msg *msg = reply_new(1);

	(void)state;
	assert_int_equal(nla_put(msg, SBXFW_A_VERSION, 5, "0.1.0"), 0);
	assert_refused(msg, -EBADMSG);
}

static void test_parse_version_bad_strings(void **state)
{
	char longest[SBXFW_NAME_MAX], too_long[SBXFW_NAME_MAX + 1];
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;

	(void)state;
	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, ""), 0);
	assert_refused(msg, -EBADMSG);

	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1\033[31m"),
			 0);
	assert_refused(msg, -EBADMSG);

	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1 beta"), 0);
	assert_refused(msg, -EBADMSG);

	memset(too_long, 'x', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, too_long), 0);
	assert_refused(msg, -EBADMSG);

	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, longest), 0);
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_string_equal(v.module, longest);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_parse_feature_not_string(void **state)
{
	struct nl_msg *msg = reply_new(1);
	struct nlattr *nest;

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_FEATURES);
	assert_int_equal(nla_put_string(msg, SBXFW_A_FEATURE, "ok"), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_FEATURE, 1), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, -EBADMSG);

	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_FEATURES);
	assert_int_equal(nla_put(msg, SBXFW_A_FEATURE, 3, "abc"), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, -EBADMSG);
}

/* Bytes in the nest that are no attribute, which libnl would skip. */
static void test_parse_features_not_nest(void **state)
{
	struct nl_msg *msg = reply_new(1);

	(void)state;
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	assert_int_equal(nla_put_string(msg, SBXFW_A_FEATURES, "abc"), 0);
	assert_refused(msg, -EBADMSG);
}

static void test_parse_too_many_features(void **state)
{
	char names[SBXFW_FEATURES_MAX + 1][8];
	const char *ptrs[SBXFW_FEATURES_MAX + 1];
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		ptrs[i] = names[i];
	}

	msg = reply_good(ptrs, SBXFW_FEATURES_MAX);
	assert_int_equal(parse(msg, &v, &why), 0);
	assert_int_equal(v.n_features, SBXFW_FEATURES_MAX);
	assert_string_equal(v.features[SBXFW_FEATURES_MAX - 1], "f63");
	sbxfw_version_free(&v);
	nlmsg_free(msg);

	msg = reply_good(ptrs, SBXFW_FEATURES_MAX + 1);
	assert_int_equal(parse(msg, &v, &why), -E2BIG);
	assert_string_equal(why, "more than 64 features");
	nlmsg_free(msg);
}

static void test_parse_stats_wrong_size(void **state)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	(void)state;
	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_STATS);
	assert_int_equal(nla_put_u64(msg, SBXFW_A_STAT_NETNS, 12), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, -EBADMSG);

	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	nest = nla_nest_start(msg, SBXFW_A_STATS);
	assert_int_equal(nla_put_u16(msg, SBXFW_A_STAT_NETNS, 12), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, -EBADMSG);
}

static void test_parse_truncated(void **state)
{
	struct nl_msg *msg;

	(void)state;
	/* Shorter than the generic netlink header. */
	msg = nlmsg_alloc_simple(0x1c, 0);
	assert_non_null(nlmsg_reserve(msg, 2, NLMSG_ALIGNTO));
	assert_refused(msg, -EBADMSG);

	/* The last attribute claims more bytes than the message has. */
	msg = reply_good(NULL, 0);
	nlmsg_hdr(msg)->nlmsg_len -= 4;
	assert_refused(msg, -EBADMSG);
}

static char *render_text(const struct sbxfw_version *v)
{
	struct capture c;

	capture_begin(&c);
	assert_int_equal(sbxfw_version_print(c.f, v), 0);
	capture_end(&c);
	return c.buf;
}

static void test_text(void **state)
{
	static const char *const one[] = { "netns-stats" };
	static const char *const two[] = { "netns-stats", "dns" };
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;
	char *text;

	(void)state;
	msg = reply_good(one, 1);
	assert_int_equal(parse(msg, &v, &why), 0);
	text = render_text(&v);
	assert_string_equal(text,
			    "module   0.1.0 (genl family sbxfw version 1)\n"
			    "features netns-stats\n"
			    "netns    12\n");
	free(text);
	sbxfw_version_free(&v);
	nlmsg_free(msg);

	msg = reply_good(two, 2);
	assert_int_equal(parse(msg, &v, &why), 0);
	text = render_text(&v);
	assert_string_equal(text,
			    "module   0.1.0 (genl family sbxfw version 1)\n"
			    "features netns-stats dns\n"
			    "netns    12\n");
	free(text);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_text_none(void **state)
{
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;
	char *text;

	(void)state;
	msg = reply_new(2);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.2.0"), 0);
	assert_int_equal(parse(msg, &v, &why), 0);
	text = render_text(&v);
	assert_string_equal(text,
			    "module   0.2.0 (genl family sbxfw version 2)\n"
			    "features (none)\n");
	free(text);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

/* Through a string and back, as a consumer of sbxfwctl -j would read it. */
static json_t *render_json(const struct sbxfw_version *v)
{
	json_error_t error;
	json_t *obj, *back;
	char *text;

	obj = sbxfw_version_json(v);
	assert_non_null(obj);
	text = json_dumps(obj, JSON_COMPACT);
	assert_non_null(text);
	back = json_loads(text, 0, &error);
	assert_non_null(back);
	free(text);
	json_decref(obj);
	return back;
}

static void test_json(void **state)
{
	static const char *const names[] = { "netns-stats", "dns" };
	json_t *obj, *features, *stats;
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;

	(void)state;
	msg = reply_good(names, 2);
	assert_int_equal(parse(msg, &v, &why), 0);
	obj = render_json(&v);

	assert_true(json_is_object(obj));
	assert_int_equal(json_object_size(obj), 4);
	assert_string_equal(json_string_value(json_object_get(obj, "version")),
			    "0.1.0");
	assert_true(json_is_integer(json_object_get(obj, "family_version")));
	assert_int_equal(
		json_integer_value(json_object_get(obj, "family_version")), 1);

	features = json_object_get(obj, "features");
	assert_true(json_is_array(features));
	assert_int_equal(json_array_size(features), 2);
	assert_string_equal(json_string_value(json_array_get(features, 0)),
			    "netns-stats");
	assert_string_equal(json_string_value(json_array_get(features, 1)),
			    "dns");

	stats = json_object_get(obj, "stats");
	assert_true(json_is_object(stats));
	assert_int_equal(json_object_size(stats), 1);
	assert_int_equal(json_integer_value(json_object_get(stats, "netns")),
			 12);

	json_decref(obj);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

static void test_json_minimal(void **state)
{
	struct sbxfw_version v;
	struct nl_msg *msg;
	const char *why;
	json_t *obj;

	(void)state;
	msg = reply_new(1);
	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	assert_int_equal(parse(msg, &v, &why), 0);
	obj = render_json(&v);

	assert_int_equal(json_array_size(json_object_get(obj, "features")), 0);
	assert_true(json_is_array(json_object_get(obj, "features")));
	assert_true(json_is_object(json_object_get(obj, "stats")));
	assert_int_equal(json_object_size(json_object_get(obj, "stats")), 0);

	json_decref(obj);
	sbxfw_version_free(&v);
	nlmsg_free(msg);
}

const struct CMUnitTest version_tests[] = {
	cmocka_unit_test(test_parse_no_features),
	cmocka_unit_test(test_parse_one_feature),
	cmocka_unit_test(test_parse_several_features),
	cmocka_unit_test(test_parse_nested_flag),
	cmocka_unit_test(test_parse_family_version),
	cmocka_unit_test(test_parse_only_version),
	cmocka_unit_test(test_parse_empty_stats),
	cmocka_unit_test(test_parse_unknown_attrs),
	cmocka_unit_test(test_parse_missing_version),
	cmocka_unit_test(test_parse_version_u32),
	cmocka_unit_test(test_parse_version_unterminated),
	cmocka_unit_test(test_parse_version_bad_strings),
	cmocka_unit_test(test_parse_feature_not_string),
	cmocka_unit_test(test_parse_features_not_nest),
	cmocka_unit_test(test_parse_too_many_features),
	cmocka_unit_test(test_parse_stats_wrong_size),
	cmocka_unit_test(test_parse_truncated),
	cmocka_unit_test(test_text),
	cmocka_unit_test(test_text_none),
	cmocka_unit_test(test_json),
	cmocka_unit_test(test_json_minimal),
};
const size_t n_version_tests = ARRAY_SIZE(version_tests);
