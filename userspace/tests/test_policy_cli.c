// SPDX-License-Identifier: GPL-2.0
/*
 * "sbxfwctl policy ...": arguments, policy files, namespaces, output and
 * errors, with a fake module behind struct sbxfwctl_ops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "sbxfwctl.h"
#include "tests.h"

#define NETNS "/proc/self/ns/net"

static struct {
	int err; /* of the policy operation */
	const char *why;
	int intr; /* this many -EINTR first */
	const char *get_text; /* the policy get returns */
	struct sbxfw_policy_info infos[2];
	size_t ninfos;

	/* What the fake was asked. */
	int calls;
	struct sbxfw_netns ns;
	bool has_expect;
	uint64_t expect;
	char *set_json; /* canonical form of the spec set */
} fake;

static void asked(const struct sbxfw_netns *ns, const uint64_t *expect)
{
	fake.calls++;
	fake.ns = *ns;
	fake.has_expect = expect != NULL;
	fake.expect = expect ? *expect : 0;
}

static int fake_set(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		    const struct sbxfw_policy_spec *spec,
		    const uint64_t *expect, uint64_t *generation,
		    const char **why)
{
	json_t *root;

	assert_fake_conn(conn);
	asked(ns, expect);
	assert_int_equal(sbxfw_policy_to_json(spec, &root), 0);
	fake.set_json = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	*why = fake.why;
	if (fake.err)
		return fake.err;
	*generation = 5;
	return 0;
}

static int fake_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		    struct sbxfw_policy_spec *spec, uint64_t *generation,
		    const char **why)
{
	assert_fake_conn(conn);
	asked(ns, NULL);
	memset(spec, 0, sizeof(*spec));
	*why = fake.why;
	if (fake.intr && fake.calls <= fake.intr)
		return -EINTR;
	if (fake.err)
		return fake.err;
	spec_from_text(fake.get_text, spec);
	*generation = 9;
	return 0;
}

static int fake_delete(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		       const uint64_t *expect)
{
	assert_fake_conn(conn);
	asked(ns, expect);
	return fake.err;
}

static int fake_list(struct sbxfw_conn *conn, struct sbxfw_policy_info **infos,
		     size_t *n, const char **why)
{
	assert_fake_conn(conn);
	fake.calls++;
	*why = fake.why;
	if (fake.intr && fake.calls <= fake.intr)
		return -EINTR;
	if (fake.err)
		return fake.err;
	*infos = calloc(2, sizeof(**infos));
	assert_non_null(*infos);
	memcpy(*infos, fake.infos, sizeof(fake.infos));
	*n = fake.ninfos;
	return 0;
}

static const struct sbxfwctl_ops fake_ops = {
	.open = fake_conn_open,
	.close = fake_conn_close,
	.extack = fake_conn_extack,
	.policy_set = fake_set,
	.policy_get = fake_get,
	.policy_delete = fake_delete,
	.policy_list = fake_list,
};

static struct cli_result res;

/* Runs sbxfwctl with @input as its standard input. */
#define RUN_IN(input, ...) \
	run(input, (const char *[]){ "sbxfwctl", __VA_ARGS__, NULL })
#define RUN(...) RUN_IN("", __VA_ARGS__)

static void run(const char *input, const char **args)
{
	FILE *in;

	/* fmemopen() takes no empty buffer. */
	if (!*input)
		input = " ";
	in = fmemopen((void *)input, strlen(input), "r");
	assert_non_null(in);
	cli_run(&res, &fake_ops, in, args);
	fclose(in);
	/* Every connection opened is closed again. */
	assert_int_equal(fake_conn.opens, fake_conn.closes);
}

static int setup(void **state)
{
	(void)state;
	free(fake.set_json);
	memset(&fake, 0, sizeof(fake));
	memset(&fake_conn, 0, sizeof(fake_conn));
	memset(&res, 0, sizeof(res));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(fake.set_json);
	fake.set_json = NULL;
	cli_result_free(&res);
	return 0;
}

