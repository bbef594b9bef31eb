// SPDX-License-Identifier: GPL-2.0
/*
 * Policy documents: sbxfw's own JSON and the shapes of the sandbox products
 * it stands in for (sandbox0, leap0, declaw, Vercel Sandbox, microsandbox),
 * read by one parser that knows every key and compiled into one
 * struct sbxfw_policy_spec; and a spec written back in sbxfw's own,
 * canonical shape.
 *
 * Whatever the shape, the rules come out in one order:
 *   1. deny: blockDomains, blockDomainSuffixes, denied_domains and
 *      denied_cidrs as one rule; denied_ports as another;
 *   2. the explicit "rules", in order;
 *   3. allow: allowed_*, allow_* and allow_out as one rule (restricted to
 *      allowed_ports, if given); then "public" for policy "public-only";
 *   4. the default, from mode, default, defaultAction or policy.
 * docs/policy.md is the reference; keep it in step with this file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "libsbxfw.h"
#include "policy.h"

#define PROTO_F_PORTS (SBXFW_PROTO_F_TCP | SBXFW_PROTO_F_UDP)

struct word {
	const char *name;
	uint32_t value;
};

static const struct word protocol_words[] = {
	{ "tcp", SBXFW_PROTO_F_TCP },	  { "udp", SBXFW_PROTO_F_UDP },
	{ "icmp", SBXFW_PROTO_F_ICMP },	  { "icmpv6", SBXFW_PROTO_F_ICMPV6 },
	{ "icmpv4", SBXFW_PROTO_F_ICMP },
};

/* In the order of their flags, which is the canonical order. */
static const struct word preset_words[] = {
	{ "any", SBXFW_PRESET_F_ANY },
	{ "private", SBXFW_PRESET_F_PRIVATE },
	{ "loopback", SBXFW_PRESET_F_LOOPBACK },
	{ "metadata", SBXFW_PRESET_F_METADATA },
	{ "link-local", SBXFW_PRESET_F_LINK_LOCAL },
	{ "multicast", SBXFW_PRESET_F_MULTICAST },
	{ "public", SBXFW_PRESET_F_PUBLIC },
};

static const struct word action_words[] = {
	{ "allow", SBXFW_ACTION_ALLOW },
	{ "deny", SBXFW_ACTION_DENY },
};

static const struct word direction_words[] = {
	{ "egress", SBXFW_DIR_EGRESS },
	{ "ingress", SBXFW_DIR_INGRESS },
	{ "outbound", SBXFW_DIR_EGRESS },
	{ "inbound", SBXFW_DIR_INGRESS },
};

static const struct word mode_words[] = {
	{ "allow-all", SBXFW_MODE_ALLOW_ALL },
	{ "deny-all", SBXFW_MODE_DENY_ALL },
	{ "block-all", SBXFW_MODE_DENY_ALL },
	{ "custom", SBXFW_MODE_CUSTOM },
	{ "user-defined", SBXFW_MODE_CUSTOM },
};

/* microsandbox's "policy"; public-only is custom plus an allow rule. */
#define POLICY_PUBLIC_ONLY 0x100
static const struct word policy_words[] = {
	{ "allow-all", SBXFW_MODE_ALLOW_ALL },
	{ "none", SBXFW_MODE_DENY_ALL },
	{ "public-only", POLICY_PUBLIC_ONLY },
};

enum list_kind {
	LIST_DOMAINS,
	LIST_SUFFIXES, /* "example.com" stands for "*.example.com" */
	LIST_CIDRS,
	LIST_PORTS,
	LIST_DESTINATIONS, /* presets, CIDRs and domains mixed */
};

struct list_def {
	const char *key;
	bool allow;
	enum list_kind kind;
};

/* The first EGRESS_LISTS are also accepted inside "egress" (sandbox0). */
#define EGRESS_LISTS 6
static const struct list_def list_defs[] = {
	{ "allowed_domains", true, LIST_DOMAINS },
	{ "denied_domains", false, LIST_DOMAINS },
	{ "allowed_cidrs", true, LIST_CIDRS },
	{ "denied_cidrs", false, LIST_CIDRS },
	{ "allowed_ports", true, LIST_PORTS },
	{ "denied_ports", false, LIST_PORTS },
	{ "allow_domains", true, LIST_DOMAINS },
	{ "allow_cidrs", true, LIST_CIDRS },
	{ "allow_out", true, LIST_DESTINATIONS },
	{ "blockDomains", false, LIST_DOMAINS },
	{ "blockDomainSuffixes", false, LIST_SUFFIXES },
};

/* Keys of products' features that a packet filter cannot provide. */
static const struct {
	const char *key;
	const char *why;
} unsupported[] = {
	{ "transforms",
	  "not supported: sbxfw filters packets and does not terminate TLS, "
	  "so it cannot inject or strip headers; list the domains in "
	  "allow_domains" },
	{ "tls", "not supported: sbxfw does not intercept TLS" },
	{ "maxConnections",
	  "not supported: sbxfw does not limit the number of connections" },
};

#define PATH_LEN 160
#define QUOTE_MAX 64

struct parser {
	char *err;
	size_t errlen;

	/* Stage 1: the deny lists. */
	struct sbxfw_rule_spec deny;
	struct sbxfw_rule_spec deny_ports;
	char deny_list[PATH_LEN]; /* the first non-empty one, for messages */

	/* Stage 2. */
	struct sbxfw_policy_spec rules;
	bool has_rules_key;

	/* Stage 3: the allow lists. */
	struct sbxfw_rule_spec allow;
	char allow_list[PATH_LEN];
	bool public_only;

	/* Stage 4. */
	int mode; /* enum sbxfw_mode, -1 when not given */
	const char *mode_key; /* "mode" or "policy" */
	const char *mode_word; /* as written */
	int dflt; /* enum sbxfw_action, -1 when not given */
	const char *dflt_key; /* "default" or "defaultAction" */
};

