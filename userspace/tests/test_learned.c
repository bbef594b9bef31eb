// SPDX-License-Identifier: GPL-2.0
/*
 * Learned entries: LEARNED_GET replies built as the module sends them and
 * malformed ones, the requests of LEARNED_GET and LEARNED_FLUSH, and
 * "sbxfwctl learned ..." with a fake module behind struct sbxfwctl_ops.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libsbxfw.h"
#include "sbxfwctl.h"
#include "tests.h"

#define FAMILY 0x1e
#define NETNS "/proc/self/ns/net"

/* Replies as the module sends them */

/* What one reply holds; a NULL or negative field leaves it out. */
struct entry_attrs {
	const void *addr;
	int addr_len; /* < 0: no SBXFW_LEARNED_A_ADDR */
	const void *name; /* NULL: no SBXFW_LEARNED_A_NAME */
	int name_len; /* 0: strlen(name) + 1 */
	int expires_len; /* 0: a u32; < 0: no SBXFW_LEARNED_A_EXPIRES */
	uint32_t expires;
	int rule_len; /* 0: no SBXFW_LEARNED_A_RULE; else its length */
	uint32_t rule;
	bool extra; /* attributes this tool does not know, in and out */
};

static struct nl_msg *reply_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 4242, 5, FAMILY, 0, NLM_F_MULTI,
				    SBXFW_CMD_LEARNED_GET, 1));
	return msg;
}

static struct nl_msg *entry_msg(const struct entry_attrs *e)
{
	static const uint8_t expires8[8] = { 1 };
	struct nl_msg *msg = reply_msg();
	struct nlattr *nest;
	int len;

	if (e->extra)
		assert_int_equal(nla_put_u32(msg, SBXFW_A_MAX + 5, 1), 0);
	nest = nla_nest_start(msg, SBXFW_A_LEARNED);
	assert_non_null(nest);
	if (e->addr_len >= 0)
		assert_int_equal(nla_put(msg, SBXFW_LEARNED_A_ADDR, e->addr_len,
					 e->addr),
				 0);
	if (e->name) {
		len = e->name_len ? e->name_len : (int)strlen(e->name) + 1;
		assert_int_equal(
			nla_put(msg, SBXFW_LEARNED_A_NAME, len, e->name), 0);
	}
	if (e->expires_len == 0)
		assert_int_equal(nla_put_u32(msg, SBXFW_LEARNED_A_EXPIRES,
					     e->expires),
				 0);
	else if (e->expires_len > 0)
		assert_int_equal(nla_put(msg, SBXFW_LEARNED_A_EXPIRES,
					 e->expires_len, expires8),
				 0);
	if (e->rule_len)
		assert_int_equal(nla_put(msg, SBXFW_LEARNED_A_RULE, e->rule_len,
					 &e->rule),
				 0);
	if (e->extra)
		assert_int_equal(nla_put_string(msg, SBXFW_LEARNED_A_MAX + 3,
						"later"),
				 0);
	assert_int_equal(nla_nest_end(msg, nest), 0);
	return msg;
}

static const uint8_t v4[4] = { 198, 51, 100, 10 };
static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void test_parse_v4(void **state)
{
	struct sbxfw_learned_entry e;
	const char *why = "stale";
	struct nl_msg *msg;

	(void)state;
	msg = entry_msg(&(struct entry_attrs){ .addr = v4,
					       .addr_len = 4,
					       .name = "a.example.test",
					       .expires = 59,
					       .rule_len = 4,
					       .rule = 3,
					       .extra = true });
	assert_int_equal(sbxfw_learned_entry_parse(nlmsg_hdr(msg), &e, &why),
			 0);
	assert_null(why);
	assert_int_equal(e.family, AF_INET);
	assert_memory_equal(e.addr, v4, 4);
	assert_string_equal(e.name, "a.example.test");
	assert_int_equal(e.expires, 59);
	assert_int_equal(e.rule, 3);
	nlmsg_free(msg);
}

