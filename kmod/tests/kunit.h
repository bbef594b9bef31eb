/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the KUnit suites of sbxfw_kunit.ko share (policy_test.c).
 */
#ifndef _SBXFW_KUNIT_H
#define _SBXFW_KUNIT_H

#include <kunit/test.h>

#include "policy.h"

/* A spec of @nrules zeroed rules, allocated as the module's specs are. */
void sbxfw_t_spec_init(struct kunit *test, struct sbxfw_policy_spec *spec,
		       u8 mode, u8 dflt, u32 nrules);
/* Appends @addr/@prefix (host byte order) to @r's IPv4 CIDRs. */
void sbxfw_t_add_cidr4(struct kunit *test, struct sbxfw_rule_spec *r,
		       u32 addr, u8 prefix);
/* Compiles @spec (then owned by the policy), or fails the test: NULL. */
struct sbxfw_policy *sbxfw_t_compile(struct kunit *test,
				     struct sbxfw_policy_spec *spec);

#endif /* _SBXFW_KUNIT_H */