__attribute__((format(printf, 2, 3))) static int failf(struct parser *p,
						       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int fail_errno(struct parser *p, int err, const char *path)
{
	if (err == -ENOMEM)
		snprintf(p->err, p->errlen, "out of memory");
	else
		snprintf(p->err, p->errlen, "%s: %s", path, strerror(-err));
	return err;
}

/* A value in messages: quoted, escaped, cut after QUOTE_MAX bytes. */
struct quoted {
	char s[QUOTE_MAX * 4 + 8];
};

static const char *quote(struct quoted *q, const char *s)
{
	size_t i, o = 0;

	q->s[o++] = '"';
	for (i = 0; s[i] && i < QUOTE_MAX; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			q->s[o++] = '\\';
			q->s[o++] = c;
		} else if (c >= 0x20 && c < 0x7f) {
			q->s[o++] = c;
		} else {
			o += sprintf(q->s + o, "\\x%02x", c);
		}
	}
	if (s[i]) {
		memcpy(q->s + o, "...", 3);
		o += 3;
	}
	q->s[o++] = '"';
	q->s[o] = '\0';
	return q->s;
}

/* @base.@key, with what cannot be printed in @key shown as '?'. */
static void path_key(char *out, const char *base, const char *key)
{
	size_t o, i;

	o = snprintf(out, PATH_LEN, "%s%s", base, *base ? "." : "");
	if (o >= PATH_LEN)
		return;
	for (i = 0; key[i] && i < QUOTE_MAX && o < PATH_LEN - 4; i++) {
		unsigned char c = key[i];

		out[o++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	if (key[i])
		o += snprintf(out + o, PATH_LEN - o, "...");
	out[o] = '\0';
}

static void path_index(char *out, const char *base, size_t i)
{
	snprintf(out, PATH_LEN, "%s[%zu]", base, i);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static int type_error(struct parser *p, const char *path, const json_t *v,
		      const char *expected)
{
	return failf(p, "%s: expected %s, got %s", path, expected,
		     type_name(v));
}

/* "a, b, c" of the first @n words, for messages. */
static void word_list(char *out, size_t len, const struct word *words, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += snprintf(out + o, len - o, "%s%s", i ? ", " : "",
			      words[i].name);
}

static int parse_word(struct parser *p, const char *path, const json_t *v,
		      const struct word *words, size_t n, size_t n_listed,
		      uint32_t *value)
{
	struct quoted q;
	char list[128];
	const char *s;
	size_t i;

	if (!json_is_string(v))
		return type_error(p, path, v, "a string");
	s = json_string_value(v);
	for (i = 0; i < n; i++) {
		if (!strcmp(s, words[i].name)) {
			*value = words[i].value;
			return 0;
		}
	}
	word_list(list, sizeof(list), words, n_listed);
	return failf(p, "%s: %s is not one of %s", path, quote(&q, s), list);
}

static const char *word_name(const struct word *words, size_t n, uint32_t value)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (words[i].value == value)
			return words[i].name;
	}
	return NULL;
}

const char *sbxfw_mode_name(unsigned int mode)
{
	switch (mode) {
	case SBXFW_MODE_ALLOW_ALL:
		return "allow-all";
	case SBXFW_MODE_DENY_ALL:
		return "deny-all";
	case SBXFW_MODE_CUSTOM:
		return "custom";
	default:
		return NULL;
	}
}

const char *sbxfw_action_name(unsigned int action)
{
	return word_name(action_words, 2, action);
}

const char *sbxfw_domain_problem(const char *s, size_t len)
{
	size_t i, label = 0, labels = 0;
	bool numeric = true;

	if (len > SBXFW_MAX_DOMAIN_LEN)
		return "longer than 253 bytes";
	if (len >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
		if (!len)
			return "nothing after \"*.\"";
	}
	if (!len)
		return "empty";
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '.') {
			if (!label)
				return "empty label";
			if (s[i - 1] == '-')
				return "a label ends with '-'";
			labels++;
			label = 0;
			numeric = true;
			continue;
		}
		if (c == '*')
			return "'*' is allowed only as a whole first label "
			       "(\"*.example.com\")";
		if (c >= 0x80)
			return "not ASCII; write an internationalised name in "
			       "its xn-- (punycode) form";
		if (c >= 'A' && c <= 'Z')
			return "upper-case letters";
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return "only a-z, 0-9, '-' and '.' are allowed";
		if (!label && c == '-')
			return "a label starts with '-'";
		if (++label > 63)
			return "a label is longer than 63 bytes";
		if (c < '0' || c > '9')
			numeric = false;
	}
	if (!label)
		return "empty label";
	if (s[len - 1] == '-')
		return "a label ends with '-'";
	if (labels + 1 < 2)
		return "a single label; a domain has at least two "
		       "(\"example.com\")";
	if (numeric)
		return "the last label is all digits, as only an address has";
	return NULL;
}

static bool port_number(const char *s, size_t len, uint16_t *port)
{
	uint32_t v = 0;
	size_t i;

	if (!len || len > 5)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*port = v;
	return true;
}

static int parse_port(struct parser *p, const char *path, const json_t *v,
		      struct sbxfw_rule_spec *r)
{
	struct sbxfw_port_range range;
	struct quoted q;
	int err;

	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n < 1 || n > 65535)
			return failf(p,
				     "%s: %" JSON_INTEGER_FORMAT
				     " is not a port (1-65535)",
				     path, n);
		range.first = range.last = n;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		const char *dash = strchr(s, '-');

		if (!dash) {
			if (!port_number(s, strlen(s), &range.first))
				return failf(p,
					     "%s: %s is not a port (1-65535)",
					     path, quote(&q, s));
			range.last = range.first;
		} else if (!port_number(s, dash - s, &range.first) ||
			   !port_number(dash + 1, strlen(dash + 1),
					&range.last) ||
			   range.first > range.last) {
			return failf(p,
				     "%s: %s is not a port range (first-last, "
				     "1-65535, first <= last)",
				     path, quote(&q, s));
		}
	} else {
		return type_error(p, path, v,
				  "a port (a string or an integer)");
	}

	if (r->nports == SBXFW_MAX_PORT_RANGES) {
		failf(p, "%s: more than 64 port ranges; a rule has at most 64",
		      path);
		return -E2BIG;
	}
	err = sbxfw_rule_add_ports(r, &range, 1);
	return err ? fail_errno(p, err, path) : 0;
}