static void test_parse_v6(void **state)
{
	char longest[SBXFW_LEARNED_NAME_MAX];
	struct sbxfw_learned_entry e;
	const char *why;
	struct nl_msg *msg;

	(void)state;
	msg = entry_msg(&(struct entry_attrs){ .addr = v6,
					       .addr_len = 16,
					       .name = "b.example.test",
					       .expires = UINT32_MAX });
	assert_int_equal(sbxfw_learned_entry_parse(nlmsg_hdr(msg), &e, &why),
			 0);
	assert_int_equal(e.family, AF_INET6);
	assert_memory_equal(e.addr, v6, 16);
	assert_string_equal(e.name, "b.example.test");
	assert_true(e.expires == UINT32_MAX);
	assert_int_equal(e.rule, -1); /* no rule covers it now */
	nlmsg_free(msg);

	/* The longest name a DNS name can be. */
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	msg = entry_msg(&(struct entry_attrs){
		.addr = v6, .addr_len = 16, .name = longest });
	assert_int_equal(sbxfw_learned_entry_parse(nlmsg_hdr(msg), &e, &why),
			 0);
	assert_int_equal(strlen(e.name), 253);
	nlmsg_free(msg);
}

static void assert_refused(struct nl_msg *msg, const char *reason)
{
	struct sbxfw_learned_entry e;
	const char *why = NULL;

	assert_int_equal(sbxfw_learned_entry_parse(nlmsg_hdr(msg), &e, &why),
			 -EBADMSG);
	assert_non_null(why);
	assert_string_equal(why, reason);
	nlmsg_free(msg);
}

#define NAME_RULE                                                          \
	"a name (SBXFW_LEARNED_A_NAME) is not a NUL-terminated string of " \
	"1 to 253 printable characters without spaces"

