// SPDX-License-Identifier: GPL-2.0
/*
 * Policy documents: every accepted shape compiled to exactly the rules
 * docs/policy.md promises, every refusal with its exact message, and the
 * canonical JSON as a fixed point of parsing.
 *
 * JSON in this file is written with single quotes, which json() turns
 * into double ones, so that it stays readable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsbxfw.h"
#include "policy.h"
#include "tests.h"

/* @text with every ' made a ", in a buffer of the caller's. */
static char *json(const char *text)
{
	char *s = strdup(text), *p;

	assert_non_null(s);
	for (p = s; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return s;
}

void spec_from_text(const char *text, struct sbxfw_policy_spec *spec)
{
	char err[SBXFW_POLICY_ERR_MAX];
	char *s = json(text);
	int ret;

	ret = sbxfw_policy_parse(s, strlen(s), spec, err, sizeof(err));
	if (ret)
		fail_msg("%s: %s", s, err);
	free(s);
}

void assert_spec_equal(const struct sbxfw_policy_spec *a,
		       const struct sbxfw_policy_spec *b)
{
	uint32_t i, j;

	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->default_action, b->default_action);
	assert_int_equal(a->ninside, b->ninside);
	for (i = 0; i < a->ninside; i++)
		assert_memory_equal(a->inside[i], b->inside[i],
				    sizeof(*a->inside));
	assert_int_equal(a->dns.min_ttl, b->dns.min_ttl);
	assert_int_equal(a->dns.max_ttl, b->dns.max_ttl);
	assert_int_equal(a->dns.max_learned, b->dns.max_learned);
	assert_int_equal(a->dns.allow_rebinding, b->dns.allow_rebinding);
	assert_int_equal(a->nrules, b->nrules);
	for (i = 0; i < a->nrules; i++) {
		const struct sbxfw_rule_spec *x = &a->rules[i];
		const struct sbxfw_rule_spec *y = &b->rules[i];

		assert_int_equal(x->action, y->action);
		assert_int_equal(x->direction, y->direction);
		assert_int_equal(x->protocols, y->protocols);
		assert_int_equal(x->presets, y->presets);
		assert_int_equal(x->nports, y->nports);
		assert_int_equal(x->ncidrs4, y->ncidrs4);
		assert_int_equal(x->ncidrs6, y->ncidrs6);
		assert_int_equal(x->ndomains, y->ndomains);
		if (x->nports)
			assert_memory_equal(x->ports, y->ports,
					    x->nports * sizeof(*x->ports));
		if (x->ncidrs4)
			assert_memory_equal(x->cidrs4, y->cidrs4,
					    x->ncidrs4 * sizeof(*x->cidrs4));
		if (x->ncidrs6)
			assert_memory_equal(x->cidrs6, y->cidrs6,
					    x->ncidrs6 * sizeof(*x->cidrs6));
		for (j = 0; j < x->ndomains; j++)
			assert_string_equal(x->domains[j], y->domains[j]);
	}
}

/* The canonical JSON of @spec, compact; free() it. */
static char *canonical(const struct sbxfw_policy_spec *spec)
{
	json_t *root;
	char *text;

	assert_int_equal(sbxfw_policy_to_json(spec, &root), 0);
	text = json_dumps(root, JSON_COMPACT);
	assert_non_null(text);
	json_decref(root);
	return text;
}

/*
 * @text compiles to the canonical @expected, which compiles back into the
 * same spec and prints the same again.
 */
static void assert_compiles(const char *text, const char *expected)
{
	struct sbxfw_policy_spec spec, again;
	char *want = json(expected), *got, *got2;

	spec_from_text(text, &spec);
	got = canonical(&spec);
	assert_string_equal(got, want);

	assert_int_equal(sbxfw_policy_parse(got, strlen(got), &again, NULL, 0),
			 0);
	assert_spec_equal(&spec, &again);
	got2 = canonical(&again);
	assert_string_equal(got2, got);

	free(got2);
	free(got);
	free(want);
	sbxfw_spec_release(&again);
	sbxfw_spec_release(&spec);
}

/* @text is refused with @err and exactly @message, and nothing is kept. */
static void assert_refused(const char *text, int err, const char *message)
{
	char buf[SBXFW_POLICY_ERR_MAX];
	struct sbxfw_policy_spec spec;
	char *s = json(text);

	memset(&spec, 0xa5, sizeof(spec));
	assert_int_equal(
		sbxfw_policy_parse(s, strlen(s), &spec, buf, sizeof(buf)), err);
	assert_string_equal(buf, message);
	assert_int_equal(spec.nrules, 0);
	assert_null(spec.rules);
	free(s);
}

#define EINVAL_(text, message) assert_refused(text, -EINVAL, message)

/* sbxfw's own shape */

static void test_native_full(void **state)
{
	struct sbxfw_policy_spec spec;
	const struct sbxfw_rule_spec *r;

	(void)state;
	assert_compiles(
		"{'mode':'custom','default':'deny','rules':[{'action':'allow',"
		"'direction':'egress','protocols':['tcp','udp'],'ports':['443',"
		"'8000-9000'],'destinations':['private','10.0.0.0/8',"
		"'2001:db8::/32','api.example.com','*.example.com']}]}",
		"{'mode':'custom','default':'deny','rules':[{'action':'allow',"
		"'protocols':['tcp','udp'],'ports':['443','8000-9000'],"
		"'destinations':['private','10.0.0.0/8','2001:db8::/32',"
		"'api.example.com','*.example.com']}]}");

	/* The same, field by field. */
	spec_from_text("{'mode':'custom','default':'deny','rules':[{'action':"
		       "'allow','protocols':['tcp','udp'],'ports':['443',"
		       "'8000-9000'],'destinations':['private','10.0.0.0/8',"
		       "'2001:db8::/32','api.example.com','*.example.com']}]}",
		       &spec);
	assert_int_equal(spec.mode, SBXFW_MODE_CUSTOM);
	assert_int_equal(spec.default_action, SBXFW_ACTION_DENY);
	assert_int_equal(spec.nrules, 1);
	r = &spec.rules[0];
	assert_int_equal(r->action, SBXFW_ACTION_ALLOW);
	assert_int_equal(r->direction, SBXFW_DIR_EGRESS);
	assert_int_equal(r->protocols, SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP);
	assert_int_equal(r->presets, SBXFW_PRESET_F_PRIVATE);
	assert_int_equal(r->nports, 2);
	assert_int_equal(r->ports[0].first, 443);
	assert_int_equal(r->ports[0].last, 443);
	assert_int_equal(r->ports[1].first, 8000);
	assert_int_equal(r->ports[1].last, 9000);
	assert_int_equal(r->ncidrs4, 1);
	assert_int_equal(ntohl(r->cidrs4[0].addr), 0x0a000000);
	assert_int_equal(r->cidrs4[0].prefix, 8);
	assert_int_equal(r->ncidrs6, 1);
	assert_int_equal(r->cidrs6[0].addr[0], 0x20);
	assert_int_equal(r->cidrs6[0].addr[3], 0xb8);
	assert_int_equal(r->cidrs6[0].prefix, 32);
	assert_int_equal(r->ndomains, 2);
	assert_string_equal(r->domains[0], "api.example.com");
	assert_string_equal(r->domains[1], "*.example.com");
	sbxfw_spec_release(&spec);
}