/* Strings that can only have been meant as an address or a CIDR. */
static bool looks_like_address(const char *s)
{
	if (!*s)
		return false;
	if (strchr(s, ':') || strchr(s, '/'))
		return true;
	for (; *s; s++) {
		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
	}
	return true;
}

struct cidr {
	int family;
	struct sbxfw_cidr4 c4;
	struct sbxfw_cidr6 c6;
};

/*
 * "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or a /128.
 * 0, -EINVAL for no CIDR, -EDOM for host bits set (@c is then the network).
 */
static int parse_cidr(const char *s, struct cidr *c)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned int prefix, max, i;
	bool host = false;
	uint32_t a4;

	memset(c, 0, sizeof(*c));
	if (!alen || alen >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &c->c4.addr) == 1) {
		c->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, c->c6.addr) == 1) {
		c->family = 6;
		max = 128;
	} else {
		return -EINVAL;
	}

	prefix = max;
	if (slash) {
		const char *d = slash + 1;

		if (!*d || strlen(d) > 3)
			return -EINVAL;
		for (prefix = 0; *d; d++) {
			if (*d < '0' || *d > '9')
				return -EINVAL;
			prefix = prefix * 10 + (*d - '0');
		}
		if (prefix > max)
			return -EINVAL;
	}

	if (c->family == 4) {
		c->c4.prefix = prefix;
		a4 = ntohl(c->c4.addr);
		if (prefix < 32 && (a4 & (0xffffffffU >> prefix))) {
			host = true;
			c->c4.addr = htonl(a4 & ~(0xffffffffU >> prefix));
		}
	} else {
		c->c6.prefix = prefix;
		for (i = 0; i < 16; i++) {
			unsigned int bits = prefix > i * 8 ? prefix - i * 8 : 0;
			uint8_t mask = bits >= 8 ? 0xff :
						   (uint8_t)(0xff00 >> bits);

			if (c->c6.addr[i] & (uint8_t)~mask) {
				host = true;
				c->c6.addr[i] &= mask;
			}
		}
	}
	return host ? -EDOM : 0;
}

static void format_cidr(char *out, size_t len, const struct cidr *c)
{
	char addr[INET6_ADDRSTRLEN];

	if (c->family == 4)
		inet_ntop(AF_INET, &c->c4.addr, addr, sizeof(addr));
	else
		inet_ntop(AF_INET6, c->c6.addr, addr, sizeof(addr));
	snprintf(out, len, "%s/%u", addr,
		 c->family == 4 ? c->c4.prefix : c->c6.prefix);
}

static int add_cidr(struct parser *p, const char *path, const char *s,
		    struct sbxfw_rule_spec *r)
{
	char net[INET6_ADDRSTRLEN + 8];
	struct quoted q;
	struct cidr c;
	int err;

	err = parse_cidr(s, &c);
	if (err == -EINVAL)
		return failf(p, "%s: %s is not a CIDR", path, quote(&q, s));
	if (err == -EDOM) {
		format_cidr(net, sizeof(net), &c);
		return failf(p, "%s: %s: host bits set, did you mean %s?", path,
			     quote(&q, s), net);
	}
	if (c.family == 4)
		err = sbxfw_rule_add_cidrs4(r, &c.c4, 1);
	else
		err = sbxfw_rule_add_cidrs6(r, &c.c6, 1);
	return err ? fail_errno(p, err, path) : 0;
}

/*
 * A domain pattern made canonical: lower case, no final dot; with @suffix,
 * "example.com", ".example.com" and "*.example.com" all stand for
 * "*.example.com".
 */
static int add_domain(struct parser *p, const char *path, const char *s,
		      struct sbxfw_rule_spec *r, bool suffix)
{
	const char *src = s, *problem;
	size_t len, n = 0, i;
	struct quoted q;
	struct cidr c;
	char *buf;
	int err;

	if (suffix) {
		if (!strncmp(src, "*.", 2))
			src += 2;
		else if (src[0] == '.')
			src++;
	}
	len = strlen(src);
	buf = malloc(len + 3);
	if (!buf)
		return fail_errno(p, -ENOMEM, path);
	if (suffix) {
		buf[n++] = '*';
		buf[n++] = '.';
	}
	for (i = 0; i < len; i++) {
		char ch = src[i];

		buf[n++] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	}
	if (n && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';

	problem = sbxfw_domain_problem(buf, n);
	if (!problem && !sbxfw_domain_valid(buf, n))
		problem = "not canonical";
	if (problem && !suffix && looks_like_address(s) &&
	    parse_cidr(s, &c) != -EINVAL)
		problem = "it is an address; list it with the CIDRs";
	if (problem)
		err = failf(p, "%s: %s is not a domain pattern: %s", path,
			    quote(&q, s), problem);
	else
		err = sbxfw_rule_add_domain(r, buf, n);
	free(buf);
	return err == -ENOMEM ? fail_errno(p, err, path) : err;
}

/* A preset, a CIDR or a domain pattern, told apart by their look. */
static int add_destination(struct parser *p, const char *path, const json_t *v,
			   struct sbxfw_rule_spec *r)
{
	const char *s;
	size_t i;