static void test_parse_refuses_entry(void **state)
{
	static const char *const bad_names[] = {
		"",
		"a example.test",
		"a.example.test\x1b[2J",
		"caf\xc3\xa9.example",
	};
	static const int addr_lens[] = { 0, 3, 5, 8, 15, 17, 20 };
	static const uint8_t addr[20];
	char too_long[SBXFW_LEARNED_NAME_MAX + 1];
	struct entry_attrs e = { .addr = v4,
				 .addr_len = 4,
				 .name = "a.example.test" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(addr_lens); i++) {
		e.addr = addr;
		e.addr_len = addr_lens[i];
		assert_refused(entry_msg(&e),
			       "an address (SBXFW_LEARNED_A_ADDR) "
			       "is neither 4 nor 16 bytes");
	}
	e.addr = v4;
	e.addr_len = -1;
	assert_refused(entry_msg(&e),
		       "an entry has no address (SBXFW_LEARNED_A_ADDR)");
	e.addr_len = 4;

	e.name = NULL;
	assert_refused(entry_msg(&e),
		       "an entry has no name (SBXFW_LEARNED_A_NAME)");
	for (i = 0; i < ARRAY_SIZE(bad_names); i++) {
		e.name = bad_names[i];
		assert_refused(entry_msg(&e), NAME_RULE);
	}
	/* No NUL, a NUL inside, one byte too long. */
	e.name = "a.example.test";
	e.name_len = strlen(e.name);
	assert_refused(entry_msg(&e), NAME_RULE);
	e.name = "a.example\0test";
	e.name_len = 15;
	assert_refused(entry_msg(&e), NAME_RULE);
	memset(too_long, 'a', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	e.name = too_long;
	e.name_len = 0;
	assert_refused(entry_msg(&e), NAME_RULE);
	e.name = "a.example.test";

	e.expires_len = -1;
	assert_refused(entry_msg(&e),
		       "an entry has no expiry (SBXFW_LEARNED_A_EXPIRES)");
	e.expires_len = 8;
	assert_refused(entry_msg(&e), "an expiry (SBXFW_LEARNED_A_EXPIRES) "
				      "is not 4 bytes");
	e.expires_len = 2;
	assert_refused(entry_msg(&e), "an expiry (SBXFW_LEARNED_A_EXPIRES) "
				      "is not 4 bytes");
	e.expires_len = 0;
	e.rule_len = 2;
	assert_refused(entry_msg(&e), "a rule (SBXFW_LEARNED_A_RULE) is not "
				      "a rule index of 4 bytes");
	e.rule_len = 4;
	e.rule = 256;
	assert_refused(entry_msg(&e), "a rule (SBXFW_LEARNED_A_RULE) is not "
				      "a rule index of 4 bytes");
}

static void test_parse_refuses_shape(void **state)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	(void)state;
	/* No entry at all. */
	assert_refused(reply_msg(), "no learned entry (SBXFW_A_LEARNED) nest");

	/* SBXFW_A_LEARNED whose bytes are no attributes. */
	msg = reply_msg();
	assert_int_equal(nla_put(msg, SBXFW_A_LEARNED, 6, "\x09\x00\x01\x00xx"),
			 0);
	assert_refused(msg, "no learned entry (SBXFW_A_LEARNED) nest");

	/* Each attribute once. */
	msg = reply_msg();
	nest = nla_nest_start(msg, SBXFW_A_LEARNED);
	assert_int_equal(nla_put(msg, SBXFW_LEARNED_A_ADDR, 4, v4), 0);
	assert_int_equal(nla_put(msg, SBXFW_LEARNED_A_ADDR, 16, v6), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, "an entry has two addresses");

	msg = reply_msg();
	nest = nla_nest_start(msg, SBXFW_A_LEARNED);
	assert_int_equal(nla_put_string(msg, SBXFW_LEARNED_A_NAME, "a.b"), 0);
	assert_int_equal(nla_put_string(msg, SBXFW_LEARNED_A_NAME, "c.d"), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, "an entry has two names");

	msg = reply_msg();
	nest = nla_nest_start(msg, SBXFW_A_LEARNED);
	assert_int_equal(nla_put_u32(msg, SBXFW_LEARNED_A_EXPIRES, 1), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_LEARNED_A_EXPIRES, 2), 0);
	nla_nest_end(msg, nest);
	assert_refused(msg, "an entry has two expiries");

	/* A message that ends inside an attribute. */
	msg = entry_msg(&(struct entry_attrs){
		.addr = v4, .addr_len = 4, .name = "a.example.test" });
	assert_non_null(nlmsg_reserve(msg, 2, 1));
	memset((char *)nlmsg_hdr(msg) + nlmsg_hdr(msg)->nlmsg_len - 2, 0xff, 2);
	assert_refused(msg, "malformed attributes");

	/* Shorter than the generic netlink header. */
	msg = nlmsg_alloc_simple(FAMILY, NLM_F_MULTI);
	assert_non_null(msg);
	assert_refused(msg, "a message is shorter than its headers");
}

/*
 * Every byte after the netlink header of a good reply, replaced in turn:
 * the parser takes it or refuses it with a reason, never reads out of
 * bounds, and what it takes is an entry as documented.
 */
static void test_parse_mutations(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x04, 0x10,
					  0x20, 0x7f, 0x80, 0xff };
	struct sbxfw_learned_entry e;
	struct nlmsghdr *nlh;
	struct nl_msg *msg;
	uint8_t *bytes, saved;
	const char *why;
	size_t i, j, k;
	int err;

	(void)state;
	msg = entry_msg(&(struct entry_attrs){ .addr = v6,
					       .addr_len = 16,
					       .name = "a.example.test",
					       .expires = 300 });
	nlh = nlmsg_hdr(msg);
	bytes = (uint8_t *)nlh;
	for (i = NLMSG_HDRLEN; i < nlh->nlmsg_len; i++) {
		saved = bytes[i];
		for (j = 0; j < sizeof(values); j++) {
			bytes[i] = values[j];
			why = NULL;
			err = sbxfw_learned_entry_parse(nlh, &e, &why);
			if (err) {
				assert_int_equal(err, -EBADMSG);
				assert_non_null(why);
				continue;
			}
			assert_true(e.family == AF_INET ||
				    e.family == AF_INET6);
			assert_true(strlen(e.name) >= 1 &&
				    strlen(e.name) < SBXFW_LEARNED_NAME_MAX);
			for (k = 0; e.name[k]; k++)
				assert_true(e.name[k] > ' ' &&
					    e.name[k] <= '~');
		}
		bytes[i] = saved;
	}
	nlmsg_free(msg);
}