/* The run failed (exit status 1) and said exactly @stderr_text. */
static void assert_failed(const char *stderr_text)
{
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stderr_text, stderr_text);
}

static void again(void **state)
{
	teardown(state);
	setup(state);
}

#define POLICY "{\"allow_out\":[\"a.example.com\",\"10.0.0.0/8\"]}"
#define COMPILED                                                            \
	"{\"mode\":\"custom\",\"default\":\"deny\",\"rules\":[{\"action\":" \
	"\"allow\",\"destinations\":[\"10.0.0.0/8\",\"a.example.com\"]}]}"

static void test_set_stdin(void **state)
{
	RUN_IN(POLICY, "policy", "set", NETNS, "-");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "generation 5\n");
	assert_string_equal(res.stderr_text, "");
	assert_string_equal(fake.set_json, COMPILED);
	assert_false(fake.ns.by_pid);
	assert_false(fake.has_expect);
	assert_int_equal(fake_conn.closes, 1);
	again(state);

	RUN_IN(POLICY, "-j", "policy", "set", "--expect-generation", "4", NETNS,
	       "-");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "{\"generation\":5}\n");
	assert_true(fake.has_expect);
	assert_int_equal(fake.expect, 4);
	again(state);

	RUN_IN(POLICY, "policy", "set", "--expect-generation=0", "--pid", "123",
	       "-");
	assert_int_equal(res.status, 0);
	assert_true(fake.has_expect);
	assert_int_equal(fake.expect, 0);
	assert_true(fake.ns.by_pid);
	assert_int_equal(fake.ns.id, 123);
}

static void test_set_file(void **state)
{
	char path[] = "/tmp/sbxfw-policy-XXXXXX";
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, POLICY, strlen(POLICY)),
			 (ssize_t)strlen(POLICY));
	close(fd);
	RUN("policy", "set", NETNS, path);
	assert_int_equal(res.status, 0);
	assert_string_equal(fake.set_json, COMPILED);
	again(state);

	RUN("policy", "check", path);
	assert_int_equal(res.status, 0);
	unlink(path);
	assert_true(strstr(res.stdout_text, ": ok: custom, default deny, 1 "
					    "rule, 1 IPv4 CIDR, 0 IPv6 CIDRs, "
					    "1 domain\n") != NULL);
	again(state);

	RUN("policy", "set", NETNS, "/nonexistent/policy.json");
	assert_failed("sbxfwctl: policy set: cannot open "
		      "/nonexistent/policy.json: No such file or "
		      "directory\n");
	assert_int_equal(fake_conn.opens, 0);
}

/* A bad file fails before the module or the namespace is asked. */
static void test_set_bad_policy(void **state)
{
	(void)state;
	RUN_IN("{\"mode\":\"block\"}", "policy", "set", "nope-netns", "-");
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: policy set: <stdin>: mode: \"block\" is "
			    "not one of allow-all, deny-all, block-all, "
			    "custom\n");
	assert_int_equal(fake_conn.opens, 0);
}

static void test_set_kernel_errors(void **state)
{
	fake.err = -ESTALE;
	fake_conn.extack = "the policy changed: its generation is not the "
			   "expected one";
	RUN_IN(POLICY, "policy", "set", "--expect-generation", "3", NETNS, "-");
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: policy set: Stale file handle (kernel: "
			    "the policy changed: its generation is not the "
			    "expected one)\n");
	again(state);

	fake.err = -EBADMSG;
	fake.why = "no generation in the reply";
	RUN_IN(POLICY, "policy", "set", NETNS, "-");
	assert_failed("sbxfwctl: policy set: malformed reply from the "
		      "module: no generation in the reply\n");
	again(state);

	fake.err = -E2BIG;
	fake.why = "the rules' own fields do not fit";
	RUN_IN(POLICY, "policy", "set", NETNS, "-");
	assert_failed("sbxfwctl: policy set: cannot send the policy: "
		      "the rules' own fields do not fit\n");
	again(state);

	fake.err = -EPERM;
	RUN_IN(POLICY, "policy", "set", NETNS, "-");
	assert_int_equal(res.status, 1);
	assert_true(starts_with(res.stderr_text,
				"sbxfwctl: policy set: permission denied: "));
	again(state);

	fake_conn.open_err = -ENOENT;
	RUN_IN(POLICY, "policy", "set", NETNS, "-");
	assert_failed("sbxfwctl: the sbxfw module is not loaded (no "
		      "generic netlink family \"sbxfw\")\n");
}

