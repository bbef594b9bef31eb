// SPDX-License-Identifier: GPL-2.0
/*
 * The policy over netlink, without a kernel: specs encoded into the parts
 * of a POLICY_SET transaction and decoded back (up to 200,000 CIDRs in
 * dozens of parts), the shape of every part as the module reads it,
 * POLICY_GET dumps built as the module sends them, malformed replies,
 * POLICY_LIST lines and network namespace files.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libsbxfw.h"
#include "policy.h"
#include "tests.h"

#define FAMILY 0x1d

static const struct sbxfw_netns ns_fd = { .by_pid = false, .id = 7 };

static void encode(const struct sbxfw_policy_spec *spec, const uint64_t *expect,
		   size_t part_max, struct sbxfw_msgs *parts)
{
	const char *why = NULL;

	assert_int_equal(sbxfw_policy_encode(spec, &ns_fd, expect, FAMILY,
					     part_max, parts, &why),
			 0);
	assert_null(why);
	assert_true(parts->n >= 1);
}

/* Decodes @parts as the module would assemble them. */
static void decode(const struct sbxfw_msgs *parts,
		   struct sbxfw_policy_spec *spec)
{
	struct sbxfw_policy_decoder d;
	size_t i;

	sbxfw_policy_decoder_init(&d, spec);
	for (i = 0; i < parts->n; i++) {
		if (sbxfw_policy_decode(&d, nlmsg_hdr(parts->msgs[i])))
			fail_msg("part %zu: %s", i, d.why);
	}
	if (sbxfw_policy_decode_end(&d))
		fail_msg("end: %s", d.why);
}

static void assert_round_trip(const struct sbxfw_policy_spec *spec,
			      size_t part_max, size_t *nparts)
{
	struct sbxfw_policy_spec back;
	struct sbxfw_msgs parts;

	encode(spec, NULL, part_max, &parts);
	decode(&parts, &back);
	assert_spec_equal(spec, &back);
	if (nparts)
		*nparts = parts.n;
	sbxfw_spec_release(&back);
	sbxfw_msgs_free(&parts);
}

/* What one part holds, read the way the module reads it. */
struct part {
	bool has_fd, has_pid, has_generation, has_mode, has_default;
	bool has_dns, dns_rebinding;
	uint32_t dns_min_ttl, dns_max_ttl, dns_max_learned;
	uint32_t fd, pid, flags;
	uint64_t generation;
	uint32_t nrules;
	uint32_t index[SBXFW_MAX_RULES + 1];
	bool head[SBXFW_MAX_RULES + 1]; /* action, protocols, ... */
	uint32_t cidrs, domains;
	size_t len;
};

static void read_part(struct nl_msg *msg, struct part *p)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[SBXFW_A_MAX + 1], *a, *b;
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	int rem, rem2;

	memset(p, 0, sizeof(*p));
	p->len = nlh->nlmsg_len;
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(gnlh->cmd, SBXFW_CMD_POLICY_SET);
	assert_int_equal(gnlh->version, SBXFW_GENL_VERSION);
	assert_int_equal(genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, NULL), 0);

	if (tb[SBXFW_A_NETNS_FD]) {
		p->has_fd = true;
		p->fd = nla_get_u32(tb[SBXFW_A_NETNS_FD]);
	}
	if (tb[SBXFW_A_NETNS_PID]) {
		p->has_pid = true;
		p->pid = nla_get_u32(tb[SBXFW_A_NETNS_PID]);
	}
	assert_non_null(tb[SBXFW_A_SET_FLAGS]);
	p->flags = nla_get_u32(tb[SBXFW_A_SET_FLAGS]);
	if (tb[SBXFW_A_GENERATION]) {
		p->has_generation = true;
		p->generation = nla_get_u64(tb[SBXFW_A_GENERATION]);
	}
	assert_non_null(tb[SBXFW_A_POLICY]);
	/* The module's strict validation wants NLA_F_NESTED on nests. */
	assert_true(tb[SBXFW_A_POLICY]->nla_type & NLA_F_NESTED);
	assert_true(nla_len(tb[SBXFW_A_POLICY]) <= 0xffff);

	nla_for_each_nested(a, tb[SBXFW_A_POLICY], rem) {
		switch (nla_type(a)) {
		case SBXFW_POLICY_A_MODE:
			p->has_mode = true;
			break;
		case SBXFW_POLICY_A_DEFAULT:
			p->has_default = true;
			break;
		case SBXFW_POLICY_A_DNS:
			assert_false(p->has_dns);
			assert_true(a->nla_type & NLA_F_NESTED);
			p->has_dns = true;
			nla_for_each_nested(b, a, rem2) {
				switch (nla_type(b)) {
				case SBXFW_DNS_A_MIN_TTL:
					p->dns_min_ttl = nla_get_u32(b);
					break;
				case SBXFW_DNS_A_MAX_TTL:
					p->dns_max_ttl = nla_get_u32(b);
					break;
				case SBXFW_DNS_A_MAX_LEARNED:
					p->dns_max_learned = nla_get_u32(b);
					break;
				case SBXFW_DNS_A_ALLOW_REBINDING:
					assert_int_equal(nla_len(b), 0);
					p->dns_rebinding = true;
					break;
				default:
					fail_msg("unexpected dns attribute %d",
						 nla_type(b));
				}
			}
			break;
		case SBXFW_POLICY_A_RULE:
			assert_true(a->nla_type & NLA_F_NESTED);
			assert_true(p->nrules <= SBXFW_MAX_RULES);
			nla_for_each_nested(b, a, rem2) {
				switch (nla_type(b)) {
				case SBXFW_RULE_A_INDEX:
					p->index[p->nrules] = nla_get_u32(b);
					break;
				case SBXFW_RULE_A_ACTION:
				case SBXFW_RULE_A_DIRECTION:
				case SBXFW_RULE_A_PROTOCOLS:
				case SBXFW_RULE_A_PRESETS:
				case SBXFW_RULE_A_PORTS:
					p->head[p->nrules] = true;
					break;
				case SBXFW_RULE_A_CIDRS4:
					p->cidrs += nla_len(b) /
						    sizeof(struct sbxfw_cidr4);
					break;
				case SBXFW_RULE_A_CIDRS6:
					p->cidrs += nla_len(b) /
						    sizeof(struct sbxfw_cidr6);
					break;
				case SBXFW_RULE_A_DOMAIN:
					p->domains++;
					break;
				default:
					fail_msg("unexpected rule attribute %d",
						 nla_type(b));
				}
			}
			p->nrules++;
			break;
		default:
			fail_msg("unexpected policy attribute %d", nla_type(a));
		}
	}
}