static void test_inside_devices(void **state)
{
	(void)state;
	assert_compiles("{'mode':'custom','inside_devices':['tap0','vm-1.2']}",
			"{'mode':'custom','default':'deny',"
			"'inside_devices':['tap0','vm-1.2']}");
	EINVAL_("{'mode':'custom','inside_devices':'tap0'}",
		"inside_devices: expected a non-empty array, got a string");
	EINVAL_("{'mode':'custom','inside_devices':[]}",
		"inside_devices: expected a non-empty array, got an array");
	EINVAL_("{'mode':'custom','inside_devices':['tap0',7]}",
		"inside_devices[1]: expected a device name, got an integer");
	EINVAL_("{'mode':'custom','inside_devices':['a/b']}",
		"inside_devices[0]: \"a/b\" is not a device name (1-15 "
		"printable characters without '/', ':' or spaces)");
	EINVAL_("{'mode':'custom','inside_devices':['sixteen-chars-xx']}",
		"inside_devices[0]: \"sixteen-chars-xx\" is not a device "
		"name (1-15 printable characters without '/', ':' or spaces)");
	EINVAL_("{'mode':'custom','inside_devices':['tap0','tap0']}",
		"inside_devices[1]: \"tap0\" is named twice");
	EINVAL_("{'mode':'custom','inside_devices':['a','b','c','d','e',"
		"'f','g','h','i']}",
		"inside_devices[8]: a policy names at most 8 inside devices");
	EINVAL_("{'mode':'deny-all','inside_devices':['tap0']}",
		"inside_devices: only a custom policy names inside devices "
		"(this one is deny-all)");
}

static void test_dns_options(void **state)
{
	struct sbxfw_policy_spec spec;

	(void)state;
	/* Each member alone, printed after inside_devices, before rules. */
	assert_compiles("{'mode':'custom','dns':{'min_ttl':30}}",
			"{'mode':'custom','default':'deny','dns':{'min_ttl':"
			"30}}");
	assert_compiles("{'mode':'custom','dns':{'max_ttl':3600}}",
			"{'mode':'custom','default':'deny','dns':{'max_ttl':"
			"3600}}");
	assert_compiles("{'mode':'custom','dns':{'max_learned':1024}}",
			"{'mode':'custom','default':'deny','dns':{"
			"'max_learned':1024}}");
	assert_compiles("{'mode':'custom','dns':{'rebinding_protection':"
			"false}}",
			"{'mode':'custom','default':'deny','dns':{"
			"'rebinding_protection':false}}");
	/* All of them, in canonical order whatever the order given. */
	assert_compiles(
		"{'rules':[{'action':'allow','destinations':'a.io'}],"
		"'dns':{'rebinding_protection':false,'max_learned':"
		"65536,'max_ttl':604800,'min_ttl':86400},"
		"'inside_devices':['tap0'],'mode':'custom'}",
		"{'mode':'custom','default':'deny','inside_devices':["
		"'tap0'],'dns':{'min_ttl':86400,'max_ttl':604800,"
		"'max_learned':65536,'rebinding_protection':false},"
		"'rules':[{'action':'allow','destinations':['a.io']}]}");
	/* The smallest values; max_ttl may equal min_ttl. */
	assert_compiles("{'mode':'custom','dns':{'min_ttl':1,'max_ttl':1,"
			"'max_learned':1}}",
			"{'mode':'custom','default':'deny','dns':{'min_ttl':1,"
			"'max_ttl':1,'max_learned':1}}");
	assert_compiles("{'mode':'custom','dns':{'max_ttl':60}}",
			"{'mode':'custom','default':'deny','dns':{'max_ttl':"
			"60}}");
	/* Defaults leave "dns" out of the canonical form altogether. */
	assert_compiles("{'mode':'custom','dns':{}}",
			"{'mode':'custom','default':'deny'}");
	assert_compiles("{'mode':'custom','dns':{'rebinding_protection':"
			"true}}",
			"{'mode':'custom','default':'deny'}");
	/* Any mode takes them. */
	assert_compiles("{'mode':'deny-all','dns':{'max_learned':10}}",
			"{'mode':'deny-all','dns':{'max_learned':10}}");

	/* The spec: 0 and false stand for the defaults. */
	spec_from_text("{'dns':{'min_ttl':5,'max_learned':7}}", &spec);
	assert_int_equal(spec.dns.min_ttl, 5);
	assert_int_equal(spec.dns.max_ttl, 0);
	assert_int_equal(spec.dns.max_learned, 7);
	assert_false(spec.dns.allow_rebinding);
	sbxfw_spec_release(&spec);
	spec_from_text("{'dns':{'rebinding_protection':false,'max_ttl':900}}",
		       &spec);
	assert_int_equal(spec.dns.min_ttl, 0);
	assert_int_equal(spec.dns.max_ttl, 900);
	assert_int_equal(spec.dns.max_learned, 0);
	assert_true(spec.dns.allow_rebinding);
	sbxfw_spec_release(&spec);
	spec_from_text("{'dns':{'rebinding_protection':true}}", &spec);
	assert_false(spec.dns.allow_rebinding);
	sbxfw_spec_release(&spec);
}

/* Every product's shape takes "dns" beside its other top-level keys. */
static void test_dns_in_every_shape(void **state)
{
	(void)state;
	assert_compiles("{'mode':'block-all','egress':{'allowed_domains':["
			"'a.io']},'dns':{'max_ttl':300}}",
			"{'mode':'custom','default':'deny','dns':{'max_ttl':"
			"300},'rules':[{'action':'allow','destinations':["
			"'a.io']}]}");
	assert_compiles("{'allowed_domains':['a.io'],'dns':{'min_ttl':10}}",
			"{'mode':'custom','default':'deny','dns':{'min_ttl':"
			"10},'rules':[{'action':'allow','destinations':["
			"'a.io']}]}");
	assert_compiles("{'allow_domains':['a.io'],'dns':{'max_learned':5}}",
			"{'mode':'custom','default':'deny','dns':{"
			"'max_learned':5},'rules':[{'action':'allow',"
			"'destinations':['a.io']}]}");
	assert_compiles("{'allow_out':['a.io'],'dns':{'rebinding_protection':"
			"false}}",
			"{'mode':'custom','default':'deny','dns':{"
			"'rebinding_protection':false},'rules':[{'action':"
			"'allow','destinations':['a.io']}]}");
	assert_compiles("{'mode':'user-defined','allowed_domains':['a.io'],"
			"'dns':{'min_ttl':120}}",
			"{'mode':'custom','default':'deny','dns':{'min_ttl':"
			"120},'rules':[{'action':'allow','destinations':["
			"'a.io']}]}");
	/* microsandbox's own key for it */
	assert_compiles("{'defaultAction':'deny','dnsRebindProtection':false,"
			"'rules':[{'action':'allow'}]}",
			"{'mode':'custom','default':'deny','dns':{"
			"'rebinding_protection':false},'rules':[{'action':"
			"'allow'}]}");
	assert_compiles("{'defaultAction':'deny','dnsRebindProtection':true,"
			"'rules':[{'action':'allow'}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow'}]}");
	assert_compiles("{'defaultAction':'deny','blockDomains':['a.io'],"
			"'rules':[{'action':'allow'}],'dns':{'max_ttl':120}}",
			"{'mode':'custom','default':'deny','dns':{'max_ttl':"
			"120},'rules':[{'action':'deny','destinations':["
			"'a.io']},{'action':'allow'}]}");
	assert_compiles("{'policy':'public-only','dns':{'max_learned':9}}",
			"{'mode':'custom','default':'deny','dns':{"
			"'max_learned':9},'rules':[{'action':'allow',"
			"'destinations':['public']}]}");
	/* Not inside "egress", which holds lists only. */
	EINVAL_("{'egress':{'dns':{}}}", "egress.dns: unknown key");
}