	if (!json_is_string(v))
		return type_error(p, path, v, "a string");
	s = json_string_value(v);
	for (i = 0; i < sizeof(preset_words) / sizeof(preset_words[0]); i++) {
		if (!strcmp(s, preset_words[i].name)) {
			r->presets |= preset_words[i].value;
			return 0;
		}
	}
	if (looks_like_address(s))
		return add_cidr(p, path, s, r);
	return add_domain(p, path, s, r, false);
}

static int add_protocol(struct parser *p, const char *path, const json_t *v,
			struct sbxfw_rule_spec *r)
{
	uint32_t flag;
	int err;

	err = parse_word(p, path, v, protocol_words, 5, 4, &flag);
	if (!err)
		r->protocols |= flag;
	return err;
}

typedef int (*item_fn)(struct parser *p, const char *path, const json_t *v,
		       struct sbxfw_rule_spec *r);

/* A rule's field: one value, or a non-empty array of them. */
static int each_item(struct parser *p, const char *path, const json_t *v,
		     const char *noun, item_fn fn, struct sbxfw_rule_spec *r)
{
	char ipath[PATH_LEN];
	json_t *item;
	size_t i;
	int err;

	if (json_is_string(v) || json_is_integer(v))
		return fn(p, path, v, r);
	if (!json_is_array(v))
		return failf(p, "%s: expected a %s or an array of them, got %s",
			     path, noun, type_name(v));
	if (!json_array_size(v))
		return failf(p, "%s: empty; leave the key out to match any %s",
			     path, noun);
	json_array_foreach(v, i, item) {
		path_index(ipath, path, i);
		err = fn(p, ipath, item, r);
		if (err)
			return err;
	}
	return 0;
}

/* Which of a singular and a plural key (port, ports) a rule used. */
static int once(struct parser *p, const char *path, const char **seen,
		const char *key, const char *singular, const char *plural)
{
	if (*seen)
		return failf(p, "%s: give either %s or %s, not both", path,
			     singular, plural);
	*seen = key;
	return 0;
}

static int parse_rule(struct parser *p, const char *path, json_t *obj,
		      struct sbxfw_rule_spec *r)
{
	const char *ports = NULL, *protocols = NULL, *dests = NULL, *key;
	char kpath[PATH_LEN];
	bool has_action = false;
	uint32_t value;
	json_t *v;
	int err;

	if (!json_is_object(obj))
		return type_error(p, path, obj, "an object");

	json_object_foreach(obj, key, v) {
		path_key(kpath, path, key);
		if (!strcmp(key, "action")) {
			err = parse_word(p, kpath, v, action_words, 2, 2,
					 &value);
			r->action = value;
			has_action = true;
		} else if (!strcmp(key, "direction")) {
			err = parse_word(p, kpath, v, direction_words, 4, 4,
					 &value);
			r->direction = value;
		} else if (!strcmp(key, "protocol") ||
			   !strcmp(key, "protocols")) {
			err = once(p, kpath, &protocols, key, "protocol",
				   "protocols");
			if (!err)
				err = each_item(p, kpath, v, "protocol",
						add_protocol, r);
		} else if (!strcmp(key, "port") || !strcmp(key, "ports")) {
			err = once(p, kpath, &ports, key, "port", "ports");
			if (!err)
				err = each_item(p, kpath, v, "port", parse_port,
						r);
		} else if (!strcmp(key, "destination") ||
			   !strcmp(key, "destinations")) {
			err = once(p, kpath, &dests, key, "destination",
				   "destinations");
			if (!err)
				err = each_item(p, kpath, v, "destination",
						add_destination, r);
		} else {
			err = failf(p, "%s: unknown key", kpath);
		}
		if (err)
			return err;
	}

	if (!has_action)
		return failf(p, "%s: no action (allow or deny)", path);
	if (r->nports && (r->protocols & ~PROTO_F_PORTS))
		return failf(p,
			     "%s: a rule with ports can match only tcp and "
			     "udp",
			     path);
	return 0;
}

static int parse_rules(struct parser *p, json_t *v)
{
	struct sbxfw_rule_spec *r;
	char path[PATH_LEN];
	json_t *item;
	size_t i;
	int err;

	if (!json_is_array(v))
		return type_error(p, "rules", v, "an array");
	if (json_array_size(v) > SBXFW_MAX_RULES) {
		failf(p, "rules: %zu rules; a policy has at most 256",
		      json_array_size(v));
		return -E2BIG;
	}
	p->has_rules_key = true;
	json_array_foreach(v, i, item) {
		path_index(path, "rules", i);
		r = sbxfw_spec_add_rule(&p->rules);
		if (!r)
			return fail_errno(p, -ENOMEM, path);
		err = parse_rule(p, path, item, r);
		if (err)
			return err;
	}
	return 0;
}

static int parse_list(struct parser *p, const struct list_def *def,
		      const char *path, json_t *v)
{
	struct sbxfw_rule_spec *r;
	char ipath[PATH_LEN];
	json_t *item;
	char *first;
	size_t i;
	int err;

	if (!json_is_array(v))
		return type_error(p, path, v, "an array");
	if (!json_array_size(v))
		return 0;

	first = def->allow ? p->allow_list : p->deny_list;
	if (!*first)
		snprintf(first, PATH_LEN, "%s", path);
	if (def->allow)
		r = &p->allow;
	else
		r = def->kind == LIST_PORTS ? &p->deny_ports : &p->deny;

	json_array_foreach(v, i, item) {
		path_index(ipath, path, i);
		if (def->kind == LIST_PORTS) {
			err = parse_port(p, ipath, item, r);
		} else if (def->kind == LIST_DESTINATIONS) {
			err = add_destination(p, ipath, item, r);
		} else if (!json_is_string(item)) {
			err = type_error(p, ipath, item, "a string");
		} else if (def->kind == LIST_CIDRS) {
			err = add_cidr(p, ipath, json_string_value(item), r);
		} else {
			err = add_domain(p, ipath, json_string_value(item), r,
					 def->kind == LIST_SUFFIXES);
		}
		if (err)
			return err;
	}
	return 0;
}

static const struct list_def *find_list(const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(key, list_defs[i].key))
			return &list_defs[i];
	}
	return NULL;
}