static void add_cidrs4(struct sbxfw_rule_spec *r, uint32_t n, uint32_t seed)
{
	struct sbxfw_cidr4 c = { .prefix = 32 };
	uint32_t i;

	for (i = 0; i < n; i++) {
		c.addr = htonl(seed + i);
		assert_int_equal(sbxfw_rule_add_cidrs4(r, &c, 1), 0);
	}
}

static void add_cidrs6(struct sbxfw_rule_spec *r, uint32_t n, uint32_t seed)
{
	struct sbxfw_cidr6 c = { .prefix = 128 };
	uint32_t i, v;

	c.addr[0] = 0x20;
	c.addr[1] = 0x01;
	for (i = 0; i < n; i++) {
		v = seed + i;
		memcpy(c.addr + 12, &v, 4);
		assert_int_equal(sbxfw_rule_add_cidrs6(r, &c, 1), 0);
	}
}

static void add_domains(struct sbxfw_rule_spec *r, uint32_t n, uint32_t seed)
{
	char name[64];
	uint32_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%sname-%u.example.com",
			 i % 2 ? "*." : "", seed + i);
		assert_int_equal(sbxfw_rule_add_domain(r, name, strlen(name)),
				 0);
	}
}

static void test_encode_one_part(void **state)
{
	struct sbxfw_policy_spec spec;
	struct sbxfw_msgs parts;
	struct part p;
	uint64_t expect = 41;

	(void)state;
	spec_from_text("{'mode':'custom','rules':[{'action':'allow','ports':["
		       "'443'],'destinations':['private','10.0.0.0/8',"
		       "'::1','a.example.com']},{'action':'deny'}]}",
		       &spec);
	encode(&spec, NULL, SBXFW_SET_PART_MAX, &parts);
	assert_int_equal(parts.n, 1);
	read_part(parts.msgs[0], &p);
	assert_true(p.has_fd);
	assert_int_equal(p.fd, 7);
	assert_false(p.has_pid);
	assert_int_equal(p.flags, 0);
	assert_false(p.has_generation);
	assert_true(p.has_mode && p.has_default);
	assert_int_equal(p.nrules, 2);
	assert_int_equal(p.index[0], 0);
	assert_int_equal(p.index[1], 1);
	assert_true(p.head[0] && p.head[1]);
	assert_int_equal(p.cidrs, 2);
	assert_int_equal(p.domains, 1);
	sbxfw_msgs_free(&parts);

	/* The expected generation, and a pid instead of an fd. */
	{
		const struct sbxfw_netns ns_pid = { .by_pid = true, .id = 99 };
		const char *why;

		assert_int_equal(sbxfw_policy_encode(&spec, &ns_pid, &expect,
						     FAMILY, SBXFW_SET_PART_MAX,
						     &parts, &why),
				 0);
	}
	read_part(parts.msgs[0], &p);
	assert_false(p.has_fd);
	assert_true(p.has_pid);
	assert_int_equal(p.pid, 99);
	assert_true(p.has_generation);
	assert_int_equal(p.generation, 41);
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);
}

static void test_round_trip_small(void **state)
{
	static const char *const texts[] = {
		"{'mode':'allow-all'}",
		"{'mode':'deny-all'}",
		"{'mode':'custom','default':'allow'}",
		"{'mode':'custom','inside_devices':['tap0','br-vm']}",
		"{'mode':'deny-all','dns':{'min_ttl':1}}",
		"{'mode':'custom','dns':{'max_ttl':604800}}",
		"{'mode':'custom','dns':{'max_learned':65536}}",
		"{'mode':'allow-all','dns':{'rebinding_protection':false}}",
		"{'mode':'custom','inside_devices':['tap0'],'dns':{'min_ttl':"
		"86400,'max_ttl':86400,'max_learned':1,"
		"'rebinding_protection':false},'rules':[{'action':'allow',"
		"'destinations':['*.example.org']}]}",
		"{'mode':'custom','rules':[{'action':'allow','direction':"
		"'ingress','protocols':['icmp','icmpv6']},{'action':'deny',"
		"'ports':['1-1023','8080'],'protocols':['udp'],"
		"'destinations':['public','metadata','fd00::/8',"
		"'*.example.org']}]}",
	};
	struct sbxfw_policy_spec spec;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		spec_from_text(texts[i], &spec);
		assert_round_trip(&spec, SBXFW_SET_PART_MAX, &n);
		assert_int_equal(n, 1);
		sbxfw_spec_release(&spec);
	}
}

