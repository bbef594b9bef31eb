// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfwctl's command line, run with a fake argv, captured stdout and
 * stderr, and a fake module that answers with an in-memory reply or fails
 * the way the kernel would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>

#include "sbxfwctl.h"
#include "tests.h"
#include "version.h"

#define TOOL_LINE "sbxfwctl " SBXFW_VERSION "\n"
#define NOT_LOADED                                                      \
	"sbxfwctl: the sbxfw module is not loaded (no generic netlink " \
	"family \"sbxfw\")\n"
#define EPERM_TEXT                                                     \
	"sbxfwctl: version: permission denied: sbxfw is managed only " \
	"from the initial network namespace, with CAP_NET_ADMIN"

static struct {
	int version_err;
	const char *why;
	struct nl_msg *reply;
} fake;

static int fake_version(struct sbxfw_conn *conn, struct sbxfw_version *v,
			const char **why)
{
	assert_fake_conn(conn);
	if (fake.version_err) {
		memset(v, 0, sizeof(*v));
		*why = fake.why;
		return fake.version_err;
	}
	return sbxfw_version_parse(nlmsg_hdr(fake.reply), v, why);
}

static const struct sbxfwctl_ops fake_ops = {
	.open = fake_conn_open,
	.close = fake_conn_close,
	.extack = fake_conn_extack,
	.version = fake_version,
};

static struct cli_result res;

/* Runs sbxfwctl with the NULL-terminated arguments after "sbxfwctl". */
#define RUN(...)                       \
	cli_run(&res, &fake_ops, NULL, \
		(const char *[]){ "sbxfwctl", __VA_ARGS__ })

static int setup(void **state)
{
	static const char *const names[] = { "netns-stats" };

	(void)state;
	memset(&fake, 0, sizeof(fake));
	memset(&fake_conn, 0, sizeof(fake_conn));
	memset(&res, 0, sizeof(res));
	fake.reply = reply_good(names, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nlmsg_free(fake.reply);
	cli_result_free(&res);
	return 0;
}

static void assert_usage(const char *text)
{
	assert_true(strstr(text, "usage: sbxfwctl ") != NULL);
	assert_true(strstr(text, "\n  version ") != NULL);
	assert_true(strstr(text, "\n  help ") != NULL);
}

static void test_help(void **state)
{
	(void)state;
	RUN("help", NULL);
	assert_int_equal(res.status, 0);
	assert_true(starts_with(res.stdout_text, "usage: sbxfwctl "));
	assert_usage(res.stdout_text);
	assert_string_equal(res.stderr_text, "");
	assert_int_equal(fake_conn.opens, 0);
}

static void test_help_options(void **state)
{
	(void)state;
	RUN("-h", NULL);
	assert_int_equal(res.status, 0);
	assert_usage(res.stdout_text);
	assert_string_equal(res.stderr_text, "");
	teardown(state);
	setup(state);

	RUN("--help", "version", NULL);
	assert_int_equal(res.status, 0);
	assert_usage(res.stdout_text);
	assert_int_equal(fake_conn.opens, 0);
}

static void test_no_command(void **state)
{
	(void)state;
	RUN(NULL);
	assert_int_equal(res.status, 2);
	assert_string_equal(res.stdout_text, "");
	assert_true(
		starts_with(res.stderr_text, "sbxfwctl: no command given\n"));
	assert_usage(res.stderr_text);
}

static void test_unknown_command(void **state)
{
	(void)state;
	RUN("frobnicate", NULL);
	assert_int_equal(res.status, 2);
	assert_string_equal(res.stdout_text, "");
	assert_true(starts_with(res.stderr_text,
				"sbxfwctl: unknown command 'frobnicate'\n"));
	assert_usage(res.stderr_text);
	assert_int_equal(fake_conn.opens, 0);
}

static void test_unknown_option(void **state)
{
	(void)state;
	RUN("--bogus", "version", NULL);
	assert_int_equal(res.status, 2);
	assert_string_equal(res.stdout_text, "");
	assert_true(starts_with(res.stderr_text,
				"sbxfwctl: unknown option '--bogus'\n"));
	assert_usage(res.stderr_text);
	assert_int_equal(fake_conn.opens, 0);
}

static void test_extra_argument(void **state)
{
	(void)state;
	RUN("version", "now", NULL);
	assert_int_equal(res.status, 2);
	assert_true(starts_with(res.stderr_text,
				"sbxfwctl: version: unexpected argument "
				"'now'\n"));
	assert_int_equal(fake_conn.opens, 0);
}

static void test_version_text(void **state)
{
	static const char expected[] = TOOL_LINE
		"module   0.1.0 (genl family sbxfw version 1)\n"
		"features netns-stats\n"
		"netns    12\n";

	(void)state;
	RUN("version", NULL);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, expected);
	assert_string_equal(res.stderr_text, "");
	assert_int_equal(fake_conn.opens, 1);
	assert_int_equal(fake_conn.closes, 1);
}