static void test_dns_refused(void **state)
{
	(void)state;
	/* Out of range; 0 is no way to ask for the default. */
	EINVAL_("{'dns':{'min_ttl':0}}",
		"dns.min_ttl: 0 is not between 1 and 86400 seconds; leave the "
		"key out for the default, 60");
	EINVAL_("{'dns':{'min_ttl':86401}}",
		"dns.min_ttl: 86401 is not between 1 and 86400 seconds");
	EINVAL_("{'dns':{'min_ttl':-1}}",
		"dns.min_ttl: -1 is not between 1 and 86400 seconds");
	EINVAL_("{'dns':{'max_ttl':0}}",
		"dns.max_ttl: 0 is not between 1 and 604800 seconds; leave "
		"the key out for the default, 86400");
	EINVAL_("{'dns':{'max_ttl':604801}}",
		"dns.max_ttl: 604801 is not between 1 and 604800 seconds");
	EINVAL_("{'dns':{'max_ttl':4294967356}}",
		"dns.max_ttl: 4294967356 is not between 1 and 604800 seconds");
	EINVAL_("{'dns':{'max_learned':0}}",
		"dns.max_learned: 0 is not between 1 and 65536; leave the key "
		"out for the default, 16384");
	EINVAL_("{'dns':{'max_learned':65537}}",
		"dns.max_learned: 65537 is not between 1 and 65536");
	EINVAL_("{'dns':{'max_learned':-65536}}",
		"dns.max_learned: -65536 is not between 1 and 65536");

	/* Wrong types. */
	EINVAL_("{'dns':[]}", "dns: expected an object, got an array");
	EINVAL_("{'dns':true}", "dns: expected an object, got a boolean");
	EINVAL_("{'dns':null}", "dns: expected an object, got null");
	EINVAL_("{'dns':{'min_ttl':'60'}}",
		"dns.min_ttl: expected an integer, got a string");
	EINVAL_("{'dns':{'max_ttl':60.5}}",
		"dns.max_ttl: expected an integer, got a real number");
	EINVAL_("{'dns':{'max_learned':true}}",
		"dns.max_learned: expected an integer, got a boolean");
	EINVAL_("{'dns':{'min_ttl':null}}",
		"dns.min_ttl: expected an integer, got null");
	EINVAL_("{'dns':{'rebinding_protection':'off'}}",
		"dns.rebinding_protection: expected a boolean, got a string");
	EINVAL_("{'dns':{'rebinding_protection':0}}",
		"dns.rebinding_protection: expected a boolean, got an integer");

	/* Unknown members, named. */
	EINVAL_("{'dns':{'ttl':60}}",
		"dns.ttl: unknown key; dns takes min_ttl, max_ttl, "
		"max_learned and rebinding_protection");
	EINVAL_("{'dns':{'min_ttl':60,'allow_rebinding':true}}",
		"dns.allow_rebinding: unknown key; dns takes min_ttl, "
		"max_ttl, max_learned and rebinding_protection");

	/* max_ttl below min_ttl, given or its default. */
	EINVAL_("{'dns':{'min_ttl':300,'max_ttl':299}}",
		"dns.max_ttl: 299 is below min_ttl (300)");
	EINVAL_("{'dns':{'max_ttl':299,'min_ttl':300}}",
		"dns.max_ttl: 299 is below min_ttl (300)");
	EINVAL_("{'dns':{'max_ttl':59}}",
		"dns.max_ttl: 59 is below min_ttl (60, its default)");
	/* The default max_ttl (86400) is never below a valid min_ttl. */
	assert_compiles("{'dns':{'min_ttl':86400}}",
			"{'mode':'allow-all','dns':{'min_ttl':86400}}");
}

static void test_native_modes(void **state)
{
	(void)state;
	assert_compiles("{'mode':'allow-all'}", "{'mode':'allow-all'}");
	assert_compiles("{'mode':'deny-all'}", "{'mode':'deny-all'}");
	assert_compiles("{'mode':'allow-all','default':'allow'}",
			"{'mode':'allow-all'}");
	assert_compiles("{'mode':'custom'}",
			"{'mode':'custom','default':'deny'}");
	assert_compiles("{'mode':'custom','default':'allow','rules':[]}",
			"{'mode':'custom','default':'allow'}");
	/* No mode: the default decides, and nothing given allows all. */
	assert_compiles("{}", "{'mode':'allow-all'}");
	assert_compiles("{'default':'deny'}", "{'mode':'deny-all'}");
}

static void test_native_rule_defaults(void **state)
{
	(void)state;
	/* No destinations, protocols or ports: any; egress is left out. */
	assert_compiles("{'mode':'custom','rules':[{'action':'deny',"
			"'direction':'egress'},{'action':'allow','direction':"
			"'ingress'}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny'},{'action':'allow','direction':'ingress'}]}");
	/* Every preset, in the canonical order whatever the given one. */
	assert_compiles("{'mode':'custom','rules':[{'action':'deny',"
			"'destinations':['public','multicast','link-local',"
			"'metadata','loopback','private','any']}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['any','private','loopback',"
			"'metadata','link-local','multicast','public']}]}");
	/* Every protocol; a port rule with "any" protocol is TCP+UDP. */
	assert_compiles("{'mode':'custom','rules':[{'action':'allow',"
			"'protocols':['icmpv6','icmp','udp','tcp','udp']},"
			"{'action':'allow','ports':['53']}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','protocols':['tcp','udp','icmp','icmpv6']},"
			"{'action':'allow','ports':['53']}]}");
}

static void test_native_singular_keys(void **state)
{
	(void)state;
	assert_compiles("{'mode':'custom','rules':[{'action':'allow',"
			"'port':443,'protocol':'tcp','destination':"
			"'10.0.0.0/8'},{'action':'deny','ports':[22,'8000-8080'"
			"],'destinations':'metadata'}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','protocols':['tcp'],'ports':['443'],"
			"'destinations':['10.0.0.0/8']},{'action':'deny',"
			"'ports':['22','8000-8080'],'destinations':["
			"'metadata']}]}");
}

static void test_normalisation(void **state)
{
	(void)state;
	assert_compiles("{'mode':'custom','rules':[{'action':'allow',"
			"'destinations':['API.Example.COM.','*.Foo.Example',"
			"'10.1.2.3','2001:DB8:0:0:0:0:0:1','::ffff:0:0/96',"
			"'0.0.0.0/0','::/0','fe80::/10']}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['10.1.2.3/32','0.0.0.0/0',"
			"'2001:db8::1/128','::ffff:0.0.0.0/96','::/0',"
			"'fe80::/10','api.example.com','*.foo.example']}]}");
	/* A range of one port is a port. */
	assert_compiles("{'mode':'custom','rules':[{'action':'allow','ports':"
			"['80-80','1-65535']}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','ports':['80','1-65535']}]}");
}