static void test_netns_errors(void **state)
{
	RUN_IN(POLICY, "policy", "set", "sbxfw-test-no-such-netns", "-");
	assert_failed("sbxfwctl: policy set: cannot open the network "
		      "namespace /run/netns/sbxfw-test-no-such-netns: No "
		      "such file or directory\n");
	assert_int_equal(fake_conn.opens, 0);
	again(state);

	RUN("policy", "get", "/dev/null");
	assert_failed("sbxfwctl: policy get: /dev/null "
		      "is not a network namespace\n");
	again(state);

	RUN("policy", "delete", "/proc/self/ns/uts");
	assert_failed("sbxfwctl: policy delete: /proc/self/ns/uts is not "
		      "a network namespace\n");
}

static void test_get(void **state)
{
	struct sbxfw_policy_spec spec;
	char err[SBXFW_POLICY_ERR_MAX];

	fake.get_text = "{'mode':'custom','default':'allow','rules':[{"
			"'action':'deny','ports':['22'],'destinations':["
			"'metadata']}]}";
	RUN("policy", "get", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "{\n"
					     "  \"mode\": \"custom\",\n"
					     "  \"default\": \"allow\",\n"
					     "  \"rules\": [\n"
					     "    {\n"
					     "      \"action\": \"deny\",\n"
					     "      \"ports\": [\n"
					     "        \"22\"\n"
					     "      ],\n"
					     "      \"destinations\": [\n"
					     "        \"metadata\"\n"
					     "      ]\n"
					     "    }\n"
					     "  ]\n"
					     "}\n");
	assert_string_equal(res.stderr_text, "");
	/* What get prints, set takes. */
	assert_int_equal(sbxfw_policy_parse(res.stdout_text,
					    strlen(res.stdout_text), &spec, err,
					    sizeof(err)),
			 0);
	sbxfw_spec_release(&spec);
	again(state);

	fake.get_text = "{'mode':'deny-all'}";
	RUN("-j", "policy", "get", "--pid", "77");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "{\"mode\":\"deny-all\"}\n");
	assert_true(fake.ns.by_pid);
	assert_int_equal(fake.ns.id, 77);
}

static void test_get_dump_intr(void **state)
{
	fake.get_text = "{'mode':'deny-all'}";
	fake.intr = SBXFWCTL_DUMP_TRIES - 1;
	RUN("-j", "policy", "get", NETNS);
	assert_int_equal(res.status, 0);
	assert_int_equal(fake.calls, SBXFWCTL_DUMP_TRIES);
	assert_string_equal(res.stdout_text, "{\"mode\":\"deny-all\"}\n");
	again(state);

	fake.intr = 1000;
	RUN("policy", "get", NETNS);
	assert_int_equal(res.status, 1);
	assert_int_equal(fake.calls, SBXFWCTL_DUMP_TRIES);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: policy get: the policy changed while it "
			    "was being read, 5 times in a row; try again\n");
	again(state);

	fake.intr = 1000;
	RUN("policy", "list");
	assert_int_equal(res.status, 1);
	assert_int_equal(fake.calls, SBXFWCTL_DUMP_TRIES);
	assert_string_equal(res.stderr_text,
			    "sbxfwctl: policy list: the policies changed while "
			    "they were being listed, 5 times in a row; try "
			    "again\n");
}

