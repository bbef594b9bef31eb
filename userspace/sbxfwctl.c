// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfwctl: global options, the command table, one function per command,
 * and the wording of errors shown to the operator.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/sbxfw.h>

#include "policy.h"
#include "sbxfwctl.h"
#include "version.h"

#define PROG "sbxfwctl"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct cmd {
	const char *name;
	const char *summary;
	int (*run)(struct sbxfwctl *ctl, int argc, char **argv);
};

static int cmd_version(struct sbxfwctl *ctl, int argc, char **argv);
static int cmd_policy(struct sbxfwctl *ctl, int argc, char **argv);
static int cmd_learned(struct sbxfwctl *ctl, int argc, char **argv);
static int cmd_help(struct sbxfwctl *ctl, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "version", "show the versions of sbxfwctl and of the loaded module",
	  cmd_version },
	{ "policy", "set, get, delete, list or check network policies",
	  cmd_policy },
	{ "learned", "show or flush the addresses a netns learned from DNS",
	  cmd_learned },
	{ "help", "show this help", cmd_help },
};

const struct sbxfwctl_ops sbxfwctl_netlink_ops = {
	.open = sbxfw_conn_open,
	.close = sbxfw_conn_close,
	.extack = sbxfw_conn_extack,
	.version = sbxfw_version_get,
	.policy_set = sbxfw_policy_set,
	.policy_get = sbxfw_policy_get,
	.policy_delete = sbxfw_policy_delete,
	.policy_list = sbxfw_policy_list,
	.learned_get = sbxfw_learned_get,
	.learned_flush = sbxfw_learned_flush,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: %s [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"options:\n"
		"  -j, --json    print JSON instead of text\n"
		"  -h, --help    show this help\n"
		"\n"
		"commands:\n",
		PROG);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-12s  %s\n", cmds[i].name, cmds[i].summary);
	fputs("\n"
	      "policy commands (NETNS: a name in /run/netns, a path, or "
	      "--pid PID):\n"
	      "  policy set [--expect-generation N] NETNS FILE|-\n"
	      "  policy get NETNS\n"
	      "  policy delete [--expect-generation N] NETNS\n"
	      "  policy list\n"
	      "  policy check [--print] FILE|-\n"
	      "\n"
	      "learned commands (addresses learned from DNS answers; NETNS as "
	      "above):\n"
	      "  learned show NETNS\n"
	      "  learned flush NETNS\n",
	      f);
}

__attribute__((format(printf, 2, 3))) static int
usage_error(struct sbxfwctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", ctl->err);
	va_start(ap, fmt);
	vfprintf(ctl->err, fmt, ap);
	va_end(ap);
	fputs("\n\n", ctl->err);
	usage(ctl->err);
	return SBXFWCTL_EXIT_USAGE;
}

/* A command failed with @err; @extack is the kernel's message or NULL. */
static int fail(struct sbxfwctl *ctl, const char *cmd, int err,
		const char *extack)
{
	fprintf(ctl->err, PROG ": %s: ", cmd);
	if (err == -EPERM)
		fputs("permission denied: sbxfw is managed only from the "
		      "initial network namespace, with CAP_NET_ADMIN",
		      ctl->err);
	else
		fputs(strerror(-err), ctl->err);
	if (extack)
		fprintf(ctl->err, " (kernel: %s)", extack);
	fputc('\n', ctl->err);
	return SBXFWCTL_EXIT_FAIL;
}

static int fail_not_loaded(struct sbxfwctl *ctl)
{
	fputs(PROG ": the sbxfw module is not loaded (no generic netlink "
		   "family \"" SBXFW_GENL_NAME "\")\n",
	      ctl->err);
	return SBXFWCTL_EXIT_FAIL;
}

static int fail_bad_reply(struct sbxfwctl *ctl, const char *cmd,
			  const char *why)
{
	fprintf(ctl->err, PROG ": %s: malformed reply from the module: %s\n",
		cmd, why);
	return SBXFWCTL_EXIT_FAIL;
}