/* The dns options: in the first part, only those not at their default. */
static void test_encode_dns(void **state)
{
	struct sbxfw_policy_spec spec, back;
	struct sbxfw_rule_spec *r;
	struct sbxfw_msgs parts;
	struct part p;
	size_t i;

	(void)state;
	/* All at their default: no nest at all. */
	spec_from_text("{'mode':'custom','dns':{'rebinding_protection':true}}",
		       &spec);
	encode(&spec, NULL, SBXFW_SET_PART_MAX, &parts);
	read_part(parts.msgs[0], &p);
	assert_false(p.has_dns);
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);

	/* One member: the nest holds it alone. */
	spec_from_text("{'mode':'custom','dns':{'max_learned':77}}", &spec);
	encode(&spec, NULL, SBXFW_SET_PART_MAX, &parts);
	read_part(parts.msgs[0], &p);
	assert_true(p.has_dns);
	assert_int_equal(p.dns_min_ttl, 0);
	assert_int_equal(p.dns_max_ttl, 0);
	assert_int_equal(p.dns_max_learned, 77);
	assert_false(p.dns_rebinding);
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);

	/* All of them, over many parts: only the first carries them. */
	spec_from_text("{'mode':'custom','dns':{'min_ttl':5,'max_ttl':600,"
		       "'max_learned':300,'rebinding_protection':false}}",
		       &spec);
	r = sbxfw_spec_add_rule(&spec);
	assert_non_null(r);
	add_cidrs4(r, 3000, 0x0a000000);
	add_domains(r, 100, 0);
	encode(&spec, NULL, 1024, &parts);
	assert_true(parts.n > 5);
	for (i = 0; i < parts.n; i++) {
		read_part(parts.msgs[i], &p);
		assert_int_equal(p.has_dns, i == 0);
	}
	read_part(parts.msgs[0], &p);
	assert_int_equal(p.dns_min_ttl, 5);
	assert_int_equal(p.dns_max_ttl, 600);
	assert_int_equal(p.dns_max_learned, 300);
	assert_true(p.dns_rebinding);
	decode(&parts, &back);
	assert_spec_equal(&spec, &back);
	sbxfw_spec_release(&back);
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);
}

/*
 * 200,000 CIDRs and 3,000 domains over four rules: dozens of parts, each
 * within SBXFW_SET_PART_MAX, shaped as the module requires.
 */
static void test_round_trip_200k(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = SBXFW_MODE_CUSTOM };
	struct sbxfw_policy_spec back;
	struct sbxfw_rule_spec *r;
	struct sbxfw_msgs parts;
	uint32_t cidrs = 0, domains = 0, next = 0;
	struct part *p;
	size_t i;
	uint32_t k;

	(void)state;
	for (k = 0; k < 4; k++) {
		r = sbxfw_spec_add_rule(&spec);
		assert_non_null(r);
		r->action = k == 3 ? SBXFW_ACTION_DENY : SBXFW_ACTION_ALLOW;
	}
	add_cidrs4(&spec.rules[0], 120000, 0x0a000000);
	add_cidrs6(&spec.rules[0], 30000, 1);
	add_domains(&spec.rules[1], 3000, 0);
	add_cidrs6(&spec.rules[2], 50000, 7);
	add_domains(&spec.rules[2], 10, 5000);

	encode(&spec, NULL, SBXFW_SET_PART_MAX, &parts);
	assert_true(parts.n > 30);
	p = malloc(sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < parts.n; i++) {
		read_part(parts.msgs[i], p);
		assert_true(p->len <= SBXFW_SET_PART_MAX);
		assert_true(p->has_fd);
		assert_int_equal(p->has_mode, i == 0);
		assert_int_equal(p->has_default, i == 0);
		assert_false(p->has_generation);
		assert_int_equal(p->flags,
				 (i ? SBXFW_SET_F_CONTINUE : 0) |
					 (i + 1 < parts.n ? SBXFW_SET_F_MORE :
							    0));
		if (i == 0) {
			/* Every rule once, in order, with its fields. */
			assert_int_equal(p->nrules, 4);
			for (k = 0; k < 4; k++) {
				assert_int_equal(p->index[k], k);
				assert_true(p->head[k]);
			}
		} else {
			/* Only index and data; rules never go back. */
			assert_true(p->nrules >= 1);
			for (k = 0; k < p->nrules; k++) {
				assert_false(p->head[k]);
				assert_true(p->index[k] >= next);
				next = p->index[k];
			}
		}
		cidrs += p->cidrs;
		domains += p->domains;
	}
	free(p);
	assert_int_equal(cidrs, 200000);
	assert_int_equal(domains, 3010);

	decode(&parts, &back);
	assert_spec_equal(&spec, &back);
	sbxfw_spec_release(&back);
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);
}

/* Small parts: every boundary case between CIDRs and domains. */
static void test_round_trip_small_parts(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = SBXFW_MODE_CUSTOM };
	struct sbxfw_rule_spec *r;
	char longest[SBXFW_MAX_DOMAIN_LEN + 1];
	size_t n, max;
	uint32_t k;

	(void)state;
	for (k = 0; k < 20; k++) {
		r = sbxfw_spec_add_rule(&spec);
		assert_non_null(r);
		r->action = k % 2;
		add_cidrs4(r, k * 37, k << 24);
		add_cidrs6(r, k * 11, k);
		add_domains(r, k * 5, k * 100);
	}
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	for (k = 63; k < SBXFW_MAX_DOMAIN_LEN - 4; k += 64)
		longest[k] = '.';
	memcpy(longest + SBXFW_MAX_DOMAIN_LEN - 4, ".com", 4);
	assert_true(sbxfw_domain_valid(longest, strlen(longest)));
	assert_int_equal(sbxfw_rule_add_domain(&spec.rules[19], longest,
					       strlen(longest)),
			 0);

	for (max = 1024; max <= 8192; max += 509) {
		assert_round_trip(&spec, max, &n);
		assert_true(n > 1);
	}
	/* Below the minimum the minimum applies. */
	assert_round_trip(&spec, 10, NULL);
	sbxfw_spec_release(&spec);
}