static void test_get_errors(void **state)
{
	/* The module's "no policy", with or without its extack. */
	fake.err = -ENOENT;
	fake_conn.extack = "the netns has no policy";
	RUN("policy", "get", NETNS);
	assert_failed("sbxfwctl: policy get: "
		      "/proc/self/ns/net has no "
		      "policy\n");
	again(state);

	fake.err = -ENOENT;
	RUN("policy", "get", "--pid", "42");
	assert_failed("sbxfwctl: policy get: pid 42 has no policy\n");
	again(state);

	fake.err = -ESRCH;
	fake_conn.extack = "no process with that pid";
	RUN("policy", "get", "--pid", "42");
	assert_failed("sbxfwctl: policy get: No such process (kernel: no "
		      "process with that pid)\n");
	again(state);

	fake.err = -ENODATA;
	RUN("policy", "get", NETNS);
	assert_failed("sbxfwctl: policy get: "
		      "/proc/self/ns/net has no "
		      "policy\n");
	again(state);

	fake.err = -EBADMSG;
	fake.why = "a rule's index skips ahead";
	RUN("policy", "get", NETNS);
	assert_failed("sbxfwctl: policy get: malformed reply from the "
		      "module: a rule's index skips ahead\n");
}

static void test_delete(void **state)
{
	RUN("policy", "delete", NETNS);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text, "");
	assert_int_equal(fake.calls, 1);
	assert_false(fake.has_expect);
	again(state);

	RUN("policy", "delete", "--expect-generation", "18446744073709551615",
	    "--pid", "1");
	assert_int_equal(res.status, 0);
	assert_true(fake.has_expect);
	assert_true(fake.expect == UINT64_MAX);
	assert_true(fake.ns.by_pid);
	again(state);

	fake.err = -ENOENT;
	fake_conn.extack = "the netns has no policy";
	RUN("policy", "delete", NETNS);
	assert_failed("sbxfwctl: policy delete: No such file or "
		      "directory (kernel: the netns has no policy)\n");
}

static void set_infos(void)
{
	fake.infos[0] = (struct sbxfw_policy_info){
		.netns_id = 4026532290ULL,
		.generation = 4,
		.mode = SBXFW_MODE_CUSTOM,
		.default_action = SBXFW_ACTION_DENY,
		.rules = 3,
		.cidrs4 = 2,
		.cidrs6 = 0,
		.domains = 1,
		.flows = 12,
		.flows_refused = 3,
		.learned = 5,
		.learned_evicted = 5000000000ULL,
	};
	fake.infos[1] = (struct sbxfw_policy_info){
		.netns_id = 4026532391ULL,
		.generation = 1,
		.mode = SBXFW_MODE_ALLOW_ALL,
		.default_action = SBXFW_ACTION_ALLOW,
	};
	fake.ninfos = 2;
}

static void test_list(void **state)
{
	set_infos();
	RUN("policy", "list");
	assert_int_equal(res.status, 0);
	assert_string_equal(
		res.stdout_text,
		"NETNS         GENERATION  MODE       DEFAULT  "
		"RULES   CIDRS4   CIDRS6  DOMAINS   FLOWS  REFUSED  "
		"LEARNED  EVICTED\n"
		"4026532290             4  custom     deny         "
		"3        2        0        1      12        3        "
		"5  5000000000\n"
		"4026532391             1  allow-all  allow        "
		"0        0        0        0       0        0        "
		"0        0\n");
	again(state);

	set_infos();
	fake.infos[1].mode = 7;
	RUN("-j", "policy", "list");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text,
			    "[{\"netns\":4026532290,\"generation\":4,\"mode\":"
			    "\"custom\",\"default\":\"deny\",\"rules\":3,"
			    "\"cidrs4\":2,\"cidrs6\":0,\"domains\":1,"
			    "\"flows\":12,\"flows_refused\":3,\"learned\":5,"
			    "\"learned_evicted\":5000000000},"
			    "{\"netns\":4026532391,\"generation\":1,\"mode\":"
			    "\"7\",\"default\":\"allow\",\"rules\":0,"
			    "\"cidrs4\":0,\"cidrs6\":0,\"domains\":0,"
			    "\"flows\":0,\"flows_refused\":0,\"learned\":0,"
			    "\"learned_evicted\":0}]\n");
	again(state);

	RUN("-j", "policy", "list");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, "[]\n");
	again(state);

	fake.err = -EBADMSG;
	fake.why = "no mode (SBXFW_POLICY_A_MODE)";
	RUN("policy", "list");
	assert_failed("sbxfwctl: policy list: malformed reply from the "
		      "module: no mode (SBXFW_POLICY_A_MODE)\n");
}

