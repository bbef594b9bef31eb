/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbxfwctl's command line without main(), so that tests can run it with
 * their own argv, output streams and a fake module.
 */
#ifndef SBXFW_SBXFWCTL_H
#define SBXFW_SBXFWCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libsbxfw.h"

enum {
	SBXFWCTL_EXIT_OK = 0,
	SBXFWCTL_EXIT_FAIL = 1,
	SBXFWCTL_EXIT_USAGE = 2,
};

/* What the commands use of libsbxfw; tests put a fake module behind it. */
struct sbxfwctl_ops {
	int (*open)(struct sbxfw_conn **connp);
	void (*close)(struct sbxfw_conn *conn);
	const char *(*extack)(const struct sbxfw_conn *conn);
	int (*version)(struct sbxfw_conn *conn, struct sbxfw_version *v,
		       const char **why);
	int (*policy_set)(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
			  const struct sbxfw_policy_spec *spec,
			  const uint64_t *expect, uint64_t *generation,
			  const char **why);
	int (*policy_get)(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
			  struct sbxfw_policy_spec *spec, uint64_t *generation,
			  const char **why);
	int (*policy_delete)(struct sbxfw_conn *conn,
			     const struct sbxfw_netns *ns,
			     const uint64_t *expect);
	int (*policy_list)(struct sbxfw_conn *conn,
			   struct sbxfw_policy_info **infos, size_t *n,
			   const char **why);
	int (*learned_get)(struct sbxfw_conn *conn,
			   const struct sbxfw_netns *ns,
			   struct sbxfw_learned_entry **entries, size_t *n,
			   const char **why);
	int (*learned_flush)(struct sbxfw_conn *conn,
			     const struct sbxfw_netns *ns);
};

/* Reads of a policy that raced with a change are tried this often. */
#define SBXFWCTL_DUMP_TRIES 5

/* The real thing: libsbxfw over generic netlink. */
extern const struct sbxfwctl_ops sbxfwctl_netlink_ops;

struct sbxfwctl {
	FILE *out;
	FILE *err;
	FILE *in; /* the policy file "-"; stdin when NULL */
	const struct sbxfwctl_ops *ops;
	bool json; /* -j, --json */
};

/*
 * Runs one command line (argv[0] is the program's name) and returns the
 * exit status: SBXFWCTL_EXIT_OK, SBXFWCTL_EXIT_FAIL when the command
 * failed, SBXFWCTL_EXIT_USAGE for an unknown command or bad option.
 */
int sbxfwctl_run(struct sbxfwctl *ctl, int argc, char **argv);

#endif /* SBXFW_SBXFWCTL_H */