/*
 * @v is NULL when the module could not be asked. Write errors are left
 * for finish() to find.
 */
static int print_version_json(struct sbxfwctl *ctl,
			      const struct sbxfw_version *v)
{
	json_t *root, *module;

	root = json_pack("{s:{s:s}}", "tool", "version", SBXFW_VERSION);
	if (!root)
		return -ENOMEM;

	if (v) {
		module = sbxfw_version_json(v);
		if (!module || json_object_set_new(root, "module", module)) {
			json_decref(root);
			return -ENOMEM;
		}
	}

	json_dumpf(root, ctl->out, JSON_COMPACT);
	fputc('\n', ctl->out);
	json_decref(root);
	return 0;
}

static int cmd_version(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct sbxfw_conn *conn = NULL;
	struct sbxfw_version v;
	const char *why = NULL;
	bool opened = false;
	int print_err = 0;
	int err, ret;

	if (argc > 1)
		return usage_error(ctl, "version: unexpected argument '%s'",
				   argv[1]);

	memset(&v, 0, sizeof(v));
	err = ctl->ops->open(&conn);
	if (!err) {
		opened = true;
		err = ctl->ops->version(conn, &v, &why);
	}

	/* The tool's own version is worth printing whatever happened. */
	if (ctl->json) {
		print_err = print_version_json(ctl, err ? NULL : &v);
	} else {
		fprintf(ctl->out, "%-8s %s\n", PROG, SBXFW_VERSION);
		if (!err)
			sbxfw_version_print(ctl->out, &v);
	}

	if (err == -ENOENT && !opened)
		ret = fail_not_loaded(ctl);
	else if (err && why)
		ret = fail_bad_reply(ctl, "version", why);
	else if (err)
		ret = fail(ctl, "version", err,
			   opened ? ctl->ops->extack(conn) : NULL);
	else if (print_err)
		ret = fail(ctl, "version", print_err, NULL);
	else
		ret = SBXFWCTL_EXIT_OK;

	if (!err)
		sbxfw_version_free(&v);
	if (opened)
		ctl->ops->close(conn);
	return ret;
}

/* What a policy subcommand takes besides its name. */
enum {
	TAKES_NETNS = 1 << 0,
	TAKES_FILE = 1 << 1,
	TAKES_EXPECT = 1 << 2, /* --expect-generation N */
	TAKES_PRINT = 1 << 3, /* --print */
};

struct policy_args {
	const char *cmd; /* "policy set", for messages */
	const char *netns; /* NAME or PATH, NULL with --pid */
	bool has_pid;
	uint32_t pid;
	bool has_expect;
	uint64_t expect;
	bool print;
	const char *file;
};

static bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s || strlen(s) > 20)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (max - (*s - '0')) / 10)
			return false;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return true;
}