static void test_check(void **state)
{
	RUN_IN(POLICY, "policy", "check", "-");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text,
			    "<stdin>: ok: custom, default deny, 1 rule, 1 IPv4 "
			    "CIDR, 0 IPv6 CIDRs, 1 domain\n");
	assert_string_equal(res.stderr_text, "");
	assert_int_equal(fake_conn.opens, 0);
	again(state);

	RUN_IN(POLICY, "policy", "check", "--print", "-");
	assert_int_equal(res.status, 0);
	assert_true(starts_with(res.stdout_text, "{\n  \"mode\": \"custom\""));
	again(state);

	RUN_IN(POLICY, "-j", "policy", "check", "--print", "-");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text, COMPILED "\n");
	again(state);

	RUN_IN(POLICY, "-j", "policy", "check", "-");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.stdout_text,
			    "{\"file\":\"<stdin>\",\"ok\":true,\"mode\":"
			    "\"custom\",\"default\":\"deny\",\"rules\":1,"
			    "\"cidrs4\":1,\"cidrs6\":0,\"domains\":1}\n");
}

static void test_check_errors(void **state)
{
	RUN_IN("{\"rules\":[{\"action\":\"allow\",\"ports\":[\"70000\"]}]}",
	       "policy", "check", "-");
	assert_int_equal(res.status, 1);
	assert_string_equal(res.stdout_text, "");
	assert_string_equal(res.stderr_text,
			    "<stdin>: rules[0].ports[0]: \"70000\" is not a "
			    "port (1-65535)\n");
	again(state);

	RUN_IN("{\"transforms\":[]}", "-j", "policy", "check", "-");
	assert_failed("");
	assert_string_equal(res.stdout_text,
			    "{\"file\":\"<stdin>\",\"ok\":false,\"error\":"
			    "\"transforms: not supported: sbxfw filters "
			    "packets and does not terminate TLS, so it cannot "
			    "inject or strip headers; list the domains in "
			    "allow_domains\"}\n");
	again(state);

	RUN_IN("{", "policy", "check", "-");
	assert_int_equal(res.status, 1);
	assert_true(starts_with(res.stderr_text, "<stdin>: line 1 column "));
	again(state);

	RUN("policy", "check", "/nonexistent.json");
	assert_failed("sbxfwctl: policy check: cannot open "
		      "/nonexistent.json: No such file or directory\n");
}

static void assert_usage_error(const char *message)
{
	assert_int_equal(res.status, 2);
	assert_string_equal(res.stdout_text, "");
	if (!starts_with(res.stderr_text, message))
		fail_msg("stderr: %s", res.stderr_text);
	assert_true(strstr(res.stderr_text, "usage: sbxfwctl ") != NULL);
	assert_int_equal(fake_conn.opens, 0);
	assert_int_equal(fake.calls, 0);
}