/* sandbox0 */

static void test_sandbox0_block_all(void **state)
{
	(void)state;
	assert_compiles("{'mode':'block-all','egress':{'allowed_domains':["
			"'github.com','pypi.org','api.openai.com'],"
			"'denied_domains':[],'allowed_cidrs':[],"
			"'denied_cidrs':[],'allowed_ports':[],"
			"'denied_ports':[]}}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['github.com','pypi.org',"
			"'api.openai.com']}]}");
	/* allowed_ports restrict what the other allowed lists allow. */
	assert_compiles("{'mode':'block-all','egress':{'allowed_domains':["
			"'github.com'],'allowed_cidrs':['10.0.0.0/8'],"
			"'allowed_ports':[443,'8000-9000']}}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','protocols':['tcp','udp'],'ports':['443',"
			"'8000-9000'],'destinations':['10.0.0.0/8',"
			"'github.com']}]}");
	/* Alone, to any destination. */
	assert_compiles("{'mode':'block-all','egress':{'allowed_ports':["
			"'443']}}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','protocols':['tcp','udp'],'ports':['443']}]}");
	assert_compiles("{'mode':'block-all'}", "{'mode':'deny-all'}");
	assert_compiles("{'mode':'block-all','egress':{}}",
			"{'mode':'deny-all'}");
}

static void test_sandbox0_allow_all(void **state)
{
	(void)state;
	assert_compiles("{'mode':'allow-all','egress':{'allowed_domains':[],"
			"'denied_domains':['facebook.com','twitter.com'],"
			"'allowed_cidrs':[],'denied_cidrs':['169.254.0.0/16'],"
			"'allowed_ports':[],'denied_ports':[25,'6660-6669']}}",
			"{'mode':'custom','default':'allow','rules':[{'action':"
			"'deny','destinations':['169.254.0.0/16',"
			"'facebook.com','twitter.com']},{'action':'deny',"
			"'protocols':['tcp','udp'],'ports':['25',"
			"'6660-6669']}]}");
	/* Six empty lists change nothing. */
	assert_compiles("{'mode':'allow-all','egress':{'allowed_domains':[],"
			"'denied_domains':[],'allowed_cidrs':[],"
			"'denied_cidrs':[],'allowed_ports':[],"
			"'denied_ports':[]}}",
			"{'mode':'allow-all'}");
}

static void test_sandbox0_flat(void **state)
{
	(void)state;
	assert_compiles("{'mode':'block-all','allowed_domains':['pypi.org'],"
			"'allowed_cidrs':['192.168.1.0/24']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['192.168.1.0/24',"
			"'pypi.org']}]}");
	/* Without a mode, an allow list means everything else is denied. */
	assert_compiles("{'allowed_domains':['pypi.org']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['pypi.org']}]}");
	assert_compiles("{'denied_cidrs':['10.0.0.0/8']}",
			"{'mode':'custom','default':'allow','rules':[{'action':"
			"'deny','destinations':['10.0.0.0/8']}]}");
}

/* leap0 */

static void test_leap0(void **state)
{
	(void)state;
	assert_compiles("{'mode':'custom','allow_domains':['api.openai.com',"
			"'pypi.org'],'allow_cidrs':['10.0.0.0/24']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['10.0.0.0/24',"
			"'api.openai.com','pypi.org']}]}");
	assert_compiles("{'mode':'allow-all'}", "{'mode':'allow-all'}");
	assert_compiles("{'mode':'deny-all'}", "{'mode':'deny-all'}");
	assert_compiles("{'mode':'custom'}",
			"{'mode':'custom','default':'deny'}");
}

/* declaw */

static void test_declaw(void **state)
{
	(void)state;
	assert_compiles("{'allow_out':['api.github.com','*.google.com',"
			"'10.0.0.0/8','2606:4700::/32','1.1.1.1']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['10.0.0.0/8','1.1.1.1/32',"
			"'2606:4700::/32','api.github.com','*.google.com']}]}");
	assert_compiles("{'allow_out':[]}", "{'mode':'allow-all'}");
}

/* Vercel Sandbox */

static void test_vercel(void **state)
{
	(void)state;
	/* Denied CIDRs take precedence over allowed CIDRs and domains. */
	assert_compiles("{'mode':'user-defined','allowed_domains':["
			"'*.vercel.app','registry.npmjs.org'],'allowed_cidrs':"
			"['10.0.0.0/8'],'denied_cidrs':['10.1.0.0/16']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['10.1.0.0/16']},{'action':"
			"'allow','destinations':['10.0.0.0/8','*.vercel.app',"
			"'registry.npmjs.org']}]}");
	assert_compiles("{'mode':'deny-all'}", "{'mode':'deny-all'}");
}

/* microsandbox */

static void test_microsandbox(void **state)
{
	(void)state;
	assert_compiles("{'defaultAction':'deny','rules':[{'action':'allow',"
			"'destination':'private','direction':'outbound',"
			"'port':'443','protocol':'tcp'},{'action':'allow',"
			"'protocol':'icmpv4'},{'action':'allow','direction':"
			"'inbound','port':'8080'}],'blockDomains':["
			"'evil.com'],'blockDomainSuffixes':['tracker.net']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['evil.com','*.tracker.net']},"
			"{'action':'allow','protocols':['tcp'],'ports':['443'],"
			"'destinations':['private']},{'action':'allow',"
			"'protocols':['icmp']},{'action':'allow','direction':"
			"'ingress','ports':['8080']}]}");
	/* defaultAction is allow when not given, as in microsandbox. */
	assert_compiles("{'rules':[{'action':'deny','destination':"
			"'metadata'}]}",
			"{'mode':'custom','default':'allow','rules':[{'action':"
			"'deny','destinations':['metadata']}]}");
	/* Suffixes with or without "*." or ".", any case. */
	assert_compiles("{'blockDomainSuffixes':['a.com','.b.com','*.C.com']}",
			"{'mode':'custom','default':'allow','rules':[{'action':"
			"'deny','destinations':['*.a.com','*.b.com',"
			"'*.c.com']}]}");
}

static void test_microsandbox_presets(void **state)
{
	(void)state;
	assert_compiles("{'policy':'allow-all'}", "{'mode':'allow-all'}");
	assert_compiles("{'policy':'none'}", "{'mode':'deny-all'}");
	assert_compiles("{'policy':'public-only'}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'allow','destinations':['public']}]}");
	assert_compiles("{'policy':'public-only','defaultAction':'deny',"
			"'rules':[{'action':'deny','destination':'1.2.3.4'}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['1.2.3.4/32']},{'action':"
			"'allow','destinations':['public']}]}");
	assert_compiles("{'policy':'allow-all','blockDomains':['x.org']}",
			"{'mode':'custom','default':'allow','rules':[{'action':"
			"'deny','destinations':['x.org']}]}");
}