/* "--opt VALUE" or "--opt=VALUE"; NULL when @arg is another option. */
static const char *opt_value(const char *arg, const char *opt, int *i, int argc,
			     char **argv, bool *missing)
{
	size_t len = strlen(opt);

	*missing = false;
	if (strncmp(arg, opt, len))
		return NULL;
	if (arg[len] == '=')
		return arg + len + 1;
	if (arg[len])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

static int parse_policy_args(struct sbxfwctl *ctl, int argc, char **argv,
			     unsigned int takes, struct policy_args *a)
{
	const char *pos[3], *v;
	int i, npos = 0, want = 0;
	bool missing, options = true;
	uint64_t n;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options || arg[0] != '-' || !strcmp(arg, "-")) {
			if (npos == (int)ARRAY_SIZE(pos))
				return usage_error(ctl,
						   "%s: unexpected argument "
						   "'%s'",
						   a->cmd, arg);
			pos[npos++] = arg;
		} else if (!strcmp(arg, "--")) {
			options = false;
		} else if ((takes & TAKES_EXPECT) &&
			   ((v = opt_value(arg, "--expect-generation", &i, argc,
					   argv, &missing)) ||
			    missing)) {
			if (missing)
				return usage_error(ctl,
						   "%s: --expect-generation "
						   "needs a value",
						   a->cmd);
			if (!parse_u64(v, UINT64_MAX, &a->expect))
				return usage_error(ctl,
						   "%s: --expect-generation: "
						   "'%s' is not a generation "
						   "(0 or more)",
						   a->cmd, v);
			a->has_expect = true;
		} else if ((takes & TAKES_NETNS) &&
			   ((v = opt_value(arg, "--pid", &i, argc, argv,
					   &missing)) ||
			    missing)) {
			if (missing)
				return usage_error(
					ctl, "%s: --pid needs a value", a->cmd);
			if (!parse_u64(v, INT32_MAX, &n) || !n)
				return usage_error(ctl,
						   "%s: --pid: '%s' is not a "
						   "process id",
						   a->cmd, v);
			if (a->has_pid)
				return usage_error(ctl, "%s: --pid given twice",
						   a->cmd);
			a->has_pid = true;
			a->pid = n;
		} else if ((takes & TAKES_PRINT) && !strcmp(arg, "--print")) {
			a->print = true;
		} else {
			return usage_error(ctl, "%s: unknown option '%s'",
					   a->cmd, arg);
		}
	}

	i = 0;
	if ((takes & TAKES_NETNS) && !a->has_pid) {
		if (i == npos)
			return usage_error(ctl,
					   "%s: no network namespace given "
					   "(a name, a path or --pid PID)",
					   a->cmd);
		a->netns = pos[i++];
	}
	if (takes & TAKES_FILE) {
		if (i == npos)
			return usage_error(ctl,
					   "%s: no policy file given (a path, "
					   "or - for the standard input)",
					   a->cmd);
		a->file = pos[i++];
	}
	want = i;
	if (npos > want)
		return usage_error(ctl, "%s: unexpected argument '%s'", a->cmd,
				   pos[want]);
	return SBXFWCTL_EXIT_OK;
}

/* The network namespace of @a, opened; an exit status on failure. */
static int open_netns(struct sbxfwctl *ctl, const struct policy_args *a,
		      struct sbxfw_netns *ns, char *path, size_t len)
{
	int err;

	if (a->has_pid) {
		ns->by_pid = true;
		ns->id = a->pid;
		snprintf(path, len, "pid %" PRIu32, a->pid);
		return SBXFWCTL_EXIT_OK;
	}
	if (strchr(a->netns, '/'))
		snprintf(path, len, "%s", a->netns);
	else
		snprintf(path, len, "/run/netns/%s", a->netns);
	err = sbxfw_netns_open(path, ns);
	if (err == -EINVAL) {
		fprintf(ctl->err, PROG ": %s: %s is not a network namespace\n",
			a->cmd, path);
		return SBXFWCTL_EXIT_FAIL;
	}
	if (err) {
		fprintf(ctl->err,
			PROG ": %s: cannot open the network namespace %s: %s\n",
			a->cmd, path, strerror(-err));
		return SBXFWCTL_EXIT_FAIL;
	}
	return SBXFWCTL_EXIT_OK;
}

/*
 * Reads and compiles @file ("-": ctl->in). On failure prints why, as
 * "@prefix@name: message", and returns an exit status.
 */
static int read_policy(struct sbxfwctl *ctl, const char *cmd, const char *file,
		       struct sbxfw_policy_spec *spec, char *msg, size_t len)
{
	bool std = !strcmp(file, "-");
	FILE *f;
	int err;

	msg[0] = '\0';
	f = std ? (ctl->in ? ctl->in : stdin) : fopen(file, "r");
	if (!f) {
		fprintf(ctl->err, PROG ": %s: cannot open %s: %s\n", cmd, file,
			strerror(errno));
		return SBXFWCTL_EXIT_FAIL;
	}
	err = sbxfw_policy_load(f, spec, msg, len);
	if (!std)
		fclose(f);
	return err ? SBXFWCTL_EXIT_FAIL : SBXFWCTL_EXIT_OK;
}

static const char *file_name(const char *file)
{
	return strcmp(file, "-") ? file : "<stdin>";
}