/* The requests */

struct request {
	uint16_t flags;
	uint8_t cmd, version;
	bool has_fd, has_pid;
	uint32_t fd, pid;
	int others; /* other attributes */
};

static void read_request(struct nl_msg *msg, struct request *r)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	memset(r, 0, sizeof(*r));
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	r->flags = nlh->nlmsg_flags;
	r->cmd = gnlh->cmd;
	r->version = gnlh->version;
	assert_true(sbxfw_attrs_ok(genlmsg_attrdata(gnlh, 0),
				   genlmsg_attrlen(gnlh, 0)));
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		switch (nla_type(a)) {
		case SBXFW_A_NETNS_FD:
			assert_int_equal(nla_len(a), 4);
			assert_false(r->has_fd);
			r->has_fd = true;
			r->fd = nla_get_u32(a);
			break;
		case SBXFW_A_NETNS_PID:
			assert_int_equal(nla_len(a), 4);
			assert_false(r->has_pid);
			r->has_pid = true;
			r->pid = nla_get_u32(a);
			break;
		default:
			r->others++;
		}
	}
}

static void test_request_flush(void **state)
{
	const struct sbxfw_netns by_fd = { .by_pid = false, .id = 7 };
	const struct sbxfw_netns by_pid = { .by_pid = true, .id = 4321 };
	struct nl_msg *msg;
	struct request r;

	(void)state;
	msg = sbxfw_learned_msg(FAMILY, SBXFW_CMD_LEARNED_FLUSH, &by_fd);
	assert_non_null(msg);
	read_request(msg, &r);
	assert_int_equal(r.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(r.cmd, SBXFW_CMD_LEARNED_FLUSH);
	assert_int_equal(r.version, SBXFW_GENL_VERSION);
	assert_true(r.has_fd);
	assert_int_equal(r.fd, 7);
	assert_false(r.has_pid);
	assert_int_equal(r.others, 0);
	nlmsg_free(msg);

	msg = sbxfw_learned_msg(FAMILY, SBXFW_CMD_LEARNED_FLUSH, &by_pid);
	assert_non_null(msg);
	read_request(msg, &r);
	assert_int_equal(r.cmd, SBXFW_CMD_LEARNED_FLUSH);
	assert_false(r.has_fd);
	assert_true(r.has_pid);
	assert_int_equal(r.pid, 4321);
	assert_int_equal(r.others, 0);
	nlmsg_free(msg);
}

static void test_request_get(void **state)
{
	const struct sbxfw_netns by_fd = { .by_pid = false, .id = 3 };
	struct nl_msg *msg;
	struct request r;

	(void)state;
	msg = sbxfw_learned_msg(FAMILY, SBXFW_CMD_LEARNED_GET, &by_fd);
	assert_non_null(msg);
	read_request(msg, &r);
	assert_int_equal(r.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	assert_int_equal(r.cmd, SBXFW_CMD_LEARNED_GET);
	assert_int_equal(r.version, SBXFW_GENL_VERSION);
	assert_true(r.has_fd);
	assert_int_equal(r.fd, 3);
	assert_false(r.has_pid);
	assert_int_equal(r.others, 0);
	nlmsg_free(msg);
}

/* "sbxfwctl learned ..." */

static struct {
	int err; /* of the learned operation */
	const char *why;
	struct sbxfw_learned_entry entries[4];
	size_t n;

	/* What the fake was asked. */
	int gets, flushes;
	struct sbxfw_netns ns;
} fake;

static int fake_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		    struct sbxfw_learned_entry **entries, size_t *n,
		    const char **why)
{
	assert_fake_conn(conn);
	fake.gets++;
	fake.ns = *ns;
	*why = fake.why;
	if (fake.err)
		return fake.err;
	*entries = malloc(sizeof(fake.entries));
	assert_non_null(*entries);
	memcpy(*entries, fake.entries, sizeof(fake.entries));
	*n = fake.n;
	return 0;
}

static int fake_flush(struct sbxfw_conn *conn, const struct sbxfw_netns *ns)
{
	assert_fake_conn(conn);
	fake.flushes++;
	fake.ns = *ns;
	return fake.err;
}

static const struct sbxfwctl_ops fake_ops = {
	.open = fake_conn_open,
	.close = fake_conn_close,
	.extack = fake_conn_extack,
	.learned_get = fake_get,
	.learned_flush = fake_flush,
};

static struct cli_result res;

#define RUN(...) run((const char *[]){ "sbxfwctl", __VA_ARGS__, NULL })

static void run(const char **args)
{
	cli_run(&res, &fake_ops, NULL, args);
	/* Every connection opened is closed again. */
	assert_int_equal(fake_conn.opens, fake_conn.closes);
}

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	memset(&fake_conn, 0, sizeof(fake_conn));
	memset(&res, 0, sizeof(res));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_result_free(&res);
	return 0;
}