static int parse_egress(struct parser *p, json_t *v)
{
	const struct list_def *def;
	char path[PATH_LEN];
	const char *key;
	json_t *list;
	int err;

	if (!json_is_object(v))
		return type_error(p, "egress", v, "an object");
	json_object_foreach(v, key, list) {
		path_key(path, "egress", key);
		def = find_list(key, EGRESS_LISTS);
		if (!def)
			return failf(p, "%s: unknown key", path);
		err = parse_list(p, def, path, list);
		if (err)
			return err;
	}
	return 0;
}

static int parse_mode(struct parser *p, const char *key, json_t *v)
{
	uint32_t value;
	int err;

	if (p->mode_key)
		return failf(p, "%s: give either mode or policy, not both",
			     key);
	if (!strcmp(key, "mode"))
		err = parse_word(p, key, v, mode_words, 5, 4, &value);
	else
		err = parse_word(p, key, v, policy_words, 3, 3, &value);
	if (err)
		return err;
	p->mode_key = key;
	p->mode_word = json_string_value(v);
	if (value == POLICY_PUBLIC_ONLY) {
		p->public_only = true;
		value = SBXFW_MODE_CUSTOM;
	}
	p->mode = value;
	return 0;
}

static int parse_default(struct parser *p, const char *key, json_t *v)
{
	uint32_t value;
	int err;

	if (p->dflt_key)
		return failf(p,
			     "%s: give either default or defaultAction, "
			     "not both",
			     key);
	err = parse_word(p, key, v, action_words, 2, 2, &value);
	if (err)
		return err;
	p->dflt_key = key;
	p->dflt = value;
	return 0;
}

/* "inside_devices": names of devices, into the stage 2 spec. */
static int parse_inside(struct parser *p, json_t *v)
{
	struct sbxfw_policy_spec *spec = &p->rules;
	char path[PATH_LEN];
	const char *name;
	size_t i, len;
	uint32_t j;
	json_t *e;

	if (!json_is_array(v) || !json_array_size(v))
		return type_error(p, "inside_devices", v, "a non-empty array");
	json_array_foreach(v, i, e) {
		path_index(path, "inside_devices", i);
		if (!json_is_string(e))
			return type_error(p, path, e, "a device name");
		name = json_string_value(e);
		len = json_string_length(e);
		if (!sbxfw_ifname_valid(name, len))
			return failf(p,
				     "%s: \"%s\" is not a device name (1-15 "
				     "printable characters without '/', ':' "
				     "or spaces)",
				     path, name);
		for (j = 0; j < spec->ninside; j++)
			if (!strcmp(spec->inside[j], name))
				return failf(p, "%s: \"%s\" is named twice",
					     path, name);
		if (spec->ninside == SBXFW_MAX_INSIDE_DEVS)
			return failf(p,
				     "%s: a policy names at most %d inside "
				     "devices",
				     path, SBXFW_MAX_INSIDE_DEVS);
		if (sbxfw_spec_add_inside(spec, name, len))
			return fail_errno(p, -ENOMEM, path);
	}
	return 0;
}

/* A number of "dns": an integer in 1..@max (0 is refused: leave it out). */
static int parse_dns_number(struct parser *p, const char *path, const json_t *v,
			    json_int_t max, const char *unit, uint32_t dflt,
			    uint32_t *value)
{
	json_int_t n;

	if (!json_is_integer(v))
		return type_error(p, path, v, "an integer");
	n = json_integer_value(v);
	if (n == 0)
		return failf(p,
			     "%s: 0 is not between 1 and %" JSON_INTEGER_FORMAT
			     "%s; leave the key out for the default, %" PRIu32,
			     path, max, unit, dflt);
	if (n < 1 || n > max)
		return failf(p,
			     "%s: %" JSON_INTEGER_FORMAT
			     " is not between 1 and %" JSON_INTEGER_FORMAT "%s",
			     path, n, max, unit);
	*value = n;
	return 0;
}

/*
 * "dns": how domain patterns are enforced through DNS, into the stage 2
 * spec. What is left out keeps its default (0 or false in the spec).
 */
static int parse_dns(struct parser *p, json_t *v)
{
	struct sbxfw_dns_options *dns = &p->rules.dns;
	uint32_t min_ttl;
	char path[PATH_LEN];
	const char *key;
	json_t *e;
	int err;

	if (!json_is_object(v))
		return type_error(p, "dns", v, "an object");
	json_object_foreach(v, key, e) {
		path_key(path, "dns", key);
		if (!strcmp(key, "min_ttl")) {
			err = parse_dns_number(p, path, e, 24 * 60 * 60,
					       " seconds",
					       SBXFW_DNS_MIN_TTL_DEFAULT,
					       &dns->min_ttl);
		} else if (!strcmp(key, "max_ttl")) {
			err = parse_dns_number(p, path, e, SBXFW_DNS_TTL_LIMIT,
					       " seconds",
					       SBXFW_DNS_MAX_TTL_DEFAULT,
					       &dns->max_ttl);
		} else if (!strcmp(key, "max_learned")) {
			err = parse_dns_number(p, path, e,
					       SBXFW_DNS_MAX_LEARNED_LIMIT, "",
					       SBXFW_DNS_MAX_LEARNED_DEFAULT,
					       &dns->max_learned);
		} else if (!strcmp(key, "rebinding_protection")) {
			if (!json_is_boolean(e))
				return type_error(p, path, e, "a boolean");
			dns->allow_rebinding = json_is_false(e);
			err = 0;
		} else {
			err = failf(p,
				    "%s: unknown key; dns takes min_ttl, "
				    "max_ttl, max_learned and "
				    "rebinding_protection",
				    path);
		}
		if (err)
			return err;
	}

	min_ttl = dns->min_ttl ? dns->min_ttl : SBXFW_DNS_MIN_TTL_DEFAULT;
	if (dns->max_ttl && dns->max_ttl < min_ttl)
		return failf(p,
			     "dns.max_ttl: %" PRIu32
			     " is below min_ttl (%" PRIu32 "%s)",
			     dns->max_ttl, min_ttl,
			     dns->min_ttl ? "" : ", its default");
	return 0;
}