/* A failed request of a policy command: its errno, extack or reason. */
static int policy_fail(struct sbxfwctl *ctl, const char *cmd, int err,
		       const char *why, struct sbxfw_conn *conn)
{
	if (err == -EBADMSG && why)
		return fail_bad_reply(ctl, cmd, why);
	if (why) {
		fprintf(ctl->err, PROG ": %s: cannot send the policy: %s\n",
			cmd, why);
		return SBXFWCTL_EXIT_FAIL;
	}
	return fail(ctl, cmd, err, ctl->ops->extack(conn));
}

/* Opens the connection of a policy command, or says why it cannot. */
static int open_conn(struct sbxfwctl *ctl, const char *cmd,
		     struct sbxfw_conn **connp)
{
	int err;

	err = ctl->ops->open(connp);
	if (!err)
		return SBXFWCTL_EXIT_OK;
	return err == -ENOENT ? fail_not_loaded(ctl) :
				fail(ctl, cmd, err, NULL);
}

/* Opens the namespace of a policy command, then its connection. */
static int open_netns_conn(struct sbxfwctl *ctl, const struct policy_args *a,
			   struct sbxfw_netns *ns, char *path, size_t len,
			   struct sbxfw_conn **connp)
{
	int ret;

	ret = open_netns(ctl, a, ns, path, len);
	if (ret)
		return ret;
	ret = open_conn(ctl, a->cmd, connp);
	if (ret)
		sbxfw_netns_close(ns);
	return ret;
}

static int print_json(struct sbxfwctl *ctl, json_t *root)
{
	int ret;

	ret = json_dumpf(root, ctl->out,
			 ctl->json ? JSON_COMPACT : JSON_INDENT(2));
	fputc('\n', ctl->out);
	return ret ? -EIO : 0;
}

static int policy_set(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "policy set" };
	char msg[SBXFW_POLICY_ERR_MAX], path[4096];
	struct sbxfw_policy_spec spec;
	struct sbxfw_conn *conn;
	const char *why = NULL;
	struct sbxfw_netns ns;
	uint64_t generation;
	int ret, err;

	ret = parse_policy_args(ctl, argc, argv,
				TAKES_NETNS | TAKES_FILE | TAKES_EXPECT, &a);
	if (ret)
		return ret;
	ret = read_policy(ctl, a.cmd, a.file, &spec, msg, sizeof(msg));
	if (ret) {
		if (*msg)
			fprintf(ctl->err, PROG ": %s: %s: %s\n", a.cmd,
				file_name(a.file), msg);
		return ret;
	}
	ret = open_netns_conn(ctl, &a, &ns, path, sizeof(path), &conn);
	if (ret)
		goto out_spec;
	err = ctl->ops->policy_set(conn, &ns, &spec,
				   a.has_expect ? &a.expect : NULL, &generation,
				   &why);
	if (err) {
		ret = policy_fail(ctl, a.cmd, err, why, conn);
	} else {
		if (ctl->json)
			fprintf(ctl->out, "{\"generation\":%" PRIu64 "}\n",
				generation);
		else
			fprintf(ctl->out, "generation %" PRIu64 "\n",
				generation);
		ret = SBXFWCTL_EXIT_OK;
	}
	ctl->ops->close(conn);
	sbxfw_netns_close(&ns);
out_spec:
	sbxfw_spec_release(&spec);
	return ret;
}

