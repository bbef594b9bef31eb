// SPDX-License-Identifier: GPL-2.0
/*
 * In-memory GET_VERSION replies built with libnl, and output capture.
 */
#include <stdio.h>
#include <stdlib.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "tests.h"

/* Any id: the parser does not look at it. */
#define FAKE_FAMILY_ID 0x1c

struct nl_msg *reply_new(uint8_t family_version)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 4242, 1, FAKE_FAMILY_ID, 0, 0,
				    SBXFW_CMD_GET_VERSION, family_version));
	return msg;
}

void reply_put_features(struct nl_msg *msg, const char *const *names, size_t n)
{
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(msg, SBXFW_A_FEATURES);
	assert_non_null(nest);
	for (i = 0; i < n; i++)
		assert_int_equal(nla_put_string(msg, SBXFW_A_FEATURE, names[i]),
				 0);
	assert_int_equal(nla_nest_end(msg, nest), 0);
}

void reply_put_stats(struct nl_msg *msg, uint32_t netns)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SBXFW_A_STATS);
	assert_non_null(nest);
	assert_int_equal(nla_put_u32(msg, SBXFW_A_STAT_NETNS, netns), 0);
	assert_int_equal(nla_nest_end(msg, nest), 0);
}

struct nl_msg *reply_good(const char *const *names, size_t n)
{
	struct nl_msg *msg = reply_new(1);

	assert_int_equal(nla_put_string(msg, SBXFW_A_VERSION, "0.1.0"), 0);
	reply_put_features(msg, names, n);
	reply_put_stats(msg, 12);
	return msg;
}

void capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

const char *capture_end(struct capture *c)
{
	if (c->f) {
		assert_int_equal(fclose(c->f), 0);
		c->f = NULL;
	}
	return c->buf;
}

void capture_free(struct capture *c)
{
	capture_end(c);
	free(c->buf);
	c->buf = NULL;
}
