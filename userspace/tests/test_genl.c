// SPDX-License-Identifier: GPL-2.0
/*
 * The connection layer: NLMSG_ERROR messages built in memory, then the
 * request loop against the running kernel's own "nlctrl" family, which
 * answers, fails and sends extended acks like the sbxfw family would.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libsbxfw.h"
#include "tests.h"

/* The payload of the request the kernel echoes: skipped, so any bytes. */
static const unsigned char request_payload[GENL_HDRLEN + 8];

/*
 * An NLMSG_ERROR for @error; @flags among NLM_F_ACK_TLVS, NLM_F_CAPPED.
 * Without NLM_F_CAPPED the request's payload is echoed before the TLVs.
 */
static struct nl_msg *error_msg(int error, int flags, const char *text,
				uint32_t miss_type)
{
	struct nlmsgerr *e;
	struct nl_msg *msg;

	msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	assert_non_null(msg);
	e = nlmsg_reserve(msg, sizeof(*e), NLMSG_ALIGNTO);
	assert_non_null(e);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + sizeof(request_payload);
	e->msg.nlmsg_type = GENL_ID_CTRL;
	e->msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	e->msg.nlmsg_seq = 7;
	if (!(flags & NLM_F_CAPPED))
		assert_int_equal(nlmsg_append(msg, (void *)request_payload,
					      sizeof(request_payload),
					      NLMSG_ALIGNTO),
				 0);
	if (text)
		assert_int_equal(nla_put_string(msg, NLMSGERR_ATTR_MSG, text),
				 0);
	if (miss_type)
		assert_int_equal(nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE,
					     miss_type),
				 0);
	return msg;
}

static void test_nlmsgerr_extack(void **state)
{
	char extack[SBXFW_EXTACK_MAX];
	struct nl_msg *msg;

	(void)state;
	msg = error_msg(-EPERM, NLM_F_ACK_TLVS, "not in init_net", 0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EPERM);
	assert_string_equal(extack, "not in init_net");
	nlmsg_free(msg);

	msg = error_msg(-EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, "bad policy",
			0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "bad policy");
	nlmsg_free(msg);
}

static void test_nlmsgerr_no_extack(void **state)
{
	char extack[SBXFW_EXTACK_MAX];
	struct nl_msg *msg;

	(void)state;
	msg = error_msg(-ENOENT, 0, NULL, 0);
	strcpy(extack, "stale");
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -ENOENT);
	assert_string_equal(extack, "");
	nlmsg_free(msg);

	/* TLVs present but not announced by NLM_F_ACK_TLVS: not read. */
	msg = error_msg(-ENOENT, 0, "ignored", 0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -ENOENT);
	assert_string_equal(extack, "");
	nlmsg_free(msg);

	msg = error_msg(0, NLM_F_CAPPED, NULL, 0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 0);
	nlmsg_free(msg);
}

static void test_nlmsgerr_missing_attr(void **state)
{
	char extack[SBXFW_EXTACK_MAX];
	struct nl_msg *msg;

	(void)state;
	msg = error_msg(-EINVAL, NLM_F_ACK_TLVS, NULL, 3);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "missing attribute type 3");
	nlmsg_free(msg);
}

static void test_nlmsgerr_malformed(void **state)
{
	char extack[SBXFW_EXTACK_MAX];
	struct nlmsgerr *e;
	struct nl_msg *msg;

	(void)state;
	/* An echoed request longer than the whole message. */
	msg = error_msg(-EPERM, NLM_F_ACK_TLVS, "unreachable", 0);
	e = nlmsg_data(nlmsg_hdr(msg));
	e->msg.nlmsg_len = 4000;
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EPERM);
	assert_string_equal(extack, "");
	e->msg.nlmsg_len = 3;
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EPERM);
	nlmsg_free(msg);

	/* Not an errno at all. */
	msg = error_msg(5, 0, NULL, 0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EPROTO);
	nlmsg_free(msg);

	/* Too short for a struct nlmsgerr. */
	msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	assert_non_null(nlmsg_reserve(msg, 4, NLMSG_ALIGNTO));
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EBADMSG);
	nlmsg_free(msg);
}

static void test_nlmsgerr_long_extack(void **state)
{
	char extack[8];
	struct nl_msg *msg;

	(void)state;
	msg = error_msg(-EINVAL, NLM_F_ACK_TLVS, "0123456789", 0);
	assert_int_equal(sbxfw_nlmsgerr_parse(nlmsg_hdr(msg), extack,
					      sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "0123456");
	nlmsg_free(msg);
}

bool genl_live_usable(const char **why)
{
	struct sbxfw_conn *conn;
	int err;

	err = sbxfw_conn_open_family(&conn, "nlctrl");
	if (err) {
		*why = strerror(-err);
		return false;
	}
	sbxfw_conn_close(conn);
	return true;
}

static int live_setup(void **state)
{
	struct sbxfw_conn *conn;

	if (sbxfw_conn_open_family(&conn, "nlctrl"))
		return -1;
	*state = conn;
	return 0;
}

static int live_teardown(void **state)
{
	sbxfw_conn_close(*state);
	return 0;
}

static struct nl_msg *getfamily(struct sbxfw_conn *conn, const char *name)
{
	struct nl_msg *msg;

	msg = sbxfw_msg_new(conn, CTRL_CMD_GETFAMILY, 0);
	assert_non_null(msg);
	assert_int_equal(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name), 0);
	return msg;
}