static int parse_top(struct parser *p, json_t *root)
{
	const struct list_def *def;
	char path[PATH_LEN];
	const char *key;
	json_t *v;
	size_t i;
	int err;

	if (!json_is_object(root))
		return failf(p, "expected a JSON object, got %s",
			     type_name(root));

	json_object_foreach(root, key, v) {
		path_key(path, "", key);
		if (!strcmp(key, "mode") || !strcmp(key, "policy")) {
			err = parse_mode(p, key, v);
		} else if (!strcmp(key, "default") ||
			   !strcmp(key, "defaultAction")) {
			err = parse_default(p, key, v);
		} else if (!strcmp(key, "rules")) {
			err = parse_rules(p, v);
		} else if (!strcmp(key, "inside_devices")) {
			err = parse_inside(p, v);
		} else if (!strcmp(key, "dns")) {
			err = parse_dns(p, v);
		} else if (!strcmp(key, "dnsRebindProtection")) {
			/* microsandbox's name for dns.rebinding_protection */
			if (!json_is_boolean(v))
				return type_error(p, key, v, "a boolean");
			p->rules.dns.allow_rebinding = json_is_false(v);
			err = 0;
		} else if (!strcmp(key, "egress")) {
			err = parse_egress(p, v);
		} else if ((def = find_list(key,
					    sizeof(list_defs) /
						    sizeof(list_defs[0])))) {
			err = parse_list(p, def, path, v);
		} else {
			err = failf(p, "%s: unknown key", path);
			for (i = 0;
			     i < sizeof(unsupported) / sizeof(unsupported[0]);
			     i++) {
				if (!strcmp(key, unsupported[i].key))
					err = failf(p, "%s: %s", key,
						    unsupported[i].why);
			}
		}
		if (err)
			return err;
	}
	return 0;
}

static bool has_destination(const struct sbxfw_rule_spec *r)
{
	return r->presets || r->ncidrs4 || r->ncidrs6 || r->ndomains;
}

/* Moves @from into a new last rule of @spec. */
static void take(struct sbxfw_policy_spec *spec, struct sbxfw_rule_spec *from,
		 uint8_t action, uint32_t protocols)
{
	struct sbxfw_rule_spec *r = &spec->rules[spec->nrules++];

	*r = *from;
	memset(from, 0, sizeof(*from));
	r->action = action;
	r->protocols |= protocols;
}

/* Stage 4, and lists that could not change a single verdict. */
static int decide_default(struct parser *p, int *dflt)
{
	bool allows = has_destination(&p->allow) || p->allow.nports ||
		      p->public_only;
	const char *implied = NULL;
	char where[PATH_LEN];
	uint32_t i;

	for (i = 0; i < p->rules.nrules; i++)
		allows |= p->rules.rules[i].action == SBXFW_ACTION_ALLOW;

	if (p->mode == SBXFW_MODE_ALLOW_ALL || p->mode == SBXFW_MODE_DENY_ALL) {
		*dflt = p->mode == SBXFW_MODE_ALLOW_ALL ? SBXFW_ACTION_ALLOW :
							  SBXFW_ACTION_DENY;
		implied = p->mode_word;
	} else if (p->public_only) {
		*dflt = SBXFW_ACTION_DENY;
		implied = p->mode_word;
	} else if (p->dflt >= 0) {
		*dflt = p->dflt;
	} else if (p->mode == SBXFW_MODE_CUSTOM || *p->allow_list) {
		*dflt = SBXFW_ACTION_DENY;
	} else {
		*dflt = SBXFW_ACTION_ALLOW;
	}
	if (implied && p->dflt >= 0 && p->dflt != *dflt)
		return failf(p, "%s: \"%s\" contradicts %s \"%s\"", p->dflt_key,
			     sbxfw_action_name(p->dflt), p->mode_key, implied);

	/* "in block-all mode", "with policy none" */
	if (p->mode_key && !strcmp(p->mode_key, "mode"))
		snprintf(where, sizeof(where), "in %s mode", p->mode_word);
	else if (p->mode_key)
		snprintf(where, sizeof(where), "with policy %s", p->mode_word);

	if (*p->allow_list && p->mode == SBXFW_MODE_ALLOW_ALL)
		return failf(p,
			     "%s: has no effect %s, where everything not "
			     "denied is allowed",
			     p->allow_list, where);
	if (*p->allow_list && *dflt == SBXFW_ACTION_ALLOW)
		return failf(p,
			     "%s: has no effect when the default is allow, "
			     "where everything not denied is allowed",
			     p->allow_list);
	if (*p->deny_list && p->mode == SBXFW_MODE_DENY_ALL)
		return failf(p,
			     "%s: has no effect %s, where everything not "
			     "allowed is denied",
			     p->deny_list, where);
	if (*p->deny_list && *dflt == SBXFW_ACTION_DENY && !allows)
		return failf(p,
			     "%s: has no effect when the default is deny and "
			     "nothing is allowed",
			     p->deny_list);
	return 0;
}