static void again(void **state)
{
	teardown(state);
	setup(state);
}

/* The run failed (exit status 1) and said exactly @stderr_text. */
static void assert_failed(const char *stderr_text)
{
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text, stderr_text);
}

static void add_entry(int family, const char *addr, const char *name,
		      uint32_t expires)
{
	struct sbxfw_learned_entry *e = &fake.entries[fake.n++];

	/* Rule 12 for a.example.test, none for the others. */
	e->rule = strcmp(name, "a.example.test") ? -1 : 12;
	e->family = family;
	assert_int_equal(inet_pton(family, addr, e->addr), 1);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->expires = expires;
}

/*
 * In the module's order; shown by name, then IPv4 first, then address
 * (as numbers: 198.51.100.9 before 198.51.100.10).
 */
static void set_entries(void)
{
	add_entry(AF_INET6, "2001:db8::1", "a.example.test", 3600);
	add_entry(AF_INET, "203.0.113.9", "api.example.org", 86400);
	add_entry(AF_INET, "198.51.100.10", "a.example.test", 59);
	add_entry(AF_INET, "198.51.100.9", "a.example.test", 0);
}

static void test_show(void **state)
{
	set_entries();
	RUN("learned", "show", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stderr_text, "");
	assert_string_equal(res.stdout_text,
			    "ADDRESS        NAME             RULE  EXPIRES\n"
			    "198.51.100.9   a.example.test     12        0\n"
			    "198.51.100.10  a.example.test     12       59\n"
			    "2001:db8::1    a.example.test     12     3600\n"
			    "203.0.113.9    api.example.org     -    86400\n");
	assert_int_equal(fake.gets, 1);
	assert_false(fake.ns.by_pid);
	assert_int_equal(fake_conn.closes, 1);
	again(state);

	set_entries();
	fake.entries[0].expires = UINT32_MAX;
	RUN("--json", "learned", "show", "--pid", "77");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stderr_text, "");
	assert_string_equal(res.stdout_text,
			    "[{\"address\":\"198.51.100.9\",\"name\":"
			    "\"a.example.test\",\"rule\":12,\"expires\":0},"
			    "{\"address\":\"198.51.100.10\",\"name\":"
			    "\"a.example.test\",\"rule\":12,\"expires\":59},"
			    "{\"address\":\"2001:db8::1\",\"name\":"
			    "\"a.example.test\",\"rule\":12,\"expires\":"
			    "4294967295},"
			    "{\"address\":\"203.0.113.9\",\"name\":"
			    "\"api.example.org\",\"rule\":null,\"expires\":"
			    "86400}]\n");
	assert_true(fake.ns.by_pid);
	assert_int_equal(fake.ns.id, 77);
	again(state);

	/* Wide columns grow; the longest address, name and expiry. */
	add_entry(AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		  "a-rather-long-name.example.test", 4294967295U);
	RUN("learned", "show", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(
		res.stdout_text,
		"ADDRESS                                 NAME     "
		"                        RULE     EXPIRES\n"
		"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff  "
		"a-rather-long-name.example.test     -  4294967295\n");
}