static void test_usage_errors(void **state)
{
	static const struct {
		const char *args[7];
		const char *message;
	} cases[] = {
		{ { "policy" }, "sbxfwctl: policy: no subcommand given\n" },
		{ { "policy", "show" },
		  "sbxfwctl: policy: unknown subcommand 'show'\n" },
		{ { "policy", "set" },
		  "sbxfwctl: policy set: no network namespace given (a name, "
		  "a path or --pid PID)\n" },
		{ { "policy", "set", NETNS },
		  "sbxfwctl: policy set: no policy file given (a path, or - "
		  "for the standard input)\n" },
		{ { "policy", "set", "--pid", "3", "-", "x" },
		  "sbxfwctl: policy set: unexpected argument 'x'\n" },
		{ { "policy", "set", "--expect-generation", "-1", NETNS, "-" },
		  "sbxfwctl: policy set: --expect-generation: '-1' is not a "
		  "generation (0 or more)\n" },
		{ { "policy", "set", "--expect-generation=18446744073709551616",
		    NETNS, "-" },
		  "sbxfwctl: policy set: --expect-generation: "
		  "'18446744073709551616' is not a generation (0 or more)\n" },
		{ { "policy", "delete", "--expect-generation" },
		  "sbxfwctl: policy delete: --expect-generation needs a "
		  "value\n" },
		{ { "policy", "get", "--pid", "0" },
		  "sbxfwctl: policy get: --pid: '0' is not a process id\n" },
		{ { "policy", "get", "--pid", "12x" },
		  "sbxfwctl: policy get: --pid: '12x' is not a process id\n" },
		{ { "policy", "get", "--pid" },
		  "sbxfwctl: policy get: --pid needs a value\n" },
		{ { "policy", "get", "--pid", "1", "--pid", "2" },
		  "sbxfwctl: policy get: --pid given twice\n" },
		{ { "policy", "get", "--expect-generation", "1", NETNS },
		  "sbxfwctl: policy get: unknown option "
		  "'--expect-generation'\n" },
		{ { "policy", "get", "--pid", "5", NETNS },
		  "sbxfwctl: policy get: unexpected argument "
		  "'/proc/self/ns/net'\n" },
		{ { "policy", "list", "all" },
		  "sbxfwctl: policy list: unexpected argument 'all'\n" },
		{ { "policy", "check" },
		  "sbxfwctl: policy check: no policy file given (a path, or - "
		  "for the standard input)\n" },
		{ { "policy", "check", "--pid", "1", "-" },
		  "sbxfwctl: policy check: unknown option '--pid'\n" },
		{ { "policy", "delete", "-x", NETNS },
		  "sbxfwctl: policy delete: unknown option '-x'\n" },
	};
	const char *argv[8];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		argv[0] = "sbxfwctl";
		for (j = 0; cases[i].args[j]; j++)
			argv[j + 1] = cases[i].args[j];
		argv[j + 1] = NULL;
		run("", argv);
		assert_usage_error(cases[i].message);
		again(state);
	}
}

/* "--" ends the options: a file may then start with a dash. */
static void test_double_dash(void **state)
{
	(void)state;
	RUN("policy", "check", "--", "--print");
	assert_failed("sbxfwctl: policy check: cannot open --print: No "
		      "such file or directory\n");
}

static void test_help_lists_policy(void **state)
{
	(void)state;
	RUN("help");
	assert_int_equal(res.status, 0);
	assert_true(strstr(res.stdout_text, "\n  policy        ") != NULL);
	assert_true(strstr(res.stdout_text,
			   "\n  policy set [--expect-generation N] NETNS "
			   "FILE|-\n") != NULL);
	assert_true(strstr(res.stdout_text, "\n  policy check [--print] "
					    "FILE|-\n") != NULL);
}

#define CLI_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

const struct CMUnitTest policy_cli_tests[] = {
	CLI_TEST(test_set_stdin),
	CLI_TEST(test_set_file),
	CLI_TEST(test_set_bad_policy),
	CLI_TEST(test_set_kernel_errors),
	CLI_TEST(test_netns_errors),
	CLI_TEST(test_get),
	CLI_TEST(test_get_dump_intr),
	CLI_TEST(test_get_errors),
	CLI_TEST(test_delete),
	CLI_TEST(test_list),
	CLI_TEST(test_check),
	CLI_TEST(test_check_errors),
	CLI_TEST(test_usage_errors),
	CLI_TEST(test_double_dash),
	CLI_TEST(test_help_lists_policy),
};
const size_t n_policy_cli_tests = ARRAY_SIZE(policy_cli_tests);
