// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/policy.c built natively: compiling specs (presets, the "public"
 * complement, CIDRs, rules without destination) and the first-match
 * evaluation the packet path runs.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "tests.h"

#define MAX_TEST_RULES 300

struct builder {
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec rules[MAX_TEST_RULES];
};

static struct sbxfw_rule_spec *add_rule(struct builder *b, u8 action)
{
	struct sbxfw_rule_spec *r = &b->rules[b->spec.nrules++];

	memset(r, 0, sizeof(*r));
	r->action = action;
	r->direction = SBXFW_DIR_EGRESS;
	return r;
}

static void add_cidr(struct sbxfw_rule_spec *r, const char *addr,
		     unsigned int prefix)
{
	if (strchr(addr, ':')) {
		r->cidrs6 = realloc(r->cidrs6,
				    (r->ncidrs6 + 1) * sizeof(*r->cidrs6));
		memset(&r->cidrs6[r->ncidrs6], 0, sizeof(*r->cidrs6));
		assert_int_equal(inet_pton(AF_INET6, addr,
					   r->cidrs6[r->ncidrs6].addr),
				 1);
		r->cidrs6[r->ncidrs6++].prefix = prefix;
	} else {
		r->cidrs4 = realloc(r->cidrs4,
				    (r->ncidrs4 + 1) * sizeof(*r->cidrs4));
		memset(&r->cidrs4[r->ncidrs4], 0, sizeof(*r->cidrs4));
		assert_int_equal(inet_pton(AF_INET, addr,
					   &r->cidrs4[r->ncidrs4].addr),
				 1);
		r->cidrs4[r->ncidrs4++].prefix = prefix;
	}
}

static void add_ports(struct sbxfw_rule_spec *r, u16 first, u16 last)
{
	r->ports = realloc(r->ports, (r->nports + 1) * sizeof(*r->ports));
	r->ports[r->nports].first = first;
	r->ports[r->nports++].last = last;
}

/* Compiles b's spec; the builder's arrays then belong to the policy. */
static struct sbxfw_policy *compile(struct builder *b, u8 mode, u8 dflt)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_policy *p = NULL;
	const char *why = NULL;
	int err;

	b->spec.mode = mode;
	b->spec.default_action = dflt;
	spec = b->spec;
	if (spec.nrules) {
		spec.rules = malloc(spec.nrules * sizeof(*spec.rules));
		memcpy(spec.rules, b->rules, spec.nrules * sizeof(*spec.rules));
	} else {
		spec.rules = NULL;
	}
	err = sbxfw_policy_compile(&spec, &p, &why);
	if (err)
		fail_msg("compile: %d %s", err, why ? why : "");
	assert_null(spec.rules); /* the policy owns it now */
	return p;
}

/* The action for a packet to ADDR; *rule gets the deciding rule. */
static int verdict(const struct sbxfw_policy *p, const char *addr, u8 proto,
		   int port, int *rule)
{
	struct sbxfw_pkt pkt = {
		.direction = SBXFW_DIR_EGRESS,
		.protocol = proto,
		.has_port = port >= 0,
		.port = port >= 0 ? port : 0,
	};
	u8 buf[16];
	int dummy;

	pkt.family = strchr(addr, ':') ? 6 : 4;
	assert_int_equal(
		inet_pton(pkt.family == 6 ? AF_INET6 : AF_INET, addr, buf), 1);
	pkt.peer = buf;
	return sbxfw_policy_eval(p, &pkt, rule ? rule : &dummy);
}

static int tcp(const struct sbxfw_policy *p, const char *addr, int port)
{
	return verdict(p, addr, IPPROTO_TCP, port, NULL);
}

static struct sbxfw_policy *preset_policy(u32 preset)
{
	static struct builder b;

	memset(&b, 0, sizeof(b));
	add_rule(&b, SBXFW_ACTION_ALLOW)->presets = preset;
	return compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY);
}