static void test_encode_refuses(void **state)
{
	struct sbxfw_policy_spec spec = { .mode = SBXFW_MODE_ALLOW_ALL };
	struct sbxfw_port_range ports[SBXFW_MAX_PORT_RANGES];
	struct sbxfw_rule_spec *r;
	struct sbxfw_msgs parts;
	const char *why = NULL;
	int i;

	(void)state;
	assert_non_null(sbxfw_spec_add_rule(&spec));
	assert_int_equal(sbxfw_policy_encode(&spec, &ns_fd, NULL, FAMILY,
					     SBXFW_SET_PART_MAX, &parts, &why),
			 -EINVAL);
	assert_string_equal(why, "only a custom policy has rules");
	assert_int_equal(parts.n, 0);
	sbxfw_spec_release(&spec);

	/* What sbxfw_spec_check() refuses in the dns options. */
	spec.mode = SBXFW_MODE_ALLOW_ALL;
	spec.dns.max_ttl = 59;
	assert_int_equal(sbxfw_policy_encode(&spec, &ns_fd, NULL, FAMILY,
					     SBXFW_SET_PART_MAX, &parts, &why),
			 -EINVAL);
	assert_string_equal(why,
			    "dns max_ttl is below min_ttl (60 unless set)");
	assert_int_equal(parts.n, 0);
	spec.dns.max_ttl = 0;
	spec.dns.max_learned = 65537;
	assert_int_equal(sbxfw_policy_encode(&spec, &ns_fd, NULL, FAMILY,
					     SBXFW_SET_PART_MAX, &parts, &why),
			 -E2BIG);
	assert_string_equal(why, "dns max_learned is at most 65536");
	assert_int_equal(parts.n, 0);
	spec.dns.max_learned = 0;

	/* The largest rules' fields overflow the 16-bit policy nest. */
	for (i = 0; i < SBXFW_MAX_PORT_RANGES; i++) {
		ports[i].first = 2 * i + 1;
		ports[i].last = 2 * i + 1;
	}
	spec.mode = SBXFW_MODE_CUSTOM;
	for (i = 0; i < SBXFW_MAX_RULES; i++) {
		r = sbxfw_spec_add_rule(&spec);
		assert_non_null(r);
		assert_int_equal(sbxfw_rule_add_ports(r, ports,
						      SBXFW_MAX_PORT_RANGES),
				 0);
	}
	assert_int_equal(sbxfw_policy_encode(&spec, &ns_fd, NULL, FAMILY,
					     SBXFW_SET_PART_MAX, &parts, &why),
			 -E2BIG);
	assert_string_equal(why, "the rules' own fields (actions, protocols, "
				 "presets, ports) do not fit in one netlink "
				 "message");
	assert_int_equal(parts.n, 0);
	/* 256 rules of 51 port ranges fit (docs/policy.md), of 52 not. */
	for (i = 0; i < SBXFW_MAX_RULES; i++)
		spec.rules[i].nports = 52;
	assert_int_equal(sbxfw_policy_encode(&spec, &ns_fd, NULL, FAMILY,
					     SBXFW_SET_PART_MAX, &parts, &why),
			 -E2BIG);
	for (i = 0; i < SBXFW_MAX_RULES; i++)
		spec.rules[i].nports = 51;
	assert_round_trip(&spec, SBXFW_SET_PART_MAX, NULL);
	/* So they do beside 8 inside devices and every dns option. */
	for (i = 0; i < SBXFW_MAX_INSIDE_DEVS; i++) {
		char name[SBXFW_IFNAMSIZ];

		snprintf(name, sizeof(name), "tap-fifteen-%03d", i);
		assert_int_equal(
			sbxfw_spec_add_inside(&spec, name, strlen(name)), 0);
	}
	spec.dns.min_ttl = 1;
	spec.dns.max_ttl = 2;
	spec.dns.max_learned = 3;
	spec.dns.allow_rebinding = true;
	assert_round_trip(&spec, SBXFW_SET_PART_MAX, NULL);
	sbxfw_spec_release(&spec);
}

/* Dump messages as the module sends them */

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 4242, 3, FAMILY, 0, NLM_F_MULTI,
				    SBXFW_CMD_POLICY_GET, 1));
	return msg;
}

/* GENERATION behind a PAD, and POLICY{MODE, DEFAULT}, nests unflagged. */
static struct nl_msg *dump_header(uint64_t generation, uint8_t mode,
				  uint8_t dflt)
{
	struct nl_msg *msg = dump_msg();
	struct nlattr *nest;

	assert_int_equal(nla_put(msg, SBXFW_A_PAD, 0, NULL), 0);
	assert_int_equal(nla_put_u64(msg, SBXFW_A_GENERATION, generation), 0);
	nest = nla_nest_start(msg, SBXFW_A_POLICY);
	assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_MODE, mode), 0);
	assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_DEFAULT, dflt), 0);
	nla_nest_end(msg, nest);
	return msg;
}

struct dump_rule {
	uint32_t index;
	bool head;
	uint8_t action;
	uint32_t presets;
	const struct sbxfw_cidr4 *c4;
	uint32_t n4;
	const char *domain;
	uint32_t extra_attr; /* an attribute type this tool does not know */
};

static struct nl_msg *dump_rule(const struct dump_rule *d)
{
	struct nl_msg *msg = dump_msg();
	struct nlattr *policy, *rule;

	policy = nla_nest_start(msg, SBXFW_A_POLICY);
	rule = nla_nest_start(msg, SBXFW_POLICY_A_RULE);
	assert_int_equal(nla_put_u32(msg, SBXFW_RULE_A_INDEX, d->index), 0);
	if (d->head) {
		assert_int_equal(
			nla_put_u8(msg, SBXFW_RULE_A_ACTION, d->action), 0);
		assert_int_equal(nla_put_u8(msg, SBXFW_RULE_A_DIRECTION, 0), 0);
		assert_int_equal(nla_put_u32(msg, SBXFW_RULE_A_PROTOCOLS, 0),
				 0);
		assert_int_equal(
			nla_put_u32(msg, SBXFW_RULE_A_PRESETS, d->presets), 0);
	}
	if (d->n4)
		assert_int_equal(nla_put(msg, SBXFW_RULE_A_CIDRS4,
					 d->n4 * sizeof(*d->c4), d->c4),
				 0);
	if (d->domain)
		assert_int_equal(
			nla_put_string(msg, SBXFW_RULE_A_DOMAIN, d->domain), 0);
	if (d->extra_attr)
		assert_int_equal(nla_put_u32(msg, d->extra_attr, 1), 0);
	nla_nest_end(msg, rule);
	nla_nest_end(msg, policy);
	return msg;
}

