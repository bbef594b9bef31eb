/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sbxfw: egress firewall for code-execution sandboxes.
 *
 * The generic netlink family shared by the module and sbxfwctl. Every
 * command is accepted only from a socket in the initial network namespace
 * whose opener holds CAP_NET_ADMIN in the initial user namespace, so root
 * inside a sandbox can neither read nor change what is enforced on it.
 */
#ifndef _UAPI_LINUX_SBXFW_H
#define _UAPI_LINUX_SBXFW_H

#define SBXFW_GENL_NAME		"sbxfw"
#define SBXFW_GENL_VERSION	1

/**
 * enum sbxfw_cmd - commands of the sbxfw family
 * @SBXFW_CMD_UNSPEC: unused
 * @SBXFW_CMD_GET_VERSION: reply carries SBXFW_A_VERSION, SBXFW_A_FEATURES
 *	and SBXFW_A_STATS; the request takes no attribute.
 */
enum sbxfw_cmd {
	SBXFW_CMD_UNSPEC,
	SBXFW_CMD_GET_VERSION,

	__SBXFW_CMD_MAX,
};

#define SBXFW_CMD_MAX (__SBXFW_CMD_MAX - 1)

/**
 * enum sbxfw_attr - top-level attributes
 * @SBXFW_A_UNSPEC: unused
 * @SBXFW_A_VERSION: NUL-terminated string, the module's version
 * @SBXFW_A_FEATURES: nest of SBXFW_A_FEATURE strings, one per capability
 *	this build of the module has (see SBXFW_FEATURE_*)
 * @SBXFW_A_STATS: nest of enum sbxfw_stat_attr, module-wide counters
 * @SBXFW_A_PAD: padding for 64-bit attributes
 */
enum sbxfw_attr {
	SBXFW_A_UNSPEC,
	SBXFW_A_VERSION,
	SBXFW_A_FEATURES,
	SBXFW_A_STATS,
	SBXFW_A_PAD,

	__SBXFW_A_MAX,
};

#define SBXFW_A_MAX (__SBXFW_A_MAX - 1)

/**
 * enum sbxfw_feature_attr - attributes inside SBXFW_A_FEATURES
 * @SBXFW_A_FEATURE_UNSPEC: unused
 * @SBXFW_A_FEATURE: NUL-terminated string naming one feature; repeated
 */
enum sbxfw_feature_attr {
	SBXFW_A_FEATURE_UNSPEC,
	SBXFW_A_FEATURE,

	__SBXFW_A_FEATURE_MAX,
};

#define SBXFW_A_FEATURE_MAX (__SBXFW_A_FEATURE_MAX - 1)

/**
 * enum sbxfw_stat_attr - attributes inside SBXFW_A_STATS
 * @SBXFW_A_STAT_UNSPEC: unused
 * @SBXFW_A_STAT_NETNS: u32, network namespaces that currently hold sbxfw
 *	state (every live netns while the module is loaded); it returns to
 *	its earlier value once namespaces created since then are gone
 */
enum sbxfw_stat_attr {
	SBXFW_A_STAT_UNSPEC,
	SBXFW_A_STAT_NETNS,

	__SBXFW_A_STAT_MAX,
};

#define SBXFW_A_STAT_MAX (__SBXFW_A_STAT_MAX - 1)

#endif /* _UAPI_LINUX_SBXFW_H */