static int policy_get(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "policy get" };
	struct sbxfw_policy_spec spec;
	struct sbxfw_conn *conn;
	const char *why = NULL;
	struct sbxfw_netns ns;
	uint64_t generation;
	char path[4096];
	json_t *root;
	int ret, err, tries = 0;

	ret = parse_policy_args(ctl, argc, argv, TAKES_NETNS, &a);
	if (ret)
		return ret;
	ret = open_netns_conn(ctl, &a, &ns, path, sizeof(path), &conn);
	if (ret)
		return ret;
	do {
		err = ctl->ops->policy_get(conn, &ns, &spec, &generation, &why);
	} while (err == -EINTR && ++tries < SBXFWCTL_DUMP_TRIES);

	if (err == -EINTR) {
		fprintf(ctl->err,
			PROG ": %s: the policy changed while it was being "
			     "read, %d times in a row; try again\n",
			a.cmd, SBXFWCTL_DUMP_TRIES);
		ret = SBXFWCTL_EXIT_FAIL;
	} else if (err == -ENODATA || err == -ENOENT) {
		/* 6.1 drops the extack of a dump that fails to start. */
		fprintf(ctl->err, PROG ": %s: %s has no policy\n", a.cmd, path);
		ret = SBXFWCTL_EXIT_FAIL;
	} else if (err) {
		ret = policy_fail(ctl, a.cmd, err, why, conn);
	} else {
		err = sbxfw_policy_to_json(&spec, &root);
		if (!err) {
			err = print_json(ctl, root);
			json_decref(root);
		}
		ret = err ? fail(ctl, a.cmd, err, NULL) : SBXFWCTL_EXIT_OK;
		sbxfw_spec_release(&spec);
	}
	ctl->ops->close(conn);
	sbxfw_netns_close(&ns);
	return ret;
}

static int policy_delete(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "policy delete" };
	struct sbxfw_conn *conn;
	struct sbxfw_netns ns;
	char path[4096];
	int ret, err;

	ret = parse_policy_args(ctl, argc, argv, TAKES_NETNS | TAKES_EXPECT,
				&a);
	if (ret)
		return ret;
	ret = open_netns_conn(ctl, &a, &ns, path, sizeof(path), &conn);
	if (ret)
		return ret;

	err = ctl->ops->policy_delete(conn, &ns,
				      a.has_expect ? &a.expect : NULL);
	ret = err ? fail(ctl, a.cmd, err, ctl->ops->extack(conn)) :
		    SBXFWCTL_EXIT_OK;
	ctl->ops->close(conn);
	sbxfw_netns_close(&ns);
	return ret;
}

static const char *name_or_number(const char *name, unsigned int v, char *buf,
				  size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

static int print_list(struct sbxfwctl *ctl,
		      const struct sbxfw_policy_info *infos, size_t n)
{
	char mode[16], dflt[16];
	json_t *array, *line;
	size_t i;
	int err = 0;

	if (!ctl->json)
		fprintf(ctl->out,
			"%-12s  %10s  %-9s  %-7s  %5s  %7s  %7s  %7s  %6s  %7s  "
			"%7s  %7s\n",
			"NETNS", "GENERATION", "MODE", "DEFAULT", "RULES",
			"CIDRS4", "CIDRS6", "DOMAINS", "FLOWS", "REFUSED",
			"LEARNED", "EVICTED");
	array = json_array();
	if (!array)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct sbxfw_policy_info *p = &infos[i];
		const char *m, *d;

		m = name_or_number(sbxfw_mode_name(p->mode), p->mode, mode,
				   sizeof(mode));
		d = name_or_number(sbxfw_action_name(p->default_action),
				   p->default_action, dflt, sizeof(dflt));
		if (!ctl->json) {
			fprintf(ctl->out,
				"%-12" PRIu64 "  %10" PRIu64
				"  %-9s  %-7s  %5" PRIu32 "  %7" PRIu32
				"  %7" PRIu32 "  %7" PRIu32 "  %6" PRIu32
				"  %7" PRIu64 "  %7" PRIu32 "  %7" PRIu64 "\n",
				p->netns_id, p->generation, m, d, p->rules,
				p->cidrs4, p->cidrs6, p->domains, p->flows,
				p->flows_refused, p->learned,
				p->learned_evicted);
			continue;
		}
		line = json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
				 "s:I}",
				 "netns", (json_int_t)p->netns_id, "generation",
				 (json_int_t)p->generation, "mode", m,
				 "default", d, "rules", (json_int_t)p->rules,
				 "cidrs4", (json_int_t)p->cidrs4, "cidrs6",
				 (json_int_t)p->cidrs6, "domains",
				 (json_int_t)p->domains, "flows",
				 (json_int_t)p->flows, "flows_refused",
				 (json_int_t)p->flows_refused, "learned",
				 (json_int_t)p->learned, "learned_evicted",
				 (json_int_t)p->learned_evicted);
		if (json_array_append_new(array, line)) {
			err = -ENOMEM;
			break;
		}
	}
	if (!err && ctl->json) {
		json_dumpf(array, ctl->out, JSON_COMPACT);
		fputc('\n', ctl->out);
	}
	json_decref(array);
	return err;
}