static int compile(struct parser *p, struct sbxfw_policy_spec *spec)
{
	bool deny = has_destination(&p->deny),
	     deny_ports = p->deny_ports.nports;
	bool allow = has_destination(&p->allow) || p->allow.nports;
	uint32_t lists, n, first_explicit;
	int dflt, err, bad_rule;
	const char *why;

	err = decide_default(p, &dflt);
	if (err)
		return err;

	lists = deny + deny_ports + allow + p->public_only;
	n = p->rules.nrules + lists;
	if (n > SBXFW_MAX_RULES) {
		failf(p,
		      "the policy compiles to %" PRIu32 " rules (%" PRIu32
		      " in rules, %" PRIu32
		      " from the lists); a policy has at most 256",
		      n, p->rules.nrules, lists);
		return -E2BIG;
	}

	memset(spec, 0, sizeof(*spec));
	if (n) {
		spec->rules = calloc(n, sizeof(*spec->rules));
		if (!spec->rules)
			return fail_errno(p, -ENOMEM, "");
	}
	if (deny)
		take(spec, &p->deny, SBXFW_ACTION_DENY, 0);
	if (deny_ports)
		take(spec, &p->deny_ports, SBXFW_ACTION_DENY, PROTO_F_PORTS);
	first_explicit = spec->nrules;
	if (p->rules.nrules)
		memcpy(spec->rules + spec->nrules, p->rules.rules,
		       p->rules.nrules * sizeof(*spec->rules));
	spec->nrules += p->rules.nrules;
	spec->inside = p->rules.inside;
	spec->ninside = p->rules.ninside;
	spec->dns = p->rules.dns;
	free(p->rules.rules);
	memset(&p->rules, 0, sizeof(p->rules));
	if (allow)
		take(spec, &p->allow, SBXFW_ACTION_ALLOW,
		     p->allow.nports ? PROTO_F_PORTS : 0);
	if (p->public_only) {
		struct sbxfw_rule_spec pub = { .presets =
						       SBXFW_PRESET_F_PUBLIC };

		take(spec, &pub, SBXFW_ACTION_ALLOW, 0);
	}

	spec->default_action = dflt;
	if (spec->nrules || p->mode == SBXFW_MODE_CUSTOM)
		spec->mode = SBXFW_MODE_CUSTOM;
	else if (dflt == SBXFW_ACTION_ALLOW)
		spec->mode = SBXFW_MODE_ALLOW_ALL;
	else
		spec->mode = SBXFW_MODE_DENY_ALL;
	if (spec->ninside && spec->mode != SBXFW_MODE_CUSTOM) {
		failf(p,
		      "inside_devices: only a custom policy names inside "
		      "devices (this one is %s)",
		      sbxfw_mode_name(spec->mode));
		sbxfw_spec_release(spec);
		return -EINVAL;
	}

	err = sbxfw_spec_check(spec, &why, &bad_rule);
	if (err) {
		if (bad_rule >= (int)first_explicit &&
		    bad_rule < (int)(first_explicit + n - lists))
			snprintf(p->err, p->errlen, "rules[%d]: %s",
				 bad_rule - (int)first_explicit, why);
		else
			snprintf(p->err, p->errlen, "%s", why);
		sbxfw_spec_release(spec);
	}
	return err;
}

static void rule_release(struct sbxfw_rule_spec *r)
{
	uint32_t i;

	free(r->ports);
	free(r->cidrs4);
	free(r->cidrs6);
	for (i = 0; i < r->ndomains; i++)
		free(r->domains[i]);
	free(r->domains);
	memset(r, 0, sizeof(*r));
}

static void parser_release(struct parser *p)
{
	sbxfw_spec_release(&p->rules);
	rule_release(&p->deny);
	rule_release(&p->deny_ports);
	rule_release(&p->allow);
}

int sbxfw_policy_from_json(const json_t *root, struct sbxfw_policy_spec *spec,
			   char *err, size_t errlen)
{
	struct parser p = {
		.err = err,
		.errlen = errlen,
		.mode = -1,
		.dflt = -1,
	};
	char dummy[1];
	int ret;

	if (!err || !errlen) {
		p.err = dummy;
		p.errlen = sizeof(dummy);
	}
	p.err[0] = '\0';
	memset(spec, 0, sizeof(*spec));

	/* jansson takes no const objects to iterate; nothing is changed. */
	ret = parse_top(&p, (json_t *)root);
	if (!ret)
		ret = compile(&p, spec);
	parser_release(&p);
	/* compile() moved the stage-1 and stage-3 rules into the spec. */
	return ret;
}

static int load_error(const json_error_t *jerr, char *err, size_t errlen)
{
	if (err && errlen) {
		if (jerr->line > 0)
			snprintf(err, errlen, "line %d column %d: %s",
				 jerr->line, jerr->column, jerr->text);
		else
			snprintf(err, errlen, "%s", jerr->text);
	}
	return -EINVAL;
}

int sbxfw_policy_parse(const char *text, size_t len,
		       struct sbxfw_policy_spec *spec, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(spec, 0, sizeof(*spec));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return load_error(&jerr, err, errlen);
	ret = sbxfw_policy_from_json(root, spec, err, errlen);
	json_decref(root);
	return ret;
}

int sbxfw_policy_load(FILE *f, struct sbxfw_policy_spec *spec, char *err,
		      size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(spec, 0, sizeof(*spec));
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return load_error(&jerr, err, errlen);
	ret = sbxfw_policy_from_json(root, spec, err, errlen);
	json_decref(root);
	return ret;
}

/* Appends a new string to @array; false when out of memory. */
static bool append_string(json_t *array, const char *s)
{
	return !json_array_append_new(array, json_string(s));
}

static json_t *flags_json(uint32_t flags, const struct word *words, size_t n,
			  json_t *array)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((flags & words[i].value) &&
		    !append_string(array, words[i].name))
			return NULL;
	}
	return array;
}