/*
 * A dump's first message with SBXFW_POLICY_A_DNS holding @len bytes of
 * attributes @attrs (built by dns_attrs()), after mode and default.
 */
static struct nl_msg *dump_header_dns(uint8_t mode, const void *attrs,
				      size_t len)
{
	struct nl_msg *msg = dump_msg();
	struct nlattr *nest;

	assert_int_equal(nla_put_u64(msg, SBXFW_A_GENERATION, 3), 0);
	nest = nla_nest_start(msg, SBXFW_A_POLICY);
	assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_MODE, mode), 0);
	assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_DEFAULT, 0), 0);
	assert_int_equal(
		nla_put(msg, SBXFW_POLICY_A_DNS | NLA_F_NESTED, len, attrs), 0);
	nla_nest_end(msg, nest);
	return msg;
}

/* Attributes appended to @buf at *@len: type, payload of @plen bytes. */
static void dns_attr(uint8_t *buf, size_t *len, uint16_t type,
		     const void *payload, uint16_t plen)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + plen;
	memset(buf + *len + NLA_HDRLEN, 0, NLA_ALIGN(plen));
	if (plen)
		memcpy(buf + *len + NLA_HDRLEN, payload, plen);
	*len += NLA_ALIGN(a->nla_len);
}

static void dns_u32(uint8_t *buf, size_t *len, uint16_t type, uint32_t v)
{
	dns_attr(buf, len, type, &v, sizeof(v));
}

/* Feeds @msgs (freed) and returns what the decoder made of them. */
static int decode_msgs(struct nl_msg **msgs, size_t n,
		       struct sbxfw_policy_spec *spec, const char **why)
{
	struct sbxfw_policy_decoder d;
	size_t i;
	int err = 0;

	sbxfw_policy_decoder_init(&d, spec);
	for (i = 0; i < n; i++) {
		if (!err)
			err = sbxfw_policy_decode(&d, nlmsg_hdr(msgs[i]));
		nlmsg_free(msgs[i]);
	}
	if (err)
		sbxfw_spec_release(spec);
	else
		err = sbxfw_policy_decode_end(&d);
	*why = d.why;
	return err;
}

static void test_decode_dump(void **state)
{
	struct sbxfw_cidr4 c[3] = {
		{ .addr = htonl(0x0a000000), .prefix = 8 },
		{ .addr = htonl(0xc0a80000), .prefix = 16 },
		{ .addr = htonl(0x01010101), .prefix = 32 },
	};
	struct nl_msg *msgs[] = {
		dump_header(12, SBXFW_MODE_CUSTOM, SBXFW_ACTION_DENY),
		dump_rule(&(struct dump_rule){ .index = 0,
					       .head = true,
					       .c4 = c,
					       .n4 = 2,
					       .extra_attr = 77 }),
		dump_rule(&(struct dump_rule){
			.index = 0, .c4 = c + 2, .n4 = 1, .domain = "a.b.c" }),
		dump_rule(&(struct dump_rule){
			.index = 1,
			.head = true,
			.action = SBXFW_ACTION_DENY,
			.presets = SBXFW_PRESET_F_METADATA }),
	};
	struct sbxfw_policy_spec spec;
	const char *why;

	(void)state;
	assert_int_equal(decode_msgs(msgs, ARRAY_SIZE(msgs), &spec, &why), 0);
	assert_int_equal(spec.mode, SBXFW_MODE_CUSTOM);
	assert_int_equal(spec.default_action, SBXFW_ACTION_DENY);
	assert_int_equal(spec.nrules, 2);
	assert_int_equal(spec.rules[0].ncidrs4, 3);
	assert_memory_equal(spec.rules[0].cidrs4, c, sizeof(c));
	assert_int_equal(spec.rules[0].ndomains, 1);
	assert_string_equal(spec.rules[0].domains[0], "a.b.c");
	assert_int_equal(spec.rules[1].action, SBXFW_ACTION_DENY);
	assert_int_equal(spec.rules[1].presets, SBXFW_PRESET_F_METADATA);
	sbxfw_spec_release(&spec);
}

static void assert_decode_refused(struct nl_msg **msgs, size_t n, int err,
				  const char *why)
{
	struct sbxfw_policy_spec spec;
	const char *reason;

	assert_int_equal(decode_msgs(msgs, n, &spec, &reason), err);
	assert_string_equal(reason, why);
	assert_int_equal(spec.nrules, 0);
	assert_null(spec.rules);
	assert_int_equal(spec.dns.min_ttl, 0);
	assert_int_equal(spec.dns.max_ttl, 0);
	assert_int_equal(spec.dns.max_learned, 0);
	assert_false(spec.dns.allow_rebinding);
}

/* The dns options in the first message of a dump, as the module sends. */
static void test_decode_dns(void **state)
{
	struct sbxfw_policy_spec spec;
	struct nl_msg *m[2];
	const char *why;
	uint8_t buf[128];
	size_t len = 0;

	(void)state;
	dns_u32(buf, &len, SBXFW_DNS_A_MIN_TTL, 30);
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 604800);
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_LEARNED, 65536);
	dns_attr(buf, &len, SBXFW_DNS_A_ALLOW_REBINDING, NULL, 0);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	m[1] = dump_rule(&(struct dump_rule){ .index = 0, .head = true });
	assert_int_equal(decode_msgs(m, 2, &spec, &why), 0);
	assert_int_equal(spec.dns.min_ttl, 30);
	assert_int_equal(spec.dns.max_ttl, 604800);
	assert_int_equal(spec.dns.max_learned, 65536);
	assert_true(spec.dns.allow_rebinding);
	assert_int_equal(spec.nrules, 1);
	sbxfw_spec_release(&spec);

	/* Members left out keep their default; unknown ones are skipped. */
	len = 0;
	dns_u32(buf, &len, 99, 0);
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 60);
	dns_attr(buf, &len, 100, "xyz", 3);
	m[0] = dump_header_dns(SBXFW_MODE_DENY_ALL, buf, len);
	assert_int_equal(decode_msgs(m, 1, &spec, &why), 0);
	assert_int_equal(spec.dns.min_ttl, 0);
	assert_int_equal(spec.dns.max_ttl, 60);
	assert_int_equal(spec.dns.max_learned, 0);
	assert_false(spec.dns.allow_rebinding);
	sbxfw_spec_release(&spec);

	/* An empty nest (only members this tool does not know): defaults. */
	m[0] = dump_header_dns(SBXFW_MODE_ALLOW_ALL, buf, 0);
	assert_int_equal(decode_msgs(m, 1, &spec, &why), 0);
	assert_int_equal(spec.dns.max_ttl, 0);
	sbxfw_spec_release(&spec);
}