static int policy_list(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "policy list" };
	struct sbxfw_policy_info *infos = NULL;
	struct sbxfw_conn *conn;
	const char *why = NULL;
	int ret, err, tries = 0;
	size_t n = 0;

	ret = parse_policy_args(ctl, argc, argv, 0, &a);
	if (ret)
		return ret;
	ret = open_conn(ctl, a.cmd, &conn);
	if (ret)
		return ret;
	do {
		err = ctl->ops->policy_list(conn, &infos, &n, &why);
	} while (err == -EINTR && ++tries < SBXFWCTL_DUMP_TRIES);

	if (err == -EINTR) {
		fprintf(ctl->err,
			PROG ": %s: the policies changed while they were "
			     "being listed, %d times in a row; try again\n",
			a.cmd, SBXFWCTL_DUMP_TRIES);
		ret = SBXFWCTL_EXIT_FAIL;
	} else if (err) {
		ret = policy_fail(ctl, a.cmd, err, why, conn);
	} else {
		err = print_list(ctl, infos, n);
		ret = err ? fail(ctl, a.cmd, err, NULL) : SBXFWCTL_EXIT_OK;
		free(infos);
	}
	ctl->ops->close(conn);
	return ret;
}

static int policy_check(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "policy check" };
	char msg[SBXFW_POLICY_ERR_MAX], summary[160];
	struct sbxfw_policy_counts c;
	struct sbxfw_policy_spec spec;
	const char *name;
	json_t *root;
	int ret, err;

	ret = parse_policy_args(ctl, argc, argv, TAKES_FILE | TAKES_PRINT, &a);
	if (ret)
		return ret;
	name = file_name(a.file);
	msg[0] = '\0';
	ret = read_policy(ctl, a.cmd, a.file, &spec, msg, sizeof(msg));
	if (ret && !*msg)
		return ret;
	if (ret) {
		if (ctl->json) {
			root = json_pack("{s:s,s:b,s:s}", "file", name, "ok", 0,
					 "error", msg);
			if (root)
				print_json(ctl, root);
			json_decref(root);
		} else {
			fprintf(ctl->err, "%s: %s\n", name, msg);
		}
		return ret;
	}

	if (a.print) {
		err = sbxfw_policy_to_json(&spec, &root);
		if (!err) {
			err = print_json(ctl, root);
			json_decref(root);
		}
	} else if (ctl->json) {
		sbxfw_policy_count(&spec, &c);
		root = json_pack("{s:s,s:b,s:s,s:s,s:I,s:I,s:I,s:I}", "file",
				 name, "ok", 1, "mode",
				 sbxfw_mode_name(spec.mode), "default",
				 sbxfw_action_name(spec.default_action),
				 "rules", (json_int_t)c.rules, "cidrs4",
				 (json_int_t)c.cidrs4, "cidrs6",
				 (json_int_t)c.cidrs6, "domains",
				 (json_int_t)c.domains);
		err = root ? print_json(ctl, root) : -ENOMEM;
		json_decref(root);
	} else {
		sbxfw_policy_summary(&spec, summary, sizeof(summary));
		fprintf(ctl->out, "%s: ok: %s\n", name, summary);
		err = 0;
	}
	sbxfw_spec_release(&spec);
	return err ? fail(ctl, a.cmd, err, NULL) : SBXFWCTL_EXIT_OK;
}

static const struct cmd policy_cmds[] = {
	{ "set", NULL, policy_set },	   { "get", NULL, policy_get },
	{ "delete", NULL, policy_delete }, { "list", NULL, policy_list },
	{ "check", NULL, policy_check },
};