static void test_preset_private(void **state)
{
	struct sbxfw_policy *p = preset_policy(SBXFW_PRESET_F_PRIVATE);
	static const char *const in[] = { "10.0.0.1",	     "10.255.255.255",
					  "172.16.0.1",	     "172.31.255.255",
					  "192.168.1.1",     "100.64.0.1",
					  "100.127.255.255", "fc00::1",
					  "fdff::1" };
	static const char *const out[] = { "9.255.255.255",  "11.0.0.0",
					   "172.15.255.255", "172.32.0.0",
					   "192.169.0.0",    "100.128.0.0",
					   "8.8.8.8",	     "fe00::1",
					   "2001:db8::1" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++)
		assert_int_equal(tcp(p, in[i], 80), SBXFW_ACTION_ALLOW);
	for (i = 0; i < ARRAY_SIZE(out); i++)
		assert_int_equal(tcp(p, out[i], 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);
}

static void test_preset_public_is_the_complement(void **state)
{
	struct sbxfw_policy *p = preset_policy(SBXFW_PRESET_F_PUBLIC);
	static const char *const public[] = { "0.0.0.0",     "1.1.1.1",
					      "8.8.8.8",     "9.255.255.255",
					      "11.0.0.0",    "126.255.255.255",
					      "128.0.0.0",   "169.253.255.255",
					      "169.255.0.0", "223.255.255.255",
					      "240.0.0.1",   "255.255.255.255",
					      "2001:db8::1", "::",
					      "::2",	     "fbff:ffff::1",
					      "fe7f::1",     "fec0::1" };
	static const char *const not_public[] = {
		"10.1.1.1",
		"127.0.0.1",
		"169.254.169.254",
		"169.254.0.1",
		"224.0.0.1",
		"239.255.255.255",
		"192.168.0.1",
		"100.64.0.1",
		"::1",
		"fc00::1",
		"fd00:ec2::254",
		"fe80::1",
		"ff02::1",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(public); i++)
		assert_int_equal(tcp(p, public[i], 80), SBXFW_ACTION_ALLOW);
	for (i = 0; i < ARRAY_SIZE(not_public); i++)
		assert_int_equal(tcp(p, not_public[i], 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);
}

static void test_presets_metadata_linklocal_multicast_loopback(void **state)
{
	struct sbxfw_policy *p;

	(void)state;
	p = preset_policy(SBXFW_PRESET_F_METADATA);
	assert_int_equal(tcp(p, "169.254.169.254", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "fd00:ec2::254", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "169.254.169.253", 80), SBXFW_ACTION_DENY);
	assert_int_equal(tcp(p, "fd00:ec2::253", 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);

	p = preset_policy(SBXFW_PRESET_F_LINK_LOCAL);
	assert_int_equal(tcp(p, "169.254.1.1", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "febf::1", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "fec0::1", 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);

	p = preset_policy(SBXFW_PRESET_F_MULTICAST);
	assert_int_equal(tcp(p, "239.1.2.3", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "ff05::1", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "240.0.0.1", 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);

	p = preset_policy(SBXFW_PRESET_F_LOOPBACK);
	assert_int_equal(tcp(p, "127.1.2.3", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "::1", 80), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "::2", 80), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);
}

static void test_first_match_across_bitmap_words(void **state)
{
	static struct builder b;
	struct sbxfw_policy *p;
	int i, rule;

	(void)state;
	memset(&b, 0, sizeof(b));
	/* Rules 0..199 match other addresses; 63, 64 and 200 match ours. */
	for (i = 0; i < 256; i++) {
		struct sbxfw_rule_spec *r = add_rule(
			&b, i == 64 ? SBXFW_ACTION_DENY : SBXFW_ACTION_ALLOW);

		if (i == 63) {
			r->protocols = SBXFW_PROTO_F_UDP;
			add_cidr(r, "198.51.100.0", 24);
		} else if (i == 64 || i == 200) {
			add_cidr(r, "198.51.100.7", 32);
		} else {
			add_cidr(r, "203.0.113.0", 24 + i % 8);
		}
	}
	p = compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_ALLOW);
	assert_int_equal(verdict(p, "198.51.100.7", IPPROTO_UDP, 53, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 63);
	assert_int_equal(verdict(p, "198.51.100.7", IPPROTO_TCP, 80, &rule),
			 SBXFW_ACTION_DENY);
	assert_int_equal(rule, 64);
	assert_int_equal(verdict(p, "198.51.100.8", IPPROTO_TCP, 80, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, SBXFW_VERDICT_DEFAULT);
	sbxfw_policy_free(p);
}

static void test_ports_and_protocols(void **state)
{
	static struct builder b;
	struct sbxfw_policy_spec spec;
	struct sbxfw_rule_spec *r;
	struct sbxfw_policy *p;
	int rule;

	(void)state;
	memset(&b, 0, sizeof(b));
	r = add_rule(&b, SBXFW_ACTION_ALLOW);
	add_ports(r, 443, 443);
	add_ports(r, 8000, 9000);
	r = add_rule(&b, SBXFW_ACTION_ALLOW);
	r->protocols = SBXFW_PROTO_F_ICMP | SBXFW_PROTO_F_ICMPV6;
	p = compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY);
	spec = p->spec;
	assert_int_equal(spec.nrules, 2);

	assert_int_equal(tcp(p, "1.2.3.4", 443), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "1.2.3.4", 442), SBXFW_ACTION_DENY);
	assert_int_equal(tcp(p, "1.2.3.4", 444), SBXFW_ACTION_DENY);
	assert_int_equal(tcp(p, "1.2.3.4", 8000), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "1.2.3.4", 9000), SBXFW_ACTION_ALLOW);
	assert_int_equal(tcp(p, "1.2.3.4", 9001), SBXFW_ACTION_DENY);
	assert_int_equal(verdict(p, "2001:db8::1", IPPROTO_UDP, 8500, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 0);
	/* A rule with ports never matches a protocol without ports. */
	assert_int_equal(verdict(p, "1.2.3.4", IPPROTO_ICMP, -1, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 1);
	assert_int_equal(verdict(p, "::1", IPPROTO_ICMPV6, -1, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 1);
	/* SCTP is neither: only the default. */
	assert_int_equal(verdict(p, "1.2.3.4", IPPROTO_SCTP, 443, &rule),
			 SBXFW_ACTION_DENY);
	assert_int_equal(rule, SBXFW_VERDICT_DEFAULT);
	sbxfw_policy_free(p);
}

static void test_modes_and_loopback(void **state)
{
	static struct builder b;
	struct sbxfw_pkt pkt = { .family = 4, .protocol = IPPROTO_TCP };
	struct sbxfw_policy *p;
	u8 addr[4] = { 8, 8, 8, 8 };
	int rule;

	(void)state;
	pkt.peer = addr;
	memset(&b, 0, sizeof(b));
	p = compile(&b, SBXFW_MODE_DENY_ALL, SBXFW_ACTION_ALLOW);
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	pkt.loopback = true;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_ALLOW);
	sbxfw_policy_free(p);

	pkt.loopback = false;
	memset(&b, 0, sizeof(b));
	p = compile(&b, SBXFW_MODE_ALLOW_ALL, SBXFW_ACTION_DENY);
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_ALLOW);
	sbxfw_policy_free(p);
}

static void test_destinations(void **state)
{
	static struct builder b;
	struct sbxfw_rule_spec *r;
	struct sbxfw_policy *p;
	int rule;

	(void)state;
	memset(&b, 0, sizeof(b));
	/* Domains alone match no address until DNS teaches one. */
	r = add_rule(&b, SBXFW_ACTION_DENY);
	r->domains = malloc(sizeof(*r->domains));
	r->domains[0] = strdup("api.example.com");
	r->ndomains = 1;
	/* No destination at all: every address. */
	r = add_rule(&b, SBXFW_ACTION_ALLOW);
	r->protocols = SBXFW_PROTO_F_TCP;
	p = compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY);
	assert_int_equal(verdict(p, "93.184.216.34", IPPROTO_TCP, 443, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 1);
	assert_int_equal(verdict(p, "2606:2800::1", IPPROTO_TCP, 443, &rule),
			 SBXFW_ACTION_ALLOW);
	assert_int_equal(verdict(p, "93.184.216.34", IPPROTO_UDP, 53, &rule),
			 SBXFW_ACTION_DENY);
	assert_int_equal(rule, SBXFW_VERDICT_DEFAULT);
	sbxfw_policy_free(p);
}

static void test_compile_refuses_bad_specs(void **state)
{
	static struct builder b;
	struct sbxfw_policy_spec spec;
	struct sbxfw_policy *p = NULL;
	const char *why = NULL;
	struct sbxfw_rule_spec *r;

	(void)state;
	memset(&b, 0, sizeof(b));
	r = add_rule(&b, SBXFW_ACTION_ALLOW);
	add_cidr(r, "10.0.0.1", 8); /* host bits */
	b.spec.mode = SBXFW_MODE_CUSTOM;
	spec = b.spec;
	spec.rules = b.rules;
	assert_int_equal(sbxfw_policy_compile(&spec, &p, &why), -EINVAL);
	assert_null(p);
	assert_non_null(why);
	assert_ptr_equal(spec.rules, b.rules); /* still the caller's */
	free(r->cidrs4);
}

/* Ingress rules judge the peer as the source, and only inbound packets. */
static void test_ingress_rules(void **state)
{
	static struct builder b;
	struct sbxfw_policy *p;
	struct sbxfw_rule_spec *r;
	struct sbxfw_pkt pkt = {
		.family = 4,
		.protocol = IPPROTO_TCP,
		.has_port = true,
		.port = 8080,
	};
	u8 peer[4] = { 192, 0, 2, 7 };
	int rule;

	(void)state;
	memset(&b, 0, sizeof(b));
	add_ports(add_rule(&b, SBXFW_ACTION_ALLOW), 443, 443);
	r = add_rule(&b, SBXFW_ACTION_ALLOW);
	r->direction = SBXFW_DIR_INGRESS;
	add_cidr(r, "192.0.2.0", 24);
	add_ports(r, 8080, 8080);
	p = compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY);
	assert_true(p->filters_ingress);

	pkt.peer = peer;
	pkt.direction = SBXFW_DIR_INGRESS;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_ALLOW);
	assert_int_equal(rule, 1);
	/* The same packet leaving is not what the ingress rule names. */
	pkt.direction = SBXFW_DIR_EGRESS;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	assert_int_equal(rule, SBXFW_VERDICT_DEFAULT);
	/* Nor does the egress rule let anything in. */
	pkt.direction = SBXFW_DIR_INGRESS;
	pkt.port = 443;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	pkt.port = 8080;
	peer[2] = 3;
	assert_int_equal(sbxfw_policy_eval(p, &pkt, &rule), SBXFW_ACTION_DENY);
	sbxfw_policy_free(p);
}

/* Which policies judge what comes in at all. */
static void test_filters_ingress(void **state)
{
	static struct builder b;
	struct sbxfw_policy *p;

	(void)state;
	memset(&b, 0, sizeof(b));
	p = compile(&b, SBXFW_MODE_ALLOW_ALL, SBXFW_ACTION_ALLOW);
	assert_false(p->filters_ingress);
	sbxfw_policy_free(p);
	p = compile(&b, SBXFW_MODE_DENY_ALL, SBXFW_ACTION_DENY);
	assert_true(p->filters_ingress);
	sbxfw_policy_free(p);
	add_rule(&b, SBXFW_ACTION_DENY)->presets = SBXFW_PRESET_F_METADATA;
	p = compile(&b, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY);
	assert_false(p->filters_ingress);
	sbxfw_policy_free(p);
}

const struct CMUnitTest policy_tests[] = {
	cmocka_unit_test(test_ingress_rules),
	cmocka_unit_test(test_filters_ingress),
	cmocka_unit_test(test_preset_private),
	cmocka_unit_test(test_preset_public_is_the_complement),
	cmocka_unit_test(test_presets_metadata_linklocal_multicast_loopback),
	cmocka_unit_test(test_first_match_across_bitmap_words),
	cmocka_unit_test(test_ports_and_protocols),
	cmocka_unit_test(test_modes_and_loopback),
	cmocka_unit_test(test_destinations),
	cmocka_unit_test(test_compile_refuses_bad_specs),
};

const size_t n_policy_tests = ARRAY_SIZE(policy_tests);