/* Every stage at once: deny lists, rules, allow lists, default. */
static void test_precedence(void **state)
{
	(void)state;
	assert_compiles("{'allow_out':['ok.example.com'],'rules':[{'action':"
			"'allow','destinations':['private']}],'denied_ports':"
			"[25],'mode':'custom','denied_cidrs':['10.9.0.0/16'],"
			"'blockDomains':['bad.example.com']}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['10.9.0.0/16',"
			"'bad.example.com']},{'action':'deny','protocols':["
			"'tcp','udp'],'ports':['25']},{'action':'allow',"
			"'destinations':['private']},{'action':'allow',"
			"'destinations':['ok.example.com']}]}");
}

/* Refusals */

static void test_bad_mode(void **state)
{
	(void)state;
	EINVAL_("{'mode':'block'}", "mode: \"block\" is not one of allow-all, "
				    "deny-all, block-all, custom");
	EINVAL_("{'mode':3}", "mode: expected a string, got an integer");
	EINVAL_("{'policy':'publicOnly'}", "policy: \"publicOnly\" is not one "
					   "of allow-all, none, public-only");
	EINVAL_("{'default':'Deny'}",
		"default: \"Deny\" is not one of allow, deny");
	EINVAL_("{'defaultAction':null}",
		"defaultAction: expected a string, got null");
	EINVAL_("{'mode':'custom','policy':'none'}",
		"policy: give either mode or policy, not both");
	EINVAL_("{'default':'deny','defaultAction':'deny'}",
		"defaultAction: give either default or defaultAction, not "
		"both");
	EINVAL_("{'mode':'allow-all','default':'deny'}",
		"default: \"deny\" contradicts mode \"allow-all\"");
	EINVAL_("{'mode':'block-all','defaultAction':'allow'}",
		"defaultAction: \"allow\" contradicts mode \"block-all\"");
	EINVAL_("{'policy':'public-only','defaultAction':'allow'}",
		"defaultAction: \"allow\" contradicts policy \"public-only\"");
}

static void test_bad_ports(void **state)
{
	(void)state;
	EINVAL_("{'rules':[{'action':'allow'},{'action':'allow'},{'action':"
		"'allow'},{'action':'allow','ports':['70000']}]}",
		"rules[3].ports[0]: \"70000\" is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','ports':['0']}]}",
		"rules[0].ports[0]: \"0\" is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','port':0}]}",
		"rules[0].port: 0 is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','ports':[80,70000]}]}",
		"rules[0].ports[1]: 70000 is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','ports':['8000-7000']}]}",
		"rules[0].ports[0]: \"8000-7000\" is not a port range "
		"(first-last, 1-65535, first <= last)");
	EINVAL_("{'rules':[{'action':'allow','ports':['1-']}]}",
		"rules[0].ports[0]: \"1-\" is not a port range (first-last, "
		"1-65535, first <= last)");
	EINVAL_("{'rules':[{'action':'allow','ports':['https']}]}",
		"rules[0].ports[0]: \"https\" is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','ports':[' 80']}]}",
		"rules[0].ports[0]: \" 80\" is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','ports':[80.5]}]}",
		"rules[0].ports[0]: expected a port (a string or an "
		"integer), got a real number");
	EINVAL_("{'mode':'block-all','egress':{'allowed_ports':['99999']}}",
		"egress.allowed_ports[0]: \"99999\" is not a port (1-65535)");
	EINVAL_("{'rules':[{'action':'allow','protocols':['tcp','icmp'],"
		"'ports':['80']}]}",
		"rules[0]: a rule with ports can match only tcp and udp");
}

static void test_too_many_ports(void **state)
{
	char text[2048];
	size_t o;
	int i;

	(void)state;
	o = snprintf(text, sizeof(text),
		     "{'rules':[{'action':'allow',"
		     "'ports':[");
	for (i = 1; i <= 65; i++)
		o += snprintf(text + o, sizeof(text) - o, "%s%d",
			      i > 1 ? "," : "", i);
	snprintf(text + o, sizeof(text) - o, "]}]}");
	assert_refused(text, -E2BIG,
		       "rules[0].ports[64]: more than 64 port ranges; a rule "
		       "has at most 64");
}

static void test_bad_cidrs(void **state)
{
	(void)state;
	EINVAL_("{'egress':{'allowed_cidrs':['1.1.1.1','2.2.2.2',"
		"'10.0.0.300/8']}}",
		"egress.allowed_cidrs[2]: \"10.0.0.300/8\" is not a CIDR");
	EINVAL_("{'denied_cidrs':['10.0.0.0/33']}",
		"denied_cidrs[0]: \"10.0.0.0/33\" is not a CIDR");
	EINVAL_("{'denied_cidrs':['10.0.0.0/']}",
		"denied_cidrs[0]: \"10.0.0.0/\" is not a CIDR");
	EINVAL_("{'denied_cidrs':['2001:db8::/129']}",
		"denied_cidrs[0]: \"2001:db8::/129\" is not a CIDR");
	EINVAL_("{'denied_cidrs':['fe80::1%eth0']}",
		"denied_cidrs[0]: \"fe80::1%eth0\" is not a CIDR");
	EINVAL_("{'denied_cidrs':['example.com']}",
		"denied_cidrs[0]: \"example.com\" is not a CIDR");
	EINVAL_("{'rules':[{'action':'deny','destinations':['10.0.0']}]}",
		"rules[0].destinations[0]: \"10.0.0\" is not a CIDR");
	EINVAL_("{'denied_cidrs':[10]}",
		"denied_cidrs[0]: expected a string, got an integer");
}

static void test_host_bits(void **state)
{
	(void)state;
	EINVAL_("{'allowed_cidrs':['10.0.0.1/8']}",
		"allowed_cidrs[0]: \"10.0.0.1/8\": host bits set, did you "
		"mean 10.0.0.0/8?");
	EINVAL_("{'allow_out':['2001:db8::1/32']}",
		"allow_out[0]: \"2001:db8::1/32\": host bits set, did you "
		"mean 2001:db8::/32?");
	EINVAL_("{'rules':[{'action':'deny','destination':'192.168.1.1/0'}]}",
		"rules[0].destination: \"192.168.1.1/0\": host bits set, did "
		"you mean 0.0.0.0/0?");
}