/* Runs the subcommand argv[1] of @group, one of @cmds. */
static int run_subcommand(struct sbxfwctl *ctl, const char *group,
			  const struct cmd *cmds, size_t ncmds, int argc,
			  char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error(ctl, "%s: no subcommand given", group);
	for (i = 0; i < ncmds; i++) {
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(ctl, argc - 1, argv + 1);
	}
	return usage_error(ctl, "%s: unknown subcommand '%s'", group, argv[1]);
}

static int cmd_policy(struct sbxfwctl *ctl, int argc, char **argv)
{
	return run_subcommand(ctl, "policy", policy_cmds,
			      ARRAY_SIZE(policy_cmds), argc, argv);
}

/*
 * A failed learned command: the module's reply at fault, a module older
 * than the "dns" feature, or the kernel's errno and extack.
 */
static int fail_learned(struct sbxfwctl *ctl, const char *cmd, int err,
			const char *why, struct sbxfw_conn *conn)
{
	if (why)
		return fail_bad_reply(ctl, cmd, why);
	if (err == -EOPNOTSUPP) {
		fprintf(ctl->err,
			PROG ": %s: the loaded sbxfw module does not learn "
			     "from DNS (it lacks the \"dns\" feature)\n",
			cmd);
		return SBXFWCTL_EXIT_FAIL;
	}
	return fail(ctl, cmd, err, ctl->ops->extack(conn));
}

/* By name, then IPv4 before IPv6, then by address. */
static int learned_cmp(const void *pa, const void *pb)
{
	const struct sbxfw_learned_entry *a = pa, *b = pb;
	int c;

	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int learned_addr(const struct sbxfw_learned_entry *e, char *buf,
			size_t len)
{
	return inet_ntop(e->family, e->addr, buf, len) ? 0 : -EINVAL;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int print_learned_text(struct sbxfwctl *ctl,
			      const struct sbxfw_learned_entry *entries,
			      size_t n)
{
	int waddr = strlen("ADDRESS"), wname = strlen("NAME");
	int wexp = strlen("EXPIRES");
	char addr[INET6_ADDRSTRLEN], rule[24];
	size_t i;

	for (i = 0; i < n; i++) {
		if (learned_addr(&entries[i], addr, sizeof(addr)))
			return -EINVAL;
		waddr = max_int(waddr, strlen(addr));
		wname = max_int(wname, strlen(entries[i].name));
		wexp = max_int(wexp, snprintf(NULL, 0, "%" PRIu32,
					      entries[i].expires));
	}
	fprintf(ctl->out, "%-*s  %-*s  %4s  %*s\n", waddr, "ADDRESS", wname,
		"NAME", "RULE", wexp, "EXPIRES");
	for (i = 0; i < n; i++) {
		learned_addr(&entries[i], addr, sizeof(addr));
		/* "-": no rule of the current policy covers the name. */
		if (entries[i].rule < 0)
			snprintf(rule, sizeof(rule), "-");
		else
			snprintf(rule, sizeof(rule), "%" PRId64,
				 entries[i].rule);
		fprintf(ctl->out, "%-*s  %-*s  %4s  %*" PRIu32 "\n", waddr,
			addr, wname, entries[i].name, rule, wexp,
			entries[i].expires);
	}
	return 0;
}

static int print_learned_json(struct sbxfwctl *ctl,
			      const struct sbxfw_learned_entry *entries,
			      size_t n)
{
	char addr[INET6_ADDRSTRLEN];
	json_t *array, *line;
	size_t i;
	int err = 0;

	array = json_array();
	if (!array)
		return -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		err = learned_addr(&entries[i], addr, sizeof(addr));
		if (err)
			break;
		line = json_pack("{s:s,s:s,s:o,s:I}", "address", addr, "name",
				 entries[i].name, "rule",
				 entries[i].rule < 0 ?
					 json_null() :
					 json_integer(entries[i].rule),
				 "expires", (json_int_t)entries[i].expires);
		if (json_array_append_new(array, line))
			err = -ENOMEM;
	}
	if (!err) {
		json_dumpf(array, ctl->out, JSON_COMPACT);
		fputc('\n', ctl->out);
	}
	json_decref(array);
	return err;
}

static int learned_show(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "learned show" };
	struct sbxfw_learned_entry *entries = NULL;
	struct sbxfw_conn *conn;
	const char *why = NULL;
	struct sbxfw_netns ns;
	char path[4096];
	size_t n = 0;
	int ret, err;

	ret = parse_policy_args(ctl, argc, argv, TAKES_NETNS, &a);
	if (ret)
		return ret;
	ret = open_netns_conn(ctl, &a, &ns, path, sizeof(path), &conn);
	if (ret)
		return ret;

	err = ctl->ops->learned_get(conn, &ns, &entries, &n, &why);
	if (err == -ENOENT) {
		/* 6.1 drops the extack of a dump that fails to start. */
		fprintf(ctl->err, PROG ": %s: %s has no policy\n", a.cmd, path);
		ret = SBXFWCTL_EXIT_FAIL;
	} else if (err) {
		ret = fail_learned(ctl, a.cmd, err, why, conn);
	} else {
		qsort(entries, n, sizeof(*entries), learned_cmp);
		err = ctl->json ? print_learned_json(ctl, entries, n) :
				  print_learned_text(ctl, entries, n);
		ret = err ? fail(ctl, a.cmd, err, NULL) : SBXFWCTL_EXIT_OK;
		free(entries);
	}
	ctl->ops->close(conn);
	sbxfw_netns_close(&ns);
	return ret;
}