static void assert_version_json(void)
{
	json_t *root, *tool, *module;
	json_error_t error;

	assert_string_equal(
		res.stdout_text,
		"{\"tool\":{\"version\":\"" SBXFW_VERSION "\"},"
		"\"module\":{\"version\":\"0.1.0\",\"family_version\":1,"
		"\"features\":[\"netns-stats\"],\"stats\":{\"netns\":12}}}\n");

	root = json_loads(res.stdout_text, 0, &error);
	assert_non_null(root);
	tool = json_object_get(root, "tool");
	assert_string_equal(json_string_value(json_object_get(tool, "version")),
			    SBXFW_VERSION);
	module = json_object_get(root, "module");
	assert_string_equal(
		json_string_value(json_object_get(module, "version")), "0.1.0");
	assert_int_equal(
		json_integer_value(json_object_get(module, "family_version")),
		1);
	json_decref(root);
}

static void test_version_json(void **state)
{
	(void)state;
	RUN("-j", "version", NULL);
	assert_int_equal(res.status, 0);
	assert_version_json();
	assert_string_equal(res.stderr_text, "");
	teardown(state);
	setup(state);

	RUN("--json", "--", "version", NULL);
	assert_int_equal(res.status, 0);
	assert_version_json();
}

static void test_version_not_loaded(void **state)
{
	(void)state;
	fake_conn.open_err = -ENOENT;
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, TOOL_LINE);
	assert_string_equal(res.stderr_text, NOT_LOADED);
	assert_int_equal(fake_conn.closes, 0);
	teardown(state);
	setup(state);

	fake_conn.open_err = -ENOENT;
	RUN("-j", "version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text,
			    "{\"tool\":{\"version\":\"" SBXFW_VERSION "\"}}\n");
	assert_string_equal(res.stderr_text, NOT_LOADED);
}

/* ENOENT from the module itself is not "module not loaded". */
static void test_version_enoent_from_module(void **state)
{
	(void)state;
	fake.version_err = -ENOENT;
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: version: No such file or directory\n");
	assert_int_equal(fake_conn.closes, 1);
}

static void test_version_eperm(void **state)
{
	(void)state;
	fake.version_err = -EPERM;
	fake_conn.extack = "sbxfw: only from the initial network namespace";
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, TOOL_LINE);
	assert_string_equal(res.stderr_text,
			    EPERM_TEXT " (kernel: sbxfw: only from the initial "
				       "network namespace)\n");
	assert_int_equal(fake_conn.closes, 1);
	teardown(state);
	setup(state);

	fake.version_err = -EPERM;
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stderr_text, EPERM_TEXT "\n");
}

static void test_version_other_error(void **state)
{
	(void)state;
	fake.version_err = -EINVAL;
	fake_conn.extack = "unexpected attribute";
	RUN("-j", "version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: version: Invalid argument (kernel: "
			    "unexpected attribute)\n");
	teardown(state);
	setup(state);

	fake_conn.open_err = -EPROTONOSUPPORT;
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: version: Protocol not supported\n");
}

static void test_version_bad_reply(void **state)
{
	(void)state;
	nlmsg_free(fake.reply);
	fake.reply = reply_new(1);
	RUN("version", NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, TOOL_LINE);
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: version: malformed reply from the "
			    "module: no module version (SBXFW_A_VERSION)\n");
	assert_int_equal(fake_conn.closes, 1);
}

static ssize_t write_fails(void *cookie, const char *buf, size_t len)
{
	(void)cookie;
	(void)buf;
	(void)len;
	errno = ENOSPC;
	return -1;
}

/* Output that cannot be written (a full disk) fails the command. */
static void test_write_error(void **state)
{
	cookie_io_functions_t io = { .write = write_fails };
	struct sbxfwctl ctl = { .ops = &fake_ops };
	char *argv[] = { "sbxfwctl", "version", NULL };

	(void)state;
	ctl.out = fopencookie(NULL, "w", io);
	assert_non_null(ctl.out);
	capture_begin(&res.err);
	ctl.err = res.err.f;
	assert_int_equal(sbxfwctl_run(&ctl, 2, argv), 1);
	fclose(ctl.out);
	assert_true(starts_with(capture_end(&res.err),
				"sbxfwctl: cannot write the output: "));
}

#define CLI_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

const struct CMUnitTest cli_tests[] = {
	CLI_TEST(test_help),
	CLI_TEST(test_help_options),
	CLI_TEST(test_no_command),
	CLI_TEST(test_unknown_command),
	CLI_TEST(test_unknown_option),
	CLI_TEST(test_extra_argument),
	CLI_TEST(test_version_text),
	CLI_TEST(test_version_json),
	CLI_TEST(test_version_not_loaded),
	CLI_TEST(test_version_enoent_from_module),
	CLI_TEST(test_version_eperm),
	CLI_TEST(test_version_other_error),
	CLI_TEST(test_version_bad_reply),
	CLI_TEST(test_write_error),
};
const size_t n_cli_tests = ARRAY_SIZE(cli_tests);