static json_t *ports_json(const struct sbxfw_rule_spec *r)
{
	json_t *array = json_array();
	char buf[16];
	uint32_t i;

	for (i = 0; array && i < r->nports; i++) {
		if (r->ports[i].first == r->ports[i].last)
			snprintf(buf, sizeof(buf), "%u", r->ports[i].first);
		else
			snprintf(buf, sizeof(buf), "%u-%u", r->ports[i].first,
				 r->ports[i].last);
		if (!append_string(array, buf)) {
			json_decref(array);
			return NULL;
		}
	}
	return array;
}

static json_t *destinations_json(const struct sbxfw_rule_spec *r)
{
	char buf[INET6_ADDRSTRLEN + 8];
	json_t *array = json_array();
	struct cidr c;
	uint32_t i;

	if (!array || !flags_json(r->presets, preset_words, 7, array))
		goto err;
	c.family = 4;
	for (i = 0; i < r->ncidrs4; i++) {
		c.c4 = r->cidrs4[i];
		format_cidr(buf, sizeof(buf), &c);
		if (!append_string(array, buf))
			goto err;
	}
	c.family = 6;
	for (i = 0; i < r->ncidrs6; i++) {
		c.c6 = r->cidrs6[i];
		format_cidr(buf, sizeof(buf), &c);
		if (!append_string(array, buf))
			goto err;
	}
	for (i = 0; i < r->ndomains; i++) {
		if (!append_string(array, r->domains[i]))
			goto err;
	}
	return array;
err:
	json_decref(array);
	return NULL;
}

static json_t *rule_json(const struct sbxfw_rule_spec *r)
{
	json_t *obj = json_object(), *v;

	if (!obj ||
	    json_object_set_new(obj, "action",
				json_string(sbxfw_action_name(r->action))))
		goto err;
	if (r->direction != SBXFW_DIR_EGRESS &&
	    json_object_set_new(obj, "direction", json_string("ingress")))
		goto err;
	if (r->protocols) {
		v = json_array();
		if (!v || !flags_json(r->protocols, protocol_words, 4, v) ||
		    json_object_set_new(obj, "protocols", v))
			goto err_v;
	}
	if (r->nports && json_object_set_new(obj, "ports", ports_json(r)))
		goto err;
	if (has_destination(r) &&
	    json_object_set_new(obj, "destinations", destinations_json(r)))
		goto err;
	return obj;

err_v:
	json_decref(v);
err:
	json_decref(obj);
	return NULL;
}

/* The members of @dns not at their default, or NULL when out of memory. */
static json_t *dns_json(const struct sbxfw_dns_options *dns)
{
	json_t *obj = json_object();

	if (!obj ||
	    (dns->min_ttl &&
	     json_object_set_new(obj, "min_ttl", json_integer(dns->min_ttl))) ||
	    (dns->max_ttl &&
	     json_object_set_new(obj, "max_ttl", json_integer(dns->max_ttl))) ||
	    (dns->max_learned &&
	     json_object_set_new(obj, "max_learned",
				 json_integer(dns->max_learned))) ||
	    (dns->allow_rebinding &&
	     json_object_set_new(obj, "rebinding_protection", json_false()))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int sbxfw_policy_to_json(const struct sbxfw_policy_spec *spec, json_t **out)
{
	const struct sbxfw_dns_options *dns = &spec->dns;
	json_t *root, *rules, *inside;
	const char *why;
	int bad_rule;
	uint32_t i;

	*out = NULL;
	if (sbxfw_spec_check(spec, &why, &bad_rule))
		return -EINVAL;

	root = json_object();
	if (!root ||
	    json_object_set_new(root, "mode",
				json_string(sbxfw_mode_name(spec->mode))))
		goto err;
	if (spec->mode == SBXFW_MODE_CUSTOM &&
	    json_object_set_new(
		    root, "default",
		    json_string(sbxfw_action_name(spec->default_action))))
		goto err;
	if (spec->ninside) {
		inside = json_array();
		if (json_object_set_new(root, "inside_devices", inside))
			goto err;
		for (i = 0; i < spec->ninside; i++)
			if (json_array_append_new(inside,
						  json_string(spec->inside[i])))
				goto err;
	}
	if ((dns->min_ttl || dns->max_ttl || dns->max_learned ||
	     dns->allow_rebinding) &&
	    json_object_set_new(root, "dns", dns_json(dns)))
		goto err;
	if (spec->nrules) {
		rules = json_array();
		if (json_object_set_new(root, "rules", rules))
			goto err;
		for (i = 0; i < spec->nrules; i++) {
			if (json_array_append_new(rules,
						  rule_json(&spec->rules[i])))
				goto err;
		}
	}
	*out = root;
	return 0;

err:
	json_decref(root);
	return -ENOMEM;
}

void sbxfw_policy_summary(const struct sbxfw_policy_spec *spec, char *buf,
			  size_t len)
{
	const char *mode = sbxfw_mode_name(spec->mode);
	const char *dflt = sbxfw_action_name(spec->default_action);
	struct sbxfw_policy_counts c;
	char mode_num[16], dflt_num[16];

	sbxfw_policy_count(spec, &c);
	if (!mode) {
		snprintf(mode_num, sizeof(mode_num), "mode %u", spec->mode);
		mode = mode_num;
	}
	if (!dflt) {
		snprintf(dflt_num, sizeof(dflt_num), "%u",
			 spec->default_action);
		dflt = dflt_num;
	}
	snprintf(buf, len,
		 "%s, default %s, %" PRIu32 " rule%s, %" PRIu64
		 " IPv4 CIDR%s, %" PRIu64 " IPv6 CIDR%s, %" PRIu64 " domain%s",
		 mode, dflt, c.rules, c.rules == 1 ? "" : "s", c.cidrs4,
		 c.cidrs4 == 1 ? "" : "s", c.cidrs6, c.cidrs6 == 1 ? "" : "s",
		 c.domains, c.domains == 1 ? "" : "s");
}