struct replies {
	int count;
	int fail_with;
	char name[GENL_NAMSIZ];
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct replies *r = arg;

	r->count++;
	if (r->fail_with)
		return r->fail_with;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return -EBADMSG;
	if (tb[CTRL_ATTR_FAMILY_NAME])
		snprintf(r->name, sizeof(r->name), "%s",
			 nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]));
	return 0;
}

static void test_live_family_not_found(void **state)
{
	struct sbxfw_conn *conn = NULL;

	(void)state;
	assert_int_equal(sbxfw_conn_open_family(&conn, "sbxfw-nx"), -ENOENT);
	assert_null(conn);
}

static void test_live_reply(void **state)
{
	struct sbxfw_conn *conn = *state;
	struct replies r = { 0 };
	struct nl_msg *msg;

	msg = getfamily(conn, "nlctrl");
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), 0);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.name, "nlctrl");
	assert_null(sbxfw_conn_extack(conn));
	nlmsg_free(msg);
}

static void test_live_dump(void **state)
{
	struct sbxfw_conn *conn = *state;
	struct replies r = { 0 };
	struct nl_msg *msg;

	msg = sbxfw_msg_new(conn, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	assert_non_null(msg);
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), 0);
	assert_true(r.count >= 1);
	nlmsg_free(msg);
}

static void test_live_kernel_errno(void **state)
{
	struct sbxfw_conn *conn = *state;
	struct replies r = { 0 };
	struct nl_msg *msg;

	msg = getfamily(conn, "sbxfw-nx");
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), -ENOENT);
	assert_int_equal(r.count, 0);
	nlmsg_free(msg);
}

/* A u8 where nlctrl's policy wants a u16: refused with an extack. */
static void test_live_kernel_extack(void **state)
{
	struct sbxfw_conn *conn = *state;
	struct replies r = { 0 };
	struct nl_msg *msg;
	int err;

	msg = sbxfw_msg_new(conn, CTRL_CMD_GETFAMILY, 0);
	assert_non_null(msg);
	assert_int_equal(nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1), 0);
	err = sbxfw_request(conn, msg, on_reply, &r);
	assert_true(err == -ERANGE || err == -EINVAL);
	assert_non_null(sbxfw_conn_extack(conn));
	assert_true(strlen(sbxfw_conn_extack(conn)) > 0);
	nlmsg_free(msg);

	/* The next request starts with no message. */
	msg = getfamily(conn, "nlctrl");
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), 0);
	assert_null(sbxfw_conn_extack(conn));
	nlmsg_free(msg);
}

/* A reply the caller refuses: its error, and the ack is still read. */
static void test_live_reply_error(void **state)
{
	struct sbxfw_conn *conn = *state;
	struct replies r = { .fail_with = -EBADMSG };
	struct nl_msg *msg;

	msg = sbxfw_msg_new(conn, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	assert_non_null(msg);
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), -EBADMSG);
	assert_int_equal(r.count, 1);
	nlmsg_free(msg);

	r.fail_with = 0;
	r.count = 0;
	msg = getfamily(conn, "nlctrl");
	assert_int_equal(sbxfw_request(conn, msg, on_reply, &r), 0);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.name, "nlctrl");
	nlmsg_free(msg);
}

const struct CMUnitTest genl_tests[] = {
	cmocka_unit_test(test_nlmsgerr_extack),
	cmocka_unit_test(test_nlmsgerr_no_extack),
	cmocka_unit_test(test_nlmsgerr_missing_attr),
	cmocka_unit_test(test_nlmsgerr_malformed),
	cmocka_unit_test(test_nlmsgerr_long_extack),
};
const size_t n_genl_tests = ARRAY_SIZE(genl_tests);

const struct CMUnitTest genl_live_tests[] = {
	cmocka_unit_test(test_live_family_not_found),
	cmocka_unit_test_setup_teardown(test_live_reply, live_setup,
					live_teardown),
	cmocka_unit_test_setup_teardown(test_live_dump, live_setup,
					live_teardown),
	cmocka_unit_test_setup_teardown(test_live_kernel_errno, live_setup,
					live_teardown),
	cmocka_unit_test_setup_teardown(test_live_kernel_extack, live_setup,
					live_teardown),
	cmocka_unit_test_setup_teardown(test_live_reply_error, live_setup,
					live_teardown),
};
const size_t n_genl_live_tests = ARRAY_SIZE(genl_live_tests);