static void test_bad_domains(void **state)
{
	struct sbxfw_policy_spec spec;
	char *text, *name;
	char expected[SBXFW_POLICY_ERR_MAX];
	size_t i;

	(void)state;
	EINVAL_("{'allowed_domains':['*.*.com']}",
		"allowed_domains[0]: \"*.*.com\" is not a domain pattern: '*' "
		"is allowed only as a whole first label (\"*.example.com\")");
	EINVAL_("{'allowed_domains':['ok.com','-a.com']}",
		"allowed_domains[1]: \"-a.com\" is not a domain pattern: a "
		"label starts with '-'");
	EINVAL_("{'allow_domains':['a..com']}",
		"allow_domains[0]: \"a..com\" is not a domain pattern: empty "
		"label");
	EINVAL_("{'blockDomains':['localhost']}",
		"blockDomains[0]: \"localhost\" is not a domain pattern: a "
		"single label; a domain has at least two (\"example.com\")");
	EINVAL_("{'blockDomainSuffixes':['com']}",
		"blockDomainSuffixes[0]: \"com\" is not a domain pattern: a "
		"single label; a domain has at least two (\"example.com\")");
	EINVAL_("{'allowed_domains':['10.0.0.1']}",
		"allowed_domains[0]: \"10.0.0.1\" is not a domain pattern: it "
		"is an address; list it with the CIDRs");
	EINVAL_("{'allow_out':['under_score.com']}",
		"allow_out[0]: \"under_score.com\" is not a domain pattern: "
		"only a-z, 0-9, '-' and '.' are allowed");
	EINVAL_("{'allow_out':['']}",
		"allow_out[0]: \"\" is not a domain pattern: empty");

	/* 254 bytes: quoted in the message up to 64 bytes. */
	name = malloc(255);
	assert_non_null(name);
	memset(name, 'a', 254);
	for (i = 63; i < 250; i += 64)
		name[i] = '.';
	memcpy(name + 250, ".com", 4);
	name[254] = '\0';
	assert_int_equal(asprintf(&text, "{'allowed_domains':['%s']}", name),
			 (int)strlen(name) + 24);
	snprintf(expected, sizeof(expected),
		 "allowed_domains[0]: \"%.64s...\" is not a domain pattern: "
		 "longer than 253 bytes",
		 name);
	EINVAL_(text, expected);
	free(text);
	/* With a final dot, 254 bytes are the 253 of the name. */
	name[253] = '.';
	memcpy(name + 249, ".com", 4);
	assert_int_equal(asprintf(&text, "{'allowed_domains':['%s']}", name),
			 (int)strlen(name) + 24);
	spec_from_text(text, &spec);
	assert_int_equal(strlen(spec.rules[0].domains[0]), 253);
	sbxfw_spec_release(&spec);
	free(text);
	free(name);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	EINVAL_("{'mode':'custom','frobnicate':1}", "frobnicate: unknown key");
	EINVAL_("{'egress':{'allowed_domains':[],'allow_domains':[]}}",
		"egress.allow_domains: unknown key");
	EINVAL_("{'rules':[{'action':'allow','comment':'x'}]}",
		"rules[0].comment: unknown key");
	EINVAL_("{'rules':[{'action':'allow','dest':'any'}]}",
		"rules[0].dest: unknown key");
	/* Keys are shown printable. */
	EINVAL_("{'a\\nb':1}", "a?b: unknown key");
}

static void test_unsupported(void **state)
{
	(void)state;
	EINVAL_("{'mode':'custom','allow_domains':['api.openai.com'],"
		"'transforms':[{'domain':'api.openai.com','inject_headers':"
		"{'Authorization':'Bearer x'}}]}",
		"transforms: not supported: sbxfw filters packets and does "
		"not terminate TLS, so it cannot inject or strip headers; "
		"list the domains in allow_domains");
	EINVAL_("{'dnsRebindProtection':1}",
		"dnsRebindProtection: expected a boolean, got an integer");
	EINVAL_("{'maxConnections':10}",
		"maxConnections: not supported: sbxfw does not limit the "
		"number of connections");
	EINVAL_("{'tls':{'bypass':['*.x.com']}}",
		"tls: not supported: sbxfw does not intercept TLS");
}

static void test_no_effect(void **state)
{
	(void)state;
	EINVAL_("{'mode':'allow-all','egress':{'allowed_domains':['a.com']}}",
		"egress.allowed_domains: has no effect in allow-all mode, "
		"where everything not denied is allowed");
	EINVAL_("{'mode':'allow-all','allow_out':['a.com']}",
		"allow_out: has no effect in allow-all mode, where everything "
		"not denied is allowed");
	EINVAL_("{'mode':'allow-all','allowed_ports':[443]}",
		"allowed_ports: has no effect in allow-all mode, where "
		"everything not denied is allowed");
	EINVAL_("{'mode':'block-all','egress':{'allowed_cidrs':['10.0.0.0/8'"
		"],'denied_cidrs':['10.1.0.0/16']}}",
		"egress.denied_cidrs: has no effect in block-all mode, where "
		"everything not allowed is denied");
	EINVAL_("{'mode':'deny-all','denied_ports':[22]}",
		"denied_ports: has no effect in deny-all mode, where "
		"everything not allowed is denied");
	EINVAL_("{'policy':'none','blockDomains':['a.com']}",
		"blockDomains: has no effect with policy none, where "
		"everything not allowed is denied");
	EINVAL_("{'policy':'allow-all','allow_domains':['a.com']}",
		"allow_domains: has no effect with policy allow-all, where "
		"everything not denied is allowed");
	EINVAL_("{'defaultAction':'allow','allowed_domains':['a.com']}",
		"allowed_domains: has no effect when the default is allow, "
		"where everything not denied is allowed");
	EINVAL_("{'mode':'custom','denied_domains':['a.com']}",
		"denied_domains: has no effect when the default is deny and "
		"nothing is allowed");
	/* A deny list before an explicit allow rule does have an effect. */
	assert_compiles("{'mode':'custom','denied_domains':['a.com'],'rules':"
			"[{'action':'allow'}]}",
			"{'mode':'custom','default':'deny','rules':[{'action':"
			"'deny','destinations':['a.com']},{'action':"
			"'allow'}]}");
}

static void test_wrong_types(void **state)
{
	(void)state;
	EINVAL_("['mode']", "expected a JSON object, got an array");
	EINVAL_("{'rules':{}}", "rules: expected an array, got an object");
	EINVAL_("{'rules':['allow']}",
		"rules[0]: expected an object, got a string");
	EINVAL_("{'egress':[]}", "egress: expected an object, got an array");
	EINVAL_("{'allowed_domains':'a.com'}",
		"allowed_domains: expected an array, got a string");
	EINVAL_("{'allowed_domains':[true]}",
		"allowed_domains[0]: expected a string, got a boolean");
	EINVAL_("{'rules':[{'action':'allow','destinations':[1]}]}",
		"rules[0].destinations[0]: expected a string, got an integer");
	EINVAL_("{'rules':[{'action':'allow','destinations':{}}]}",
		"rules[0].destinations: expected a destination or an array "
		"of them, got an object");
	EINVAL_("{'rules':[{'action':'allow','ports':true}]}",
		"rules[0].ports: expected a port or an array of them, got a "
		"boolean");
	EINVAL_("{'rules':[{'action':'allow','protocols':[6]}]}",
		"rules[0].protocols[0]: expected a string, got an integer");
	EINVAL_("{'rules':[{'action':'allow','protocols':['sctp']}]}",
		"rules[0].protocols[0]: \"sctp\" is not one of tcp, udp, "
		"icmp, icmpv6");
	EINVAL_("{'rules':[{'action':'allow','direction':'both'}]}",
		"rules[0].direction: \"both\" is not one of egress, ingress, "
		"outbound, inbound");
	EINVAL_("{'rules':[{'action':'accept'}]}",
		"rules[0].action: \"accept\" is not one of allow, deny");
	EINVAL_("{'rules':[{'direction':'egress'}]}",
		"rules[0]: no action (allow or deny)");
}

