// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test as one cmocka group, so that the output is a
 * single TAP stream with one plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

static size_t append(struct CMUnitTest *all, size_t n,
		     const struct CMUnitTest *tests, size_t count)
{
	memcpy(all + n, tests, count * sizeof(*tests));
	return n + count;
}

int main(void)
{
	struct CMUnitTest *all;
	const char *why = NULL;
	size_t n = 0;
	int failed;

	all = calloc(n_version_tests + n_genl_tests + n_cli_tests +
			     n_lpm_tests + n_spec_tests + n_policy_json_tests +
			     n_policy_nl_tests + n_policy_cli_tests +
			     n_policy_tests + n_dns_tests + n_domain_tests +
			     n_learned_tests + n_genl_live_tests,
		     sizeof(*all));
	if (!all)
		return 1;

	n = append(all, n, version_tests, n_version_tests);
	n = append(all, n, genl_tests, n_genl_tests);
	n = append(all, n, cli_tests, n_cli_tests);
	n = append(all, n, lpm_tests, n_lpm_tests);
	n = append(all, n, spec_tests, n_spec_tests);
	n = append(all, n, policy_json_tests, n_policy_json_tests);
	n = append(all, n, policy_nl_tests, n_policy_nl_tests);
	n = append(all, n, policy_cli_tests, n_policy_cli_tests);
	n = append(all, n, learned_tests, n_learned_tests);
	n = append(all, n, policy_tests, n_policy_tests);
	n = append(all, n, dns_tests, n_dns_tests);
	n = append(all, n, domain_tests, n_domain_tests);
	if (genl_live_usable(&why))
		n = append(all, n, genl_live_tests, n_genl_live_tests);
	else
		printf("# leaving out %zu tests against the kernel's nlctrl "
		       "family: %s\n",
		       n_genl_live_tests, why);

	cmocka_set_message_output(CM_OUTPUT_TAP);
	failed = _cmocka_run_group_tests("sbxfw-userspace", all, n, NULL, NULL);
	free(all);
	return failed ? 1 : 0;
}