static void test_show_empty(void **state)
{
	RUN("learned", "show", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "ADDRESS  NAME  RULE  EXPIRES\n");
	assert_string_equal(res.stderr_text, "");
	again(state);

	RUN("-j", "learned", "show", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "[]\n");
	assert_string_equal(res.stderr_text, "");
}

static void test_show_errors(void **state)
{
	/* The module's "no policy", with or without its extack. */
	fake.err = -ENOENT;
	fake_conn.extack = "the netns has no policy";
	RUN("learned", "show", NETNS);
	assert_failed("sbxfwctl: learned show: /proc/self/ns/net has no "
		      "policy\n");
	again(state);

	fake.err = -ENOENT;
	RUN("-j", "learned", "show", "--pid", "42");
	assert_failed("sbxfwctl: learned show: pid 42 has no policy\n");
	again(state);

	fake.err = -ESRCH;
	fake_conn.extack = "no process with that pid";
	RUN("learned", "show", "--pid", "42");
	assert_failed("sbxfwctl: learned show: No such process (kernel: no "
		      "process with that pid)\n");
	again(state);

	fake.err = -EBADMSG;
	fake.why = "an address (SBXFW_LEARNED_A_ADDR) is neither 4 nor 16 "
		   "bytes";
	RUN("learned", "show", NETNS);
	assert_failed("sbxfwctl: learned show: malformed reply from the "
		      "module: an address (SBXFW_LEARNED_A_ADDR) is neither 4 "
		      "nor 16 bytes\n");
	again(state);

	fake.err = -E2BIG;
	fake.why = "more than 65536 learned entries";
	RUN("learned", "show", NETNS);
	assert_failed("sbxfwctl: learned show: malformed reply from the "
		      "module: more than 65536 learned entries\n");
	again(state);

	fake.err = -EOPNOTSUPP;
	RUN("learned", "show", NETNS);
	assert_failed("sbxfwctl: learned show: the loaded sbxfw module does "
		      "not learn from DNS (it lacks the \"dns\" feature)\n");
	again(state);

	fake.err = -EPERM;
	RUN("learned", "show", NETNS);
	assert_int_equal(res.status, 1);
	assert_true(starts_with(res.stderr_text,
				"sbxfwctl: learned show: permission denied: "));
	again(state);

	fake_conn.open_err = -ENOENT;
	RUN("learned", "show", NETNS);
	assert_failed("sbxfwctl: the sbxfw module is not loaded (no "
		      "generic netlink family \"sbxfw\")\n");
	assert_int_equal(fake.gets, 0);
	again(state);

	RUN("learned", "show", "sbxfw-test-no-such-netns");
	assert_failed("sbxfwctl: learned show: cannot open the network "
		      "namespace /run/netns/sbxfw-test-no-such-netns: No "
		      "such file or directory\n");
	assert_int_equal(fake_conn.opens, 0);
	again(state);

	RUN("learned", "flush", "/proc/self/ns/uts");
	assert_failed("sbxfwctl: learned flush: /proc/self/ns/uts is not a "
		      "network namespace\n");
	assert_int_equal(fake_conn.opens, 0);
}

static void test_flush(void **state)
{
	RUN("learned", "flush", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text, "");
	assert_int_equal(fake.flushes, 1);
	assert_int_equal(fake.gets, 0);
	assert_false(fake.ns.by_pid);
	assert_int_equal(fake_conn.closes, 1);
	again(state);

	RUN("-j", "learned", "flush", "--pid=9");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "");
	assert_true(fake.ns.by_pid);
	assert_int_equal(fake.ns.id, 9);
	again(state);

	fake.err = -ENOENT;
	fake_conn.extack = "the netns has no policy";
	RUN("learned", "flush", NETNS);
	assert_failed("sbxfwctl: learned flush: No such file or directory "
		      "(kernel: the netns has no policy)\n");
	again(state);

	fake.err = -EOPNOTSUPP;
	RUN("learned", "flush", NETNS);
	assert_failed("sbxfwctl: learned flush: the loaded sbxfw module does "
		      "not learn from DNS (it lacks the \"dns\" feature)\n");
	again(state);

	fake_conn.open_err = -EPROTONOSUPPORT;
	RUN("learned", "flush", NETNS);
	assert_failed("sbxfwctl: learned flush: Protocol not supported\n");
	assert_int_equal(fake.flushes, 0);
}