static void test_rule_fields_given_twice(void **state)
{
	(void)state;
	EINVAL_("{'rules':[{'action':'allow','port':'80','ports':['81']}]}",
		"rules[0].ports: give either port or ports, not both");
	EINVAL_("{'rules':[{'action':'allow','protocols':['tcp'],'protocol':"
		"'udp'}]}",
		"rules[0].protocol: give either protocol or protocols, not "
		"both");
	EINVAL_("{'rules':[{'action':'allow','destination':'any',"
		"'destinations':['any']}]}",
		"rules[0].destinations: give either destination or "
		"destinations, not both");
	/* An empty list would silently mean "any": refused. */
	EINVAL_("{'rules':[{'action':'allow','destinations':[]}]}",
		"rules[0].destinations: empty; leave the key out to match "
		"any destination");
	EINVAL_("{'rules':[{'action':'allow','ports':[]}]}",
		"rules[0].ports: empty; leave the key out to match any port");
}

static char *many_rules(int n, const char *extra)
{
	size_t len = 64 + n * 20 + strlen(extra), o;
	char *s = malloc(len);
	int i;

	assert_non_null(s);
	o = snprintf(s, len, "{%s'mode':'custom','rules':[", extra);
	for (i = 0; i < n; i++)
		o += snprintf(s + o, len - o, "%s{'action':'allow'}",
			      i ? "," : "");
	snprintf(s + o, len - o, "]}");
	return s;
}

static void test_too_many_rules(void **state)
{
	struct sbxfw_policy_spec spec;
	char *text;

	(void)state;
	text = many_rules(256, "");
	spec_from_text(text, &spec);
	assert_int_equal(spec.nrules, 256);
	sbxfw_spec_release(&spec);
	free(text);

	text = many_rules(257, "");
	assert_refused(text, -E2BIG,
		       "rules: 257 rules; a policy has at most "
		       "256");
	free(text);

	text = many_rules(255, "'blockDomains':['a.com'],'denied_ports':[1],");
	assert_refused(text, -E2BIG,
		       "the policy compiles to 257 rules (255 in rules, 2 "
		       "from the lists); a policy has at most 256");
	free(text);
}

/* sbxfw_spec_check() is the last line: limits no key knows about. */
static void test_too_many_domains(void **state)
{
	size_t len = 32 + 16 * 16385, o;
	char *text = malloc(len);
	int i;

	(void)state;
	assert_non_null(text);
	o = snprintf(text, len, "{'allow_out':[");
	for (i = 0; i < 16385; i++)
		o += snprintf(text + o, len - o, "%s'd%d.com'", i ? "," : "",
			      i);
	snprintf(text + o, len - o, "]}");
	assert_refused(text, -E2BIG, "a policy has at most 16384 domains");
	free(text);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	EINVAL_("{'mode':'custom',\n 'rules':[}",
		"line 2 column 11: unexpected token near '}'");
	EINVAL_("{'mode':'custom','mode':'deny-all'}",
		"line 1 column 23: duplicate object key near "
		"'\"mode\"'");
	EINVAL_("", "line 1 column 0: '[' or '{' expected near end of file");
}

/* Failures leave no spec, no leak, no crash, whatever they hit. */
static void test_refused_midway(void **state)
{
	(void)state;
	EINVAL_("{'blockDomains':['a.com','b.com'],'allowed_cidrs':["
		"'10.0.0.0/8'],'rules':[{'action':'allow','destinations':["
		"'x.com','10.0.0.0/8','private']},{'action':'nope'}]}",
		"rules[1].action: \"nope\" is not one of allow, deny");
	EINVAL_("{'blockDomains':['a.com'],'allowed_cidrs':['10.0.0.0/8'],"
		"'mode':'allow-all'}",
		"allowed_cidrs: has no effect in allow-all mode, where "
		"everything not denied is allowed");
}

static void test_load_file(void **state)
{
	char err[SBXFW_POLICY_ERR_MAX];
	struct sbxfw_policy_spec spec;
	const char *text = "{\"mode\":\"deny-all\"}\n";
	FILE *f;

	(void)state;
	f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	assert_int_equal(sbxfw_policy_load(f, &spec, err, sizeof(err)), 0);
	assert_int_equal(spec.mode, SBXFW_MODE_DENY_ALL);
	assert_int_equal(spec.default_action, SBXFW_ACTION_DENY);
	fclose(f);

	f = fmemopen((void *)"{} x", 4, "r");
	assert_non_null(f);
	assert_int_equal(sbxfw_policy_load(f, &spec, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "line 1 column 4: end of file expected near "
				 "'x'");
	fclose(f);
}

/* Big, varied specs: spec -> JSON -> spec is the identity. */
static void test_round_trip_large(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = SBXFW_MODE_CUSTOM };
	struct sbxfw_policy_spec back;
	struct sbxfw_rule_spec *r;
	struct sbxfw_cidr4 c4;
	struct sbxfw_cidr6 c6;
	char err[SBXFW_POLICY_ERR_MAX], name[32], *text;
	json_t *root;
	uint32_t i, k;

	(void)state;
	for (k = 0; k < 8; k++) {
		r = sbxfw_spec_add_rule(&spec);
		assert_non_null(r);
		r->action = k % 2;
		r->direction = k % 3 == 2;
		r->protocols = k < 4 ? 0 : k % 4; /* TCP, UDP or both */
		r->presets = k * 17 & SBXFW_PRESET_F_ALL;
		for (i = 0; i < 1000 * k; i++) {
			memset(&c4, 0, sizeof(c4));
			c4.prefix = 8 + i % 24;
			c4.addr = htonl(((i * 2654435761U) ^ k) &
					~(0xffffffffU >> c4.prefix));
			assert_int_equal(sbxfw_rule_add_cidrs4(r, &c4, 1), 0);
			memset(&c6, 0, sizeof(c6));
			c6.prefix = 32 + i % 97;
			c6.addr[0] = 0x20;
			c6.addr[1] = i;
			c6.addr[2] = i >> 8;
			c6.addr[3] = k;
			assert_int_equal(sbxfw_rule_add_cidrs6(r, &c6, 1), 0);
		}
		/* Ingress rules cannot name domains. */
		for (i = 0; !r->direction && i < 50 * k; i++) {
			snprintf(name, sizeof(name), "%sh%u.k%u.example",
				 i % 3 ? "" : "*.", i, k);
			assert_int_equal(sbxfw_rule_add_domain(r, name,
							       strlen(name)),
					 0);
		}
		if (k != 3 && k != 7) {
			struct sbxfw_port_range p = { 1 + k, 1000 + k };

			assert_int_equal(sbxfw_rule_add_ports(r, &p, 1), 0);
		}
	}
	assert_int_equal(sbxfw_policy_to_json(&spec, &root), 0);
	text = json_dumps(root, JSON_INDENT(2));
	assert_non_null(text);
	json_decref(root);
	assert_int_equal(sbxfw_policy_parse(text, strlen(text), &back, err,
					    sizeof(err)),
			 0);
	assert_spec_equal(&spec, &back);
	free(text);
	sbxfw_spec_release(&back);
	sbxfw_spec_release(&spec);
}

