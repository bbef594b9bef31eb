/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit tests: cmocka, the builders of in-memory replies, and
 * each file's list of cases, which main.c runs as one TAP stream.
 */
#ifndef SBXFW_TESTS_H
#define SBXFW_TESTS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

struct nl_msg;
struct sbxfw_conn;
struct sbxfwctl_ops;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* reply.c: GET_VERSION replies as the module would send them */

/* The netlink and generic netlink headers only, no attribute. */
struct nl_msg *reply_new(uint8_t family_version);

/* SBXFW_A_FEATURES holding one SBXFW_A_FEATURE per name. */
void reply_put_features(struct nl_msg *msg, const char *const *names, size_t n);

/* SBXFW_A_STATS holding SBXFW_A_STAT_NETNS. */
void reply_put_stats(struct nl_msg *msg, uint32_t netns);

/* Version "0.1.0", family version 1, features @names, netns 12. */
struct nl_msg *reply_good(const char *const *names, size_t n);

/* Writes through a FILE into a string; close with capture_end(). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

void capture_begin(struct capture *c);
/* Returns the text written, owned by @c until capture_free(). */
const char *capture_end(struct capture *c);
void capture_free(struct capture *c);

/* cli.c: sbxfwctl's command line run against a fake module */

/* The connection the fake module hands out, and what was done with it. */
struct fake_conn {
	int open_err; /* fake_conn_open() fails with it */
	const char *extack; /* fake_conn_extack() returns it */
	int opens;
	int closes;
};

/* Cleared by each file's setup(). */
extern struct fake_conn fake_conn;

/* The open, close and extack of struct sbxfwctl_ops, on &fake_conn. */
int fake_conn_open(struct sbxfw_conn **connp);
void fake_conn_close(struct sbxfw_conn *conn);
const char *fake_conn_extack(const struct sbxfw_conn *conn);
/* Fails the test unless @conn is what fake_conn_open() handed out. */
void assert_fake_conn(const struct sbxfw_conn *conn);

/* A run's exit status and its captured stdout and stderr. */
struct cli_result {
	int status;
	struct capture out;
	struct capture err;
	const char *stdout_text;
	const char *stderr_text;
};

/*
 * Runs sbxfwctl with @ops, @in as its standard input (stdin when NULL) and
 * the NULL-terminated @args, "sbxfwctl" first, into @res.
 */
void cli_run(struct cli_result *res, const struct sbxfwctl_ops *ops, FILE *in,
	     const char **args);
void cli_result_free(struct cli_result *res);

bool starts_with(const char *s, const char *prefix);

/* splitmix64: random tests take a fixed seed, so a failure reproduces. */
static inline uint64_t test_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

extern const struct CMUnitTest version_tests[];
extern const size_t n_version_tests;
extern const struct CMUnitTest genl_tests[];
extern const size_t n_genl_tests;
extern const struct CMUnitTest cli_tests[];
extern const size_t n_cli_tests;
extern const struct CMUnitTest spec_tests[];
extern const size_t n_spec_tests;
extern const struct CMUnitTest policy_json_tests[];
extern const size_t n_policy_json_tests;
extern const struct CMUnitTest policy_nl_tests[];
extern const size_t n_policy_nl_tests;
extern const struct CMUnitTest policy_cli_tests[];
extern const size_t n_policy_cli_tests;
extern const struct CMUnitTest learned_tests[];
extern const size_t n_learned_tests;
extern const struct CMUnitTest lpm_tests[];
extern const size_t n_lpm_tests;

extern const struct CMUnitTest policy_tests[];
extern const size_t n_policy_tests;
extern const struct CMUnitTest dns_tests[];
extern const size_t n_dns_tests;
extern const struct CMUnitTest domain_tests[];
extern const size_t n_domain_tests;

/* test_policy_json.c: a spec from JSON text that must compile. */
struct sbxfw_policy_spec;
void spec_from_text(const char *text, struct sbxfw_policy_spec *spec);
/* Same rules, fields, CIDRs and domains, in the same order. */
void assert_spec_equal(const struct sbxfw_policy_spec *a,
		       const struct sbxfw_policy_spec *b);

/* Cases that talk to the running kernel's "nlctrl" family. */
extern const struct CMUnitTest genl_live_tests[];
extern const size_t n_genl_live_tests;

/* Whether generic netlink works here; if not, *@why says why not. */
bool genl_live_usable(const char **why);

#endif /* SBXFW_TESTS_H */