static void test_usage_errors(void **state)
{
	static const struct {
		const char *args[6];
		const char *message;
	} cases[] = {
		{ { "learned" }, "sbxfwctl: learned: no subcommand given\n" },
		{ { "learned", "list" },
		  "sbxfwctl: learned: unknown subcommand 'list'\n" },
		{ { "learned", "--pid", "1" },
		  "sbxfwctl: learned: unknown subcommand '--pid'\n" },
		{ { "learned", "show" },
		  "sbxfwctl: learned show: no network namespace given (a name, "
		  "a path or --pid PID)\n" },
		{ { "learned", "flush" },
		  "sbxfwctl: learned flush: no network namespace given (a "
		  "name, a path or --pid PID)\n" },
		{ { "learned", "show", NETNS, "extra" },
		  "sbxfwctl: learned show: unexpected argument 'extra'\n" },
		{ { "learned", "flush", "--pid", "3", NETNS },
		  "sbxfwctl: learned flush: unexpected argument "
		  "'/proc/self/ns/net'\n" },
		{ { "learned", "show", "--pid", "0" },
		  "sbxfwctl: learned show: --pid: '0' is not a process id\n" },
		{ { "learned", "flush", "--pid" },
		  "sbxfwctl: learned flush: --pid needs a value\n" },
		{ { "learned", "flush", "--expect-generation", "1", NETNS },
		  "sbxfwctl: learned flush: unknown option "
		  "'--expect-generation'\n" },
		{ { "learned", "show", "--print", NETNS },
		  "sbxfwctl: learned show: unknown option '--print'\n" },
	};
	const char *argv[8];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		argv[0] = "sbxfwctl";
		for (j = 0; cases[i].args[j]; j++)
			argv[j + 1] = cases[i].args[j];
		argv[j + 1] = NULL;
		run(argv);
		assert_int_equal(res.status, 2);
		assert_string_equal(res.stdout_text, "");
		if (!starts_with(res.stderr_text, cases[i].message))
			fail_msg("stderr: %s", res.stderr_text);
		assert_true(strstr(res.stderr_text, "usage: sbxfwctl ") !=
			    NULL);
		assert_int_equal(fake_conn.opens, 0);
		assert_int_equal(fake.gets + fake.flushes, 0);
		again(state);
	}
}

static void test_help_lists_learned(void **state)
{
	(void)state;
	RUN("--help");
	assert_int_equal(res.status, 0);
	assert_true(strstr(res.stdout_text, "\n  learned       ") != NULL);
	assert_true(strstr(res.stdout_text, "\nlearned commands (") != NULL);
	assert_true(strstr(res.stdout_text, "\n  learned show NETNS\n") !=
		    NULL);
	assert_true(strstr(res.stdout_text, "\n  learned flush NETNS\n") !=
		    NULL);
}

#define CLI_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

const struct CMUnitTest learned_tests[] = {
	cmocka_unit_test(test_parse_v4),
	cmocka_unit_test(test_parse_v6),
	cmocka_unit_test(test_parse_refuses_entry),
	cmocka_unit_test(test_parse_refuses_shape),
	cmocka_unit_test(test_parse_mutations),
	cmocka_unit_test(test_request_flush),
	cmocka_unit_test(test_request_get),
	CLI_TEST(test_show),
	CLI_TEST(test_show_empty),
	CLI_TEST(test_show_errors),
	CLI_TEST(test_flush),
	CLI_TEST(test_usage_errors),
	CLI_TEST(test_help_lists_learned),
};
const size_t n_learned_tests = ARRAY_SIZE(learned_tests);