static int learned_flush(struct sbxfwctl *ctl, int argc, char **argv)
{
	struct policy_args a = { .cmd = "learned flush" };
	struct sbxfw_conn *conn;
	struct sbxfw_netns ns;
	char path[4096];
	int ret, err;

	ret = parse_policy_args(ctl, argc, argv, TAKES_NETNS, &a);
	if (ret)
		return ret;
	ret = open_netns_conn(ctl, &a, &ns, path, sizeof(path), &conn);
	if (ret)
		return ret;

	err = ctl->ops->learned_flush(conn, &ns);
	ret = err ? fail_learned(ctl, a.cmd, err, NULL, conn) :
		    SBXFWCTL_EXIT_OK;
	ctl->ops->close(conn);
	sbxfw_netns_close(&ns);
	return ret;
}

static const struct cmd learned_cmds[] = {
	{ "show", NULL, learned_show },
	{ "flush", NULL, learned_flush },
};

static int cmd_learned(struct sbxfwctl *ctl, int argc, char **argv)
{
	return run_subcommand(ctl, "learned", learned_cmds,
			      ARRAY_SIZE(learned_cmds), argc, argv);
}

static int cmd_help(struct sbxfwctl *ctl, int argc, char **argv)
{
	if (argc > 1)
		return usage_error(ctl, "help: unexpected argument '%s'",
				   argv[1]);
	usage(ctl->out);
	return SBXFWCTL_EXIT_OK;
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	}
	return NULL;
}

/* Output that could not be written is a failure, even of a command. */
static int finish(struct sbxfwctl *ctl, int ret)
{
	if (fflush(ctl->out) || ferror(ctl->out)) {
		fprintf(ctl->err, PROG ": cannot write the output: %s\n",
			strerror(errno));
		if (ret == SBXFWCTL_EXIT_OK)
			ret = SBXFWCTL_EXIT_FAIL;
	}
	return ret;
}

int sbxfwctl_run(struct sbxfwctl *ctl, int argc, char **argv)
{
	const struct cmd *cmd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			ctl->json = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			return finish(ctl, cmd_help(ctl, 1, argv + i));
		} else {
			return usage_error(ctl, "unknown option '%s'", opt);
		}
	}

	if (i >= argc)
		return usage_error(ctl, "no command given");

	cmd = find_cmd(argv[i]);
	if (!cmd)
		return usage_error(ctl, "unknown command '%s'", argv[i]);

	return finish(ctl, cmd->run(ctl, argc - i, argv + i));
}
