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

extern const struct CMUnitTest version_tests[];
extern const size_t n_version_tests;
extern const struct CMUnitTest genl_tests[];
extern const size_t n_genl_tests;
extern const struct CMUnitTest cli_tests[];
extern const size_t n_cli_tests;

/* Cases that talk to the running kernel's "nlctrl" family. */
extern const struct CMUnitTest genl_live_tests[];
extern const size_t n_genl_live_tests;

/* Whether generic netlink works here; if not, *@why says why not. */
bool genl_live_usable(const char **why);

#endif /* SBXFW_TESTS_H */