/* A hostile module's dns options. */
static void test_decode_refuses_dns(void **state)
{
	static const struct {
		uint16_t type;
		uint32_t value;
	} out_of_range[] = {
		{ SBXFW_DNS_A_MIN_TTL, 0 },
		{ SBXFW_DNS_A_MIN_TTL, 86401 },
		{ SBXFW_DNS_A_MAX_TTL, 0 },
		{ SBXFW_DNS_A_MAX_TTL, 604801 },
		{ SBXFW_DNS_A_MAX_LEARNED, 0 },
		{ SBXFW_DNS_A_MAX_LEARNED, 65537 },
		{ SBXFW_DNS_A_MAX_LEARNED, 0xffffffff },
	};
	static const uint64_t wide = 60;
	struct nlattr *policy, *nest;
	struct nl_msg *m[2];
	uint8_t buf[128];
	size_t len, i;

	(void)state;
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(out_of_range); i++) {
		len = 0;
		dns_u32(buf, &len, out_of_range[i].type, out_of_range[i].value);
		m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
		assert_decode_refused(m, 1, -EBADMSG,
				      "a dns option is out of range");
	}

	/* Sizes: a u64, a u16, a flag with a payload. */
	len = 0;
	dns_attr(buf, &len, SBXFW_DNS_A_MIN_TTL, &wide, sizeof(wide));
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG,
			      "a dns option has the wrong size");
	len = 0;
	dns_attr(buf, &len, SBXFW_DNS_A_MAX_LEARNED, "\x01\x00", 2);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG,
			      "a dns option has the wrong size");
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_ALLOW_REBINDING, 1);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG,
			      "a dns option has the wrong size");

	/* A member twice, even with the same value. */
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 600);
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 600);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG, "a dns option is repeated");
	len = 0;
	dns_attr(buf, &len, SBXFW_DNS_A_ALLOW_REBINDING, NULL, 0);
	dns_attr(buf, &len, SBXFW_DNS_A_ALLOW_REBINDING, NULL, 0);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG, "a dns option is repeated");

	/* Bytes in the nest that are no whole attribute. */
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 600);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len + 2);
	assert_decode_refused(m, 1, -EBADMSG,
			      "the dns options are not a nest of attributes");

	/* What sbxfw_spec_check() refuses: max_ttl below min_ttl. */
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_MIN_TTL, 600);
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 599);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG,
			      "dns max_ttl is below min_ttl (60 unless set)");
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 59);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	assert_decode_refused(m, 1, -EBADMSG,
			      "dns max_ttl is below min_ttl (60 unless set)");

	/* Two nests in the first message. */
	len = 0;
	dns_u32(buf, &len, SBXFW_DNS_A_MAX_TTL, 600);
	m[0] = dump_header_dns(SBXFW_MODE_CUSTOM, buf, len);
	policy = nlmsg_find_attr(nlmsg_hdr(m[0]), GENL_HDRLEN, SBXFW_A_POLICY);
	assert_non_null(policy);
	assert_int_equal(nla_put(m[0], SBXFW_POLICY_A_DNS, len, buf), 0);
	policy->nla_len = (char *)nlmsg_tail(nlmsg_hdr(m[0])) - (char *)policy;
	assert_decode_refused(m, 1, -EBADMSG, "the dns options are repeated");

	/* A nest after the first message: first part only. */
	m[0] = dump_header(3, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_msg();
	policy = nla_nest_start(m[1], SBXFW_A_POLICY);
	nest = nla_nest_start(m[1], SBXFW_POLICY_A_DNS);
	assert_int_equal(nla_put_u32(m[1], SBXFW_DNS_A_MAX_TTL, 600), 0);
	nla_nest_end(m[1], nest);
	nla_nest_end(m[1], policy);
	assert_decode_refused(m, 2, -EBADMSG,
			      "the dns options come after the first message");
}

static void test_decode_refuses_order(void **state)
{
	struct nl_msg *m[3];

	(void)state;
	m[0] = dump_rule(&(struct dump_rule){ .index = 0, .head = true });
	assert_decode_refused(m, 1, -EBADMSG, "rules come before the mode");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_rule(&(struct dump_rule){ .index = 1, .head = true });
	assert_decode_refused(m, 2, -EBADMSG, "a rule's index skips ahead");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_rule(&(struct dump_rule){ .index = 0 });
	assert_decode_refused(m, 2, -EBADMSG,
			      "a rule's first appearance has no action");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_rule(&(struct dump_rule){ .index = 0, .head = true });
	m[2] = dump_rule(
		&(struct dump_rule){ .index = 0, .head = true, .action = 1 });
	assert_decode_refused(m, 3, -EBADMSG,
			      "a rule's fields change between messages");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_header(2, SBXFW_MODE_CUSTOM, 0);
	assert_decode_refused(m, 2, -EBADMSG,
			      "the generation changes between messages");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_header(1, SBXFW_MODE_DENY_ALL, 0);
	assert_decode_refused(m, 2, -EBADMSG,
			      "the mode changes between messages");
}

