// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the policy document loader (policy_json.c,
 * sbxfw_policy_parse()): JSON text of any shape docs/policy.md describes,
 * under ASan (LeakSanitizer included) and UBSan, with the promises its
 * callers rely on:
 *
 *   - a refused document leaves the spec zeroed and says why, in a
 *     NUL-terminated message of at most SBXFW_POLICY_ERR_MAX bytes;
 *   - read from a file (sbxfw_policy_load()), the same text gives the same
 *     answer;
 *   - an accepted one passes sbxfw_spec_check() (kmod/spec.c), has a
 *     canonical form that compiles back into the same spec and prints the
 *     same again (get -> set round-trips), and survives the trip through
 *     the POLICY_SET messages (policy_nl.c) in small parts unchanged.
 *
 * "make fuzz" runs it for a bounded number of inputs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <netlink/msg.h>

#include "libsbxfw.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any generic netlink id will do: nothing is sent. */
#define FAMILY 0x20
/*
 * The smallest parts the encoder makes (its PART_MIN), so that a few rules
 * already span several messages.
 */
#define PART_MAX 1024

/* A broken promise: says which, then crashes for libFuzzer to report. */
static void fail(int line, const char *what)
{
	fprintf(stderr, "fuzz_policy_json.c:%d: check failed: %s\n", line,
		what);
	abort();
}

#define check(cond) ((cond) ? (void)0 : fail(__LINE__, #cond))

static int zeroed(const struct sbxfw_policy_spec *spec)
{
	static const struct sbxfw_policy_spec zero;

	return !memcmp(spec, &zero, sizeof(zero));
}

static int same_memory(const void *a, const void *b, size_t n)
{
	return !n || !memcmp(a, b, n);
}

static int rule_equal(const struct sbxfw_rule_spec *x,
		      const struct sbxfw_rule_spec *y)
{
	uint32_t j;

	if (x->action != y->action || x->direction != y->direction ||
	    x->protocols != y->protocols || x->presets != y->presets ||
	    x->nports != y->nports || x->ncidrs4 != y->ncidrs4 ||
	    x->ncidrs6 != y->ncidrs6 || x->ndomains != y->ndomains)
		return 0;
	if (!same_memory(x->ports, y->ports, x->nports * sizeof(*x->ports)) ||
	    !same_memory(x->cidrs4, y->cidrs4,
			 x->ncidrs4 * sizeof(*x->cidrs4)) ||
	    !same_memory(x->cidrs6, y->cidrs6, x->ncidrs6 * sizeof(*x->cidrs6)))
		return 0;
	for (j = 0; j < x->ndomains; j++) {
		if (strcmp(x->domains[j], y->domains[j]))
			return 0;
	}
	return 1;
}

static int spec_equal(const struct sbxfw_policy_spec *a,
		      const struct sbxfw_policy_spec *b)
{
	uint32_t i;

	if (a->mode != b->mode || a->default_action != b->default_action ||
	    a->ninside != b->ninside || a->nrules != b->nrules ||
	    a->dns.min_ttl != b->dns.min_ttl ||
	    a->dns.max_ttl != b->dns.max_ttl ||
	    a->dns.max_learned != b->dns.max_learned ||
	    a->dns.allow_rebinding != b->dns.allow_rebinding)
		return 0;
	if (!same_memory(a->inside, b->inside, a->ninside * sizeof(*a->inside)))
		return 0;
	for (i = 0; i < a->nrules; i++) {
		if (!rule_equal(&a->rules[i], &b->rules[i]))
			return 0;
	}
	return 1;
}

/* The canonical JSON of @spec, compact; free() it. */
static char *canonical(const struct sbxfw_policy_spec *spec)
{
	json_t *root;
	char *text;

	check(!sbxfw_policy_to_json(spec, &root));
	text = json_dumps(root, JSON_COMPACT);
	check(text != NULL);
	json_decref(root);
	return text;
}

/* The canonical form compiles back into @spec and prints the same. */
static void check_canonical(const struct sbxfw_policy_spec *spec)
{
	struct sbxfw_policy_spec again;
	char err[SBXFW_POLICY_ERR_MAX];
	char *text, *text2;

	text = canonical(spec);
	check(!sbxfw_policy_parse(text, strlen(text), &again, err,
				  sizeof(err)));
	check(spec_equal(spec, &again));
	text2 = canonical(&again);
	check(!strcmp(text, text2));
	free(text2);
	free(text);
	sbxfw_spec_release(&again);
}

/* The POLICY_SET messages of @spec decode back into @spec. */
static void check_messages(const struct sbxfw_policy_spec *spec)
{
	struct sbxfw_policy_decoder d;
	struct sbxfw_policy_spec back;
	struct sbxfw_netns ns = { .by_pid = true, .id = 1 };
	struct sbxfw_msgs parts;
	const char *why = NULL;
	uint64_t expect = 7;
	size_t i;
	int ret;

	ret = sbxfw_policy_encode(spec, &ns, &expect, FAMILY, PART_MAX, &parts,
				  &why);
	/* Only the rules' own fields not fitting the first part may fail. */
	if (ret == -E2BIG)
		return;
	check(!ret && parts.n >= 1);
	sbxfw_policy_decoder_init(&d, &back);
	for (i = 0; i < parts.n; i++) {
		check(nlmsg_hdr(parts.msgs[i])->nlmsg_len <= PART_MAX);
		check(!sbxfw_policy_decode(&d, nlmsg_hdr(parts.msgs[i])));
	}
	check(!sbxfw_policy_decode_end(&d));
	check(spec_equal(spec, &back));
	sbxfw_spec_release(&back);
	sbxfw_msgs_free(&parts);
}

/* sbxfw_policy_load(), which reads a file, says what the text said. */
static void check_load(const uint8_t *data, size_t size, int ret,
		       const struct sbxfw_policy_spec *spec)
{
	struct sbxfw_policy_spec again;
	char err[SBXFW_POLICY_ERR_MAX];
	FILE *f;

	if (!size)
		return;
	f = fmemopen((void *)data, size, "r");
	check(f != NULL);
	check(sbxfw_policy_load(f, &again, err, sizeof(err)) == ret);
	fclose(f);
	if (ret)
		check(zeroed(&again));
	else
		check(spec_equal(spec, &again));
	sbxfw_spec_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbxfw_policy_spec spec;
	char err[SBXFW_POLICY_ERR_MAX], summary[256];
	const char *why;
	int ret, bad;

	memset(err, 'x', sizeof(err));
	ret = sbxfw_policy_parse((const char *)data, size, &spec, err,
				 sizeof(err));
	if (ret) {
		check(ret == -EINVAL || ret == -E2BIG || ret == -ENOMEM);
		check(zeroed(&spec));
		check(memchr(err, '\0', sizeof(err)) != NULL && err[0]);
		/* Without room for a message it fails the same way. */
		check(sbxfw_policy_parse((const char *)data, size, &spec, NULL,
					 0) == ret);
		check(zeroed(&spec));
		check_load(data, size, ret, NULL);
		return 0;
	}
	check(!sbxfw_spec_check(&spec, &why, &bad));
	sbxfw_policy_summary(&spec, summary, sizeof(summary));
	check(memchr(summary, '\0', sizeof(summary)) != NULL);
	check_load(data, size, 0, &spec);
	check_canonical(&spec);
	check_messages(&spec);
	sbxfw_spec_release(&spec);
	return 0;
}
