// SPDX-License-Identifier: GPL-2.0
/*
 * Running sbxfwctl's command line in the tests: a fake connection for the
 * fake modules of test_cli.c and test_policy_cli.c, and a run with a fake
 * argv and captured stdout and stderr.
 */
#include <stdio.h>
#include <string.h>

#include "sbxfwctl.h"
#include "tests.h"

struct fake_conn fake_conn;

int fake_conn_open(struct sbxfw_conn **connp)
{
	if (fake_conn.open_err)
		return fake_conn.open_err;
	fake_conn.opens++;
	*connp = (struct sbxfw_conn *)&fake_conn;
	return 0;
}

void fake_conn_close(struct sbxfw_conn *conn)
{
	assert_fake_conn(conn);
	fake_conn.closes++;
}

const char *fake_conn_extack(const struct sbxfw_conn *conn)
{
	assert_fake_conn(conn);
	return fake_conn.extack;
}

void assert_fake_conn(const struct sbxfw_conn *conn)
{
	assert_ptr_equal(conn, &fake_conn);
}

void cli_run(struct cli_result *res, const struct sbxfwctl_ops *ops, FILE *in,
	     const char **args)
{
	struct sbxfwctl ctl = { .ops = ops, .in = in };
	char *argv[16];
	int argc;

	for (argc = 0; args[argc]; argc++) {
		assert_true(argc < 15);
		argv[argc] = (char *)args[argc];
	}
	argv[argc] = NULL;

	capture_begin(&res->out);
	capture_begin(&res->err);
	ctl.out = res->out.f;
	ctl.err = res->err.f;
	res->status = sbxfwctl_run(&ctl, argc, argv);
	res->stdout_text = capture_end(&res->out);
	res->stderr_text = capture_end(&res->err);
}

void cli_result_free(struct cli_result *res)
{
	capture_free(&res->out);
	capture_free(&res->err);
}

bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}