static void test_decode_refuses_content(void **state)
{
	struct sbxfw_cidr4 host = { .addr = htonl(0x0a000001), .prefix = 8 };
	struct nlattr *policy, *rule;
	struct nl_msg *m[2];

	(void)state;
	m[0] = dump_msg();
	assert_decode_refused(m, 1, -EBADMSG, "no mode (SBXFW_POLICY_A_MODE)");
	assert_decode_refused(m, 0, -ENODATA, "no policy");

	/* What sbxfw_spec_check() refuses is refused from the module too. */
	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_rule(&(struct dump_rule){
		.index = 0, .head = true, .c4 = &host, .n4 = 1 });
	assert_decode_refused(m, 2, -EBADMSG, "an IPv4 CIDR has host bits set");

	m[0] = dump_header(1, SBXFW_MODE_ALLOW_ALL, 0);
	m[1] = dump_rule(&(struct dump_rule){ .index = 0, .head = true });
	assert_decode_refused(m, 2, -EBADMSG, "only a custom policy has rules");

	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_rule(&(struct dump_rule){
		.index = 0, .head = true, .domain = "Bad.Example" });
	assert_decode_refused(m, 2, -EBADMSG,
			      "a domain pattern is not lower-case labels of "
			      "a-z, 0-9 and '-', at least two, optionally "
			      "after \"*.\"");

	/* CIDRs of a size that is no multiple of the struct. */
	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_msg();
	policy = nla_nest_start(m[1], SBXFW_A_POLICY);
	rule = nla_nest_start(m[1], SBXFW_POLICY_A_RULE);
	assert_int_equal(nla_put_u8(m[1], SBXFW_RULE_A_ACTION, 0), 0);
	assert_int_equal(nla_put(m[1], SBXFW_RULE_A_CIDRS6, 19,
				 "0123456789"
				 "012345678"),
			 0);
	nla_nest_end(m[1], rule);
	nla_nest_end(m[1], policy);
	assert_decode_refused(m, 2, -EBADMSG, "IPv6 CIDRs of a wrong size");

	/* A domain without its NUL. */
	m[0] = dump_header(1, SBXFW_MODE_CUSTOM, 0);
	m[1] = dump_msg();
	policy = nla_nest_start(m[1], SBXFW_A_POLICY);
	rule = nla_nest_start(m[1], SBXFW_POLICY_A_RULE);
	assert_int_equal(nla_put_u8(m[1], SBXFW_RULE_A_ACTION, 0), 0);
	assert_int_equal(nla_put(m[1], SBXFW_RULE_A_DOMAIN, 5, "a.com"), 0);
	nla_nest_end(m[1], rule);
	nla_nest_end(m[1], policy);
	assert_decode_refused(m, 2, -EBADMSG,
			      "a domain is not a NUL-terminated string");

	/* A mode of the wrong size. */
	m[0] = dump_msg();
	policy = nla_nest_start(m[0], SBXFW_A_POLICY);
	assert_int_equal(nla_put_u32(m[0], SBXFW_POLICY_A_MODE, 2), 0);
	nla_nest_end(m[0], policy);
	assert_decode_refused(m, 1, -EBADMSG, "the mode has the wrong size");

	/* A generation of the wrong size. */
	m[0] = dump_msg();
	assert_int_equal(nla_put_u32(m[0], SBXFW_A_GENERATION, 2), 0);
	assert_decode_refused(m, 1, -EBADMSG,
			      "the generation has the wrong size");

	/* A custom policy without its default. */
	m[0] = dump_msg();
	policy = nla_nest_start(m[0], SBXFW_A_POLICY);
	assert_int_equal(nla_put_u8(m[0], SBXFW_POLICY_A_MODE, 2), 0);
	nla_nest_end(m[0], policy);
	assert_decode_refused(m, 1, -EBADMSG,
			      "no default action (SBXFW_POLICY_A_DEFAULT)");
}

static struct nl_msg *list_msg(bool netns_id, bool generation, bool mode)
{
	struct nl_msg *msg = dump_msg();
	struct nlattr *nest;

	if (netns_id)
		assert_int_equal(
			nla_put_u64(msg, SBXFW_A_NETNS_ID, 4026532290ULL), 0);
	if (generation)
		assert_int_equal(nla_put_u64(msg, SBXFW_A_GENERATION, 4), 0);
	nest = nla_nest_start(msg, SBXFW_A_POLICY);
	if (mode)
		assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_MODE,
					    SBXFW_MODE_CUSTOM),
				 0);
	assert_int_equal(nla_put_u8(msg, SBXFW_POLICY_A_DEFAULT, 1), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_RULES, 3), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_CIDRS4, 2), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_CIDRS6, 5), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_DOMAINS, 1), 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_FLOWS, 7), 0);
	assert_int_equal(nla_put_u64(msg, SBXFW_POLICY_A_FLOWS_REFUSED,
				     5000000000ULL),
			 0);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_N_LEARNED, 42), 0);
	/* nla_put_u64_64bit() may put a PAD before a u64. */
	assert_int_equal(nla_put(msg, SBXFW_POLICY_A_PAD, 0, NULL), 0);
	assert_int_equal(nla_put_u64(msg, SBXFW_POLICY_A_LEARNED_EVICTED,
				     6000000000ULL),
			 0);
	assert_int_equal(nla_put_u32(msg, 99, 1), 0);
	nla_nest_end(msg, nest);
	return msg;
}