/* Each product's shape, printed and parsed again, stays the same. */
static void test_round_trip_shapes(void **state)
{
	static const char *const shapes[] = {
		"{'mode':'block-all','egress':{'allowed_domains':['a.io'],"
		"'allowed_ports':[443]}}",
		"{'mode':'allow-all','egress':{'denied_cidrs':['fd00::/8'],"
		"'denied_ports':['1-1023']}}",
		"{'mode':'custom','allow_domains':['a.io'],'allow_cidrs':["
		"'10.0.0.0/24']}",
		"{'allow_out':['*.a.io','2001:db8::/48']}",
		"{'mode':'user-defined','allowed_domains':['*.a.io'],"
		"'denied_cidrs':['10.0.0.0/8']}",
		"{'defaultAction':'deny','rules':[{'action':'allow','protocol':"
		"'icmpv6','direction':'inbound'}],'blockDomainSuffixes':["
		"'x.io']}",
		"{'policy':'public-only'}",
		"{'mode':'custom','inside_devices':['tap0'],'dns':{'min_ttl':"
		"10,'max_ttl':20,'max_learned':30,'rebinding_protection':"
		"false},'rules':[{'action':'allow','destination':'a.io'}]}",
	};
	struct sbxfw_policy_spec spec;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		spec_from_text(shapes[i], &spec);
		text = canonical(&spec);
		assert_compiles(text, text);
		free(text);
		sbxfw_spec_release(&spec);
	}
}

static void test_to_json_refuses_bad_spec(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = 9 };
	json_t *root = (json_t *)&spec;

	(void)state;
	assert_int_equal(sbxfw_policy_to_json(&spec, &root), -EINVAL);
	assert_null(root);
	spec.mode = SBXFW_MODE_ALLOW_ALL;
	spec.default_action = 0;
	assert_int_equal(sbxfw_policy_to_json(&spec, &root), 0);
	json_decref(root);
}

static void test_summary(void **state)
{
	struct sbxfw_policy_spec spec;
	char buf[160];

	(void)state;
	spec_from_text("{'mode':'custom','rules':[{'action':'deny',"
		       "'destinations':['10.0.0.0/8','a.com']},{'action':"
		       "'allow','destinations':['192.168.0.0/16']},{'action':"
		       "'allow'}]}",
		       &spec);
	sbxfw_policy_summary(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "custom, default deny, 3 rules, 2 IPv4 "
				 "CIDRs, 0 IPv6 CIDRs, 1 domain");
	sbxfw_spec_release(&spec);

	spec_from_text("{'allow_out':['::1','a.com','b.com']}", &spec);
	sbxfw_policy_summary(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "custom, default deny, 1 rule, 0 IPv4 "
				 "CIDRs, 1 IPv6 CIDR, 2 domains");
	sbxfw_spec_release(&spec);

	spec.mode = 7;
	spec.default_action = 5;
	sbxfw_policy_summary(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "mode 7, default 5, 0 rules, 0 IPv4 CIDRs, "
				 "0 IPv6 CIDRs, 0 domains");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sbxfw_mode_name(SBXFW_MODE_ALLOW_ALL), "allow-all");
	assert_string_equal(sbxfw_mode_name(SBXFW_MODE_DENY_ALL), "deny-all");
	assert_string_equal(sbxfw_mode_name(SBXFW_MODE_CUSTOM), "custom");
	assert_null(sbxfw_mode_name(SBXFW_MODE_MAX + 1));
	assert_string_equal(sbxfw_action_name(SBXFW_ACTION_ALLOW), "allow");
	assert_string_equal(sbxfw_action_name(SBXFW_ACTION_DENY), "deny");
	assert_null(sbxfw_action_name(SBXFW_ACTION_MAX + 1));
}

/*
 * Every byte of a document that uses every key, replaced in turn: each
 * result compiles or is refused with a message, and nothing leaks.
 */
static void test_mutations(void **state)
{
	static const char replacements[] = "\"'{}[],:0-./*aZ \\";
	char *doc = json("{'mode':'custom','default':'deny','rules':[{"
			 "'action':'allow','direction':'ingress','protocols':["
			 "'tcp'],'ports':['80','1-9'],'destinations':['any',"
			 "'10.0.0.0/8','::1','*.a.io']}],'egress':{"
			 "'allowed_ports':[1]},'denied_cidrs':['1.2.3.4'],"
			 "'allow_out':['b.io'],'blockDomainSuffixes':['c.io'],"
			 "'dns':{'min_ttl':10,'max_ttl':20,'max_learned':30,"
			 "'rebinding_protection':false}}");
	char err[SBXFW_POLICY_ERR_MAX];
	struct sbxfw_policy_spec spec;
	size_t len = strlen(doc), i, j;
	char saved;
	int ret;

	(void)state;
	for (i = 0; i < len; i++) {
		saved = doc[i];
		for (j = 0; j < sizeof(replacements) - 1; j++) {
			doc[i] = replacements[j];
			err[0] = '\0';
			ret = sbxfw_policy_parse(doc, len, &spec, err,
						 sizeof(err));
			if (ret) {
				assert_true(ret == -EINVAL || ret == -E2BIG);
				assert_true(strlen(err) > 0);
				assert_null(spec.rules);
			}
			sbxfw_spec_release(&spec);
		}
		doc[i] = saved;
	}
	free(doc);
}

const struct CMUnitTest policy_json_tests[] = {
	cmocka_unit_test(test_native_full),
	cmocka_unit_test(test_native_modes),
	cmocka_unit_test(test_inside_devices),
	cmocka_unit_test(test_dns_options),
	cmocka_unit_test(test_dns_in_every_shape),
	cmocka_unit_test(test_dns_refused),
	cmocka_unit_test(test_native_rule_defaults),
	cmocka_unit_test(test_native_singular_keys),
	cmocka_unit_test(test_normalisation),
	cmocka_unit_test(test_sandbox0_block_all),
	cmocka_unit_test(test_sandbox0_allow_all),
	cmocka_unit_test(test_sandbox0_flat),
	cmocka_unit_test(test_leap0),
	cmocka_unit_test(test_declaw),
	cmocka_unit_test(test_vercel),
	cmocka_unit_test(test_microsandbox),
	cmocka_unit_test(test_microsandbox_presets),
	cmocka_unit_test(test_precedence),
	cmocka_unit_test(test_bad_mode),
	cmocka_unit_test(test_bad_ports),
	cmocka_unit_test(test_too_many_ports),
	cmocka_unit_test(test_bad_cidrs),
	cmocka_unit_test(test_host_bits),
	cmocka_unit_test(test_bad_domains),
	cmocka_unit_test(test_unknown_keys),
	cmocka_unit_test(test_unsupported),
	cmocka_unit_test(test_no_effect),
	cmocka_unit_test(test_wrong_types),
	cmocka_unit_test(test_rule_fields_given_twice),
	cmocka_unit_test(test_too_many_rules),
	cmocka_unit_test(test_too_many_domains),
	cmocka_unit_test(test_syntax_errors),
	cmocka_unit_test(test_refused_midway),
	cmocka_unit_test(test_load_file),
	cmocka_unit_test(test_round_trip_large),
	cmocka_unit_test(test_round_trip_shapes),
	cmocka_unit_test(test_to_json_refuses_bad_spec),
	cmocka_unit_test(test_summary),
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_mutations),
};
const size_t n_policy_json_tests = ARRAY_SIZE(policy_json_tests);
