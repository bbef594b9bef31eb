// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfwctl: global options, the command table, one function per command,
 * and the wording of errors shown to the operator.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <linux/sbxfw.h>

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
static int cmd_help(struct sbxfwctl *ctl, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "version", "show the versions of sbxfwctl and of the loaded module",
	  cmd_version },
	{ "help", "show this help", cmd_help },
};

const struct sbxfwctl_ops sbxfwctl_netlink_ops = {
	.open = sbxfw_conn_open,
	.close = sbxfw_conn_close,
	.extack = sbxfw_conn_extack,
	.version = sbxfw_version_get,
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