static void test_info_parse(void **state)
{
	struct sbxfw_policy_info info;
	struct nlattr *nest, *a;
	struct nl_msg *msg;
	const char *why;
	int rem;

	(void)state;
	msg = list_msg(true, true, true);
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 0);
	assert_null(why);
	assert_true(info.netns_id == 4026532290ULL);
	assert_int_equal(info.generation, 4);
	assert_int_equal(info.mode, SBXFW_MODE_CUSTOM);
	assert_int_equal(info.default_action, SBXFW_ACTION_DENY);
	assert_int_equal(info.rules, 3);
	assert_int_equal(info.cidrs4, 2);
	assert_int_equal(info.cidrs6, 5);
	assert_int_equal(info.domains, 1);
	assert_int_equal(info.flows, 7);
	assert_true(info.flows_refused == 5000000000ULL);
	assert_int_equal(info.learned, 42);
	assert_true(info.learned_evicted == 6000000000ULL);
	nlmsg_free(msg);

	/* A module without learned entries sends neither count. */
	msg = list_msg(true, true, true);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, SBXFW_A_POLICY);
	assert_non_null(nest);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == SBXFW_POLICY_A_N_LEARNED ||
		    nla_type(a) == SBXFW_POLICY_A_LEARNED_EVICTED)
			a->nla_type = 99;
	}
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 0);
	assert_int_equal(info.learned, 0);
	assert_int_equal(info.learned_evicted, 0);
	assert_int_equal(info.flows, 7);
	nlmsg_free(msg);

	/* Counts of the wrong size. */
	msg = list_msg(true, true, true);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, SBXFW_A_POLICY);
	assert_int_equal(nla_put_u32(msg, SBXFW_POLICY_A_LEARNED_EVICTED, 1),
			 0);
	nest->nla_len = (char *)nlmsg_tail(nlmsg_hdr(msg)) - (char *)nest;
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 -EBADMSG);
	assert_string_equal(why, "a count has the wrong size");
	nlmsg_free(msg);
	msg = list_msg(true, true, true);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, SBXFW_A_POLICY);
	assert_int_equal(nla_put_u64(msg, SBXFW_POLICY_A_N_LEARNED, 1), 0);
	nest->nla_len = (char *)nlmsg_tail(nlmsg_hdr(msg)) - (char *)nest;
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 -EBADMSG);
	assert_string_equal(why, "a count has the wrong size");
	nlmsg_free(msg);

	msg = list_msg(false, true, true);
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 -EBADMSG);
	assert_string_equal(why, "no network namespace id (SBXFW_A_NETNS_ID) "
				 "of 8 bytes");
	nlmsg_free(msg);
	msg = list_msg(true, false, true);
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 -EBADMSG);
	assert_string_equal(why,
			    "no generation (SBXFW_A_GENERATION) of 8 bytes");
	nlmsg_free(msg);
	msg = list_msg(true, true, false);
	assert_int_equal(sbxfw_policy_info_parse(nlmsg_hdr(msg), &info, &why),
			 -EBADMSG);
	assert_string_equal(why, "no mode (SBXFW_POLICY_A_MODE)");
	nlmsg_free(msg);
}

static void test_netns_open(void **state)
{
	struct sbxfw_netns ns;

	(void)state;
	assert_int_equal(sbxfw_netns_open("/proc/self/ns/net", &ns), 0);
	assert_false(ns.by_pid);
	sbxfw_netns_close(&ns);
	assert_int_equal(sbxfw_netns_open("/dev/null", &ns), -EINVAL);
	assert_int_equal(sbxfw_netns_open("/proc/self/ns/uts", &ns), -EINVAL);
	assert_int_equal(sbxfw_netns_open("/nonexistent/netns", &ns), -ENOENT);
}

/*
 * Every byte after the netlink header of each part, replaced in turn:
 * the decoder takes it or refuses it, and never reads out of bounds.
 */
static void test_decode_mutations(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x04, 0x7f, 0x80, 0xff };
	struct sbxfw_policy_spec spec, back;
	struct sbxfw_policy_decoder d;
	struct sbxfw_msgs parts;
	struct nlmsghdr *nlh;
	uint8_t *bytes, saved;
	size_t i, j, k;
	int err;

	(void)state;
	spec_from_text("{'mode':'custom','dns':{'min_ttl':10,'max_ttl':20,"
		       "'max_learned':30,'rebinding_protection':false},"
		       "'rules':[{'action':'allow','ports':["
		       "'443'],'destinations':['private','10.0.0.0/8',"
		       "'fd00::/8','a.example.com']},{'action':'deny',"
		       "'protocols':['icmp']}]}",
		       &spec);
	encode(&spec, NULL, SBXFW_SET_PART_MAX, &parts);
	for (k = 0; k < parts.n; k++) {
		nlh = nlmsg_hdr(parts.msgs[k]);
		bytes = (uint8_t *)nlh;
		for (i = NLMSG_HDRLEN; i < nlh->nlmsg_len; i++) {
			saved = bytes[i];
			for (j = 0; j < sizeof(values); j++) {
				bytes[i] = values[j];
				sbxfw_policy_decoder_init(&d, &back);
				err = sbxfw_policy_decode(&d, nlh);
				if (!err)
					err = sbxfw_policy_decode_end(&d);
				else
					sbxfw_spec_release(&back);
				if (err)
					assert_non_null(d.why);
				sbxfw_spec_release(&back);
			}
			bytes[i] = saved;
		}
	}
	sbxfw_msgs_free(&parts);
	sbxfw_spec_release(&spec);
}

const struct CMUnitTest policy_nl_tests[] = {
	cmocka_unit_test(test_encode_one_part),
	cmocka_unit_test(test_encode_dns),
	cmocka_unit_test(test_round_trip_small),
	cmocka_unit_test(test_round_trip_200k),
	cmocka_unit_test(test_round_trip_small_parts),
	cmocka_unit_test(test_encode_refuses),
	cmocka_unit_test(test_decode_dump),
	cmocka_unit_test(test_decode_refuses_order),
	cmocka_unit_test(test_decode_refuses_content),
	cmocka_unit_test(test_decode_dns),
	cmocka_unit_test(test_decode_refuses_dns),
	cmocka_unit_test(test_info_parse),
	cmocka_unit_test(test_netns_open),
	cmocka_unit_test(test_decode_mutations),
};
const size_t n_policy_nl_tests = ARRAY_SIZE(policy_nl_tests);
