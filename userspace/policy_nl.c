// SPDX-License-Identifier: GPL-2.0
/*
 * The policy commands over generic netlink: a spec encoded into the parts
 * of a POLICY_SET transaction, POLICY_GET dumps decoded back into a spec,
 * POLICY_LIST lines, POLICY_DEL, and the network namespace they target.
 *
 * A policy can hold a million CIDRs, far more than one netlink message (and
 * than one attribute, whose length is 16 bits), so SET goes in parts of at
 * most SBXFW_SET_PART_MAX bytes. The first part carries the mode, the
 * default, the inside devices, the dns options (when any is not at its
 * default) and every rule's own fields (index, action, direction,
 * protocols, presets, ports) with as many CIDRs and domains as fit after
 * room is kept for the later rules' fields; then continuation parts carry
 * only { SBXFW_RULE_A_INDEX, more CIDRs and domains }, rule after rule.
 * A GET dump arrives in the same shape, which is why one decoder reads
 * both.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/nsfs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "libsbxfw.h"
#include "policy.h"

/* Room for any first part: 256 rules' own fields take up to ~78 KiB. */
#define FIRST_PART_ALLOC (128 * 1024)
/* Below this a continuation part may not fit one domain. */
#define PART_MIN 1024
/* An attribute's payload, after its header, within a 16-bit length. */
#define ATTR_PAYLOAD_MAX (0xffff - NLA_HDRLEN)

int sbxfw_netns_open(const char *path, struct sbxfw_netns *ns)
{
	int fd, type;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	type = ioctl(fd, NS_GET_NSTYPE);
	if ((type < 0 && errno == ENOTTY) ||
	    (type >= 0 && type != CLONE_NEWNET)) {
		close(fd);
		return -EINVAL;
	}
	ns->by_pid = false;
	ns->id = fd;
	return 0;
}

void sbxfw_netns_close(struct sbxfw_netns *ns)
{
	if (!ns->by_pid)
		close(ns->id);
	ns->id = -1;
}

void sbxfw_msgs_free(struct sbxfw_msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		nlmsg_free(m->msgs[i]);
	free(m->msgs);
	m->msgs = NULL;
	m->n = 0;
}

struct encoder {
	const struct sbxfw_policy_spec *spec;
	const struct sbxfw_netns *ns;
	const uint64_t *expect;
	int family;
	size_t part_max;
	struct sbxfw_msgs *parts;

	struct nl_msg *msg; /* the part being filled */
	uint32_t *flags; /* its SBXFW_A_SET_FLAGS */
	struct nlattr *policy;
	struct nlattr *rule;
};

/* Each rule's position in its data: CIDRs4, then CIDRs6, then domains. */
struct cursor {
	uint32_t cidrs4;
	uint32_t cidrs6;
	uint32_t domains;
};

/* Bytes an attribute with @payload bytes takes, padding included. */
static size_t attr_size(size_t payload)
{
	return NLA_ALIGN(NLA_HDRLEN + payload);
}

static size_t msg_len(const struct encoder *e)
{
	return nlmsg_hdr(e->msg)->nlmsg_len;
}

/* Bytes of the rule's own fields, as the first part carries them. */
static size_t rule_fields_size(const struct sbxfw_rule_spec *r)
{
	size_t n = NLA_HDRLEN; /* the nest */

	n += attr_size(sizeof(uint32_t)); /* index */
	n += 2 * attr_size(sizeof(uint8_t)); /* action, direction */
	n += 2 * attr_size(sizeof(uint32_t)); /* protocols, presets */
	if (r->nports)
		n += attr_size(r->nports * sizeof(*r->ports));
	return n;
}

/* SBXFW_POLICY_A_DNS with the members not at their default, if any. */
static int put_dns(struct nl_msg *msg, const struct sbxfw_dns_options *dns)
{
	struct nlattr *nest;

	if (!dns->min_ttl && !dns->max_ttl && !dns->max_learned &&
	    !dns->allow_rebinding)
		return 0;
	nest = nla_nest_start(msg, SBXFW_POLICY_A_DNS | NLA_F_NESTED);
	if (!nest ||
	    (dns->min_ttl &&
	     nla_put_u32(msg, SBXFW_DNS_A_MIN_TTL, dns->min_ttl)) ||
	    (dns->max_ttl &&
	     nla_put_u32(msg, SBXFW_DNS_A_MAX_TTL, dns->max_ttl)) ||
	    (dns->max_learned &&
	     nla_put_u32(msg, SBXFW_DNS_A_MAX_LEARNED, dns->max_learned)) ||
	    (dns->allow_rebinding &&
	     nla_put_flag(msg, SBXFW_DNS_A_ALLOW_REBINDING)))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int part_begin(struct encoder *e, bool first)
{
	const struct sbxfw_policy_spec *spec = e->spec;
	struct nl_msg *msg, **grown;
	struct nlattr *flags;
	uint32_t i;

	grown = realloc(e->parts->msgs, (e->parts->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	e->parts->msgs = grown;

	msg = nlmsg_alloc_size(first ? FIRST_PART_ALLOC : e->part_max + 4096);
	if (!msg)
		return -ENOMEM;
	e->parts->msgs[e->parts->n++] = msg;
	e->msg = msg;

	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, e->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, SBXFW_CMD_POLICY_SET,
			 SBXFW_GENL_VERSION) ||
	    nla_put_u32(msg,
			e->ns->by_pid ? SBXFW_A_NETNS_PID : SBXFW_A_NETNS_FD,
			e->ns->id))
		return -ENOMEM;
	/* Kept to add SBXFW_SET_F_MORE when another part follows. */
	flags = nla_reserve(msg, SBXFW_A_SET_FLAGS, sizeof(uint32_t));
	if (!flags)
		return -ENOMEM;
	e->flags = nla_data(flags);
	*e->flags = first ? 0 : SBXFW_SET_F_CONTINUE;

	if (first && e->expect &&
	    nla_put_u64(msg, SBXFW_A_GENERATION, *e->expect))
		return -ENOMEM;
	e->policy = nla_nest_start(msg, SBXFW_A_POLICY | NLA_F_NESTED);
	if (!e->policy)
		return -ENOMEM;
	if (first &&
	    (nla_put_u8(msg, SBXFW_POLICY_A_MODE, spec->mode) ||
	     nla_put_u8(msg, SBXFW_POLICY_A_DEFAULT, spec->default_action)))
		return -ENOMEM;
	for (i = 0; first && i < spec->ninside; i++)
		if (nla_put_string(msg, SBXFW_POLICY_A_INSIDE_DEV,
				   spec->inside[i]))
			return -ENOMEM;
	return first ? put_dns(msg, &spec->dns) : 0;
}

static int part_end(struct encoder *e)
{
	/* The policy nest's length is 16 bits. */
	if (nla_nest_end(e->msg, e->policy) < 0)
		return -E2BIG;
	e->policy = NULL;
	return 0;
}

static int next_part(struct encoder *e)
{
	int err;

	err = part_end(e);
	if (err)
		return err;
	*e->flags |= SBXFW_SET_F_MORE;
	return part_begin(e, false);
}

static int rule_begin(struct encoder *e, uint32_t index)
{
	e->rule = nla_nest_start(e->msg, SBXFW_POLICY_A_RULE | NLA_F_NESTED);
	if (!e->rule || nla_put_u32(e->msg, SBXFW_RULE_A_INDEX, index))
		return -ENOMEM;
	return 0;
}

static int rule_end(struct encoder *e)
{
	int err = nla_nest_end(e->msg, e->rule);

	e->rule = NULL;
	return err < 0 ? -E2BIG : 0;
}

static int put_rule_fields(struct encoder *e, const struct sbxfw_rule_spec *r)
{
	struct nl_msg *msg = e->msg;

	if (nla_put_u8(msg, SBXFW_RULE_A_ACTION, r->action) ||
	    nla_put_u8(msg, SBXFW_RULE_A_DIRECTION, r->direction) ||
	    nla_put_u32(msg, SBXFW_RULE_A_PROTOCOLS, r->protocols) ||
	    nla_put_u32(msg, SBXFW_RULE_A_PRESETS, r->presets))
		return -ENOMEM;
	if (r->nports && nla_put(msg, SBXFW_RULE_A_PORTS,
				 r->nports * sizeof(*r->ports), r->ports))
		return -ENOMEM;
	return 0;
}

/* Room for attributes in the current part, @reserve kept back. */
static size_t room(const struct encoder *e, size_t reserve)
{
	size_t used = msg_len(e) + reserve;

	return used < e->part_max ? e->part_max - used : 0;
}

/* How many of @left items of @size fit in one attribute here. */
static uint32_t fit(const struct encoder *e, size_t reserve, size_t size,
		    uint32_t left)
{
	size_t space = room(e, reserve), n;

	if (space < attr_size(size))
		return 0;
	n = (space - NLA_HDRLEN) / size;
	if (n > ATTR_PAYLOAD_MAX / size)
		n = ATTR_PAYLOAD_MAX / size;
	return n < left ? n : left;
}

/*
 * Puts as much of rule @index's data from @c as fits in the current part,
 * @reserve kept back. Returns 1 when all of it is in, 0 when the part is
 * full, or a negative errno.
 */
static int put_rule_data(struct encoder *e, uint32_t index, struct cursor *c,
			 size_t reserve)
{
	const struct sbxfw_rule_spec *r = &e->spec->rules[index];
	uint32_t n;

	while (c->cidrs4 < r->ncidrs4) {
		n = fit(e, reserve, sizeof(*r->cidrs4), r->ncidrs4 - c->cidrs4);
		if (!n)
			return 0;
		if (nla_put(e->msg, SBXFW_RULE_A_CIDRS4, n * sizeof(*r->cidrs4),
			    r->cidrs4 + c->cidrs4))
			return -ENOMEM;
		c->cidrs4 += n;
	}
	while (c->cidrs6 < r->ncidrs6) {
		n = fit(e, reserve, sizeof(*r->cidrs6), r->ncidrs6 - c->cidrs6);
		if (!n)
			return 0;
		if (nla_put(e->msg, SBXFW_RULE_A_CIDRS6, n * sizeof(*r->cidrs6),
			    r->cidrs6 + c->cidrs6))
			return -ENOMEM;
		c->cidrs6 += n;
	}
	while (c->domains < r->ndomains) {
		const char *d = r->domains[c->domains];

		if (room(e, reserve) < attr_size(strlen(d) + 1))
			return 0;
		if (nla_put_string(e->msg, SBXFW_RULE_A_DOMAIN, d))
			return -ENOMEM;
		c->domains++;
	}
	return 1;
}

static bool rule_done(const struct sbxfw_rule_spec *r, const struct cursor *c)
{
	return c->cidrs4 == r->ncidrs4 && c->cidrs6 == r->ncidrs6 &&
	       c->domains == r->ndomains;
}

/* The first part: every rule's fields, and what data fits in order. */
static int encode_first(struct encoder *e, struct cursor *cursors,
			uint32_t *resume)
{
	const struct sbxfw_policy_spec *spec = e->spec;
	size_t reserve = 0;
	bool full = false;
	uint32_t i;
	int err;

	for (i = 0; i < spec->nrules; i++)
		reserve += rule_fields_size(&spec->rules[i]);

	err = part_begin(e, true);
	*resume = spec->nrules;
	for (i = 0; !err && i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *r = &spec->rules[i];

		reserve -= rule_fields_size(r);
		err = rule_begin(e, i);
		if (!err)
			err = put_rule_fields(e, r);
		if (!err && !full) {
			err = put_rule_data(e, i, &cursors[i], reserve);
			if (err == 0) {
				full = true;
				*resume = i;
			}
			err = err < 0 ? err : 0;
		}
		if (!err)
			err = rule_end(e);
	}
	return err;
}

/*
 * Continuation parts: the rest of each rule's data, rule after rule. The
 * first part is never added to, so that there every rule appears once,
 * in order.
 */
static int encode_rest(struct encoder *e, struct cursor *cursors,
		       uint32_t resume)
{
	const struct sbxfw_policy_spec *spec = e->spec;
	/* A rule nest, its index, and the largest domain. */
	size_t least = NLA_HDRLEN + attr_size(sizeof(uint32_t)) +
		       attr_size(SBXFW_MAX_DOMAIN_LEN + 1);
	uint32_t i;
	int done, err = 0;

	if (resume < spec->nrules)
		err = next_part(e);
	for (i = resume; !err && i < spec->nrules; i++) {
		const struct sbxfw_rule_spec *r = &spec->rules[i];

		while (!err && !rule_done(r, &cursors[i])) {
			if (room(e, 0) < least) {
				err = next_part(e);
				if (err)
					break;
			}
			err = rule_begin(e, i);
			if (err)
				break;
			done = put_rule_data(e, i, &cursors[i], 0);
			if (done < 0)
				return done;
			err = rule_end(e);
			if (!err && !done)
				err = next_part(e);
		}
	}
	return err ? err : part_end(e);
}

int sbxfw_policy_encode(const struct sbxfw_policy_spec *spec,
			const struct sbxfw_netns *ns, const uint64_t *expect,
			int family, size_t part_max, struct sbxfw_msgs *parts,
			const char **why)
{
	struct encoder e = {
		.spec = spec,
		.ns = ns,
		.expect = expect,
		.family = family,
		.part_max = part_max < PART_MIN ? PART_MIN : part_max,
		.parts = parts,
	};
	struct cursor *cursors;
	uint32_t resume;
	int bad_rule, err;

	parts->n = 0;
	parts->msgs = NULL;
	err = sbxfw_spec_check(spec, why, &bad_rule);
	if (err)
		return err;

	cursors = calloc(spec->nrules + 1, sizeof(*cursors));
	if (!cursors)
		return -ENOMEM;
	err = encode_first(&e, cursors, &resume);
	if (!err)
		err = encode_rest(&e, cursors, resume);
	free(cursors);

	if (err == -E2BIG)
		*why = "the rules' own fields (actions, protocols, presets, "
		       "ports) do not fit in one netlink message";
	else if (err)
		*why = "out of memory";
	if (err)
		sbxfw_msgs_free(parts);
	return err;
}

static int bad_msg(struct sbxfw_policy_decoder *d, const char *why)
{
	d->why = why;
	return -EBADMSG;
}

void sbxfw_policy_decoder_init(struct sbxfw_policy_decoder *d,
			       struct sbxfw_policy_spec *spec)
{
	memset(d, 0, sizeof(*d));
	memset(spec, 0, sizeof(*spec));
	d->spec = spec;
}

static bool get_u8(const struct nlattr *a, uint8_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return false;
	*v = nla_get_u8((struct nlattr *)a);
	return true;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return false;
	*v = nla_get_u32((struct nlattr *)a);
	return true;
}

static bool get_u64(const struct nlattr *a, uint64_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return false;
	*v = nla_get_u64((struct nlattr *)a);
	return true;
}

struct rule_fields {
	bool has_index;
	uint32_t index;
	bool has_action, has_direction, has_protocols, has_presets;
	uint8_t action, direction;
	uint32_t protocols, presets;
	struct nlattr *ports;
};

static int read_rule_fields(struct sbxfw_policy_decoder *d, struct nlattr *nest,
			    struct rule_fields *f)
{
	struct nlattr *a;
	bool ok = true;
	int rem;

	memset(f, 0, sizeof(*f));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case SBXFW_RULE_A_INDEX:
			ok = !f->has_index && get_u32(a, &f->index);
			f->has_index = true;
			break;
		case SBXFW_RULE_A_ACTION:
			ok = !f->has_action && get_u8(a, &f->action);
			f->has_action = true;
			break;
		case SBXFW_RULE_A_DIRECTION:
			ok = !f->has_direction && get_u8(a, &f->direction);
			f->has_direction = true;
			break;
		case SBXFW_RULE_A_PROTOCOLS:
			ok = !f->has_protocols && get_u32(a, &f->protocols);
			f->has_protocols = true;
			break;
		case SBXFW_RULE_A_PRESETS:
			ok = !f->has_presets && get_u32(a, &f->presets);
			f->has_presets = true;
			break;
		case SBXFW_RULE_A_PORTS:
			ok = !f->ports && nla_len(a) > 0 &&
			     nla_len(a) % sizeof(struct sbxfw_port_range) == 0;
			f->ports = a;
			break;
		}
		if (!ok)
			return bad_msg(d, "a rule's field is repeated or has "
					  "the wrong size");
	}
	return 0;
}

/* A rule's later appearance may repeat its fields, not change them. */
static bool same_fields(const struct sbxfw_rule_spec *r,
			const struct rule_fields *f)
{
	if ((f->has_action && f->action != r->action) ||
	    (f->has_direction && f->direction != r->direction) ||
	    (f->has_protocols && f->protocols != r->protocols) ||
	    (f->has_presets && f->presets != r->presets))
		return false;
	return !f->ports ||
	       ((size_t)nla_len(f->ports) == r->nports * sizeof(*r->ports) &&
		!memcmp(nla_data(f->ports), r->ports, nla_len(f->ports)));
}

static int rule_new(struct sbxfw_policy_decoder *d, const struct rule_fields *f,
		    struct sbxfw_rule_spec **rp)
{
	struct sbxfw_rule_spec *r;
	int err;

	if (!f->has_action)
		return bad_msg(d, "a rule's first appearance has no action");
	if (d->spec->nrules >= SBXFW_MAX_RULES) {
		d->why = "more rules than a policy can have";
		return -E2BIG;
	}
	r = sbxfw_spec_add_rule(d->spec);
	if (!r)
		return -ENOMEM;
	r->action = f->action;
	r->direction = f->has_direction ? f->direction : SBXFW_DIR_EGRESS;
	r->protocols = f->protocols;
	r->presets = f->presets;
	if (f->ports) {
		err = sbxfw_rule_add_ports(r, nla_data(f->ports),
					   nla_len(f->ports) /
						   sizeof(*r->ports));
		if (err)
			return err;
	}
	*rp = r;
	return 0;
}

static int rule_data(struct sbxfw_policy_decoder *d, struct nlattr *nest,
		     struct sbxfw_rule_spec *r)
{
	struct sbxfw_policy_counts c;
	struct nlattr *a;
	uint32_t n;
	int rem, len, err = 0;

	nla_for_each_nested(a, nest, rem) {
		len = nla_len(a);
		switch (nla_type(a)) {
		case SBXFW_RULE_A_CIDRS4:
			if (len % sizeof(struct sbxfw_cidr4))
				return bad_msg(d, "IPv4 CIDRs of a wrong size");
			n = len / sizeof(struct sbxfw_cidr4);
			err = sbxfw_rule_add_cidrs4(r, nla_data(a), n);
			break;
		case SBXFW_RULE_A_CIDRS6:
			if (len % sizeof(struct sbxfw_cidr6))
				return bad_msg(d, "IPv6 CIDRs of a wrong size");
			n = len / sizeof(struct sbxfw_cidr6);
			err = sbxfw_rule_add_cidrs6(r, nla_data(a), n);
			break;
		case SBXFW_RULE_A_DOMAIN:
			if (len < 1 || ((char *)nla_data(a))[len - 1] ||
			    strlen(nla_data(a)) != (size_t)len - 1)
				return bad_msg(d, "a domain is not a "
						  "NUL-terminated string");
			err = sbxfw_rule_add_domain(r, nla_data(a), len - 1);
			break;
		default:
			continue;
		}
		if (err)
			return err;
	}

	sbxfw_policy_count(d->spec, &c);
	if (c.cidrs4 + c.cidrs6 > SBXFW_MAX_CIDRS ||
	    c.domains > SBXFW_MAX_DOMAINS) {
		d->why = "more CIDRs or domains than a policy can have";
		return -E2BIG;
	}
	return 0;
}

static int decode_rule(struct sbxfw_policy_decoder *d, struct nlattr *nest)
{
	struct sbxfw_rule_spec *r;
	struct rule_fields f;
	uint32_t index;
	int err;

	if (!sbxfw_nest_ok(nest))
		return bad_msg(d, "a rule is not a nest of attributes");
	err = read_rule_fields(d, nest, &f);
	if (err)
		return err;

	/* Without an index, a rule of the first part comes next in order. */
	index = f.has_index ? f.index : d->spec->nrules;
	if (index > d->spec->nrules)
		return bad_msg(d, "a rule's index skips ahead");
	if (index == d->spec->nrules) {
		err = rule_new(d, &f, &r);
		if (err)
			return err;
	} else {
		r = &d->spec->rules[index];
		if (!same_fields(r, &f))
			return bad_msg(d, "a rule's fields change between "
					  "messages");
	}
	return rule_data(d, nest, r);
}

/* Whether @a holds a NUL-terminated string that fits a device name. */
static bool get_ifname(const struct nlattr *a)
{
	const char *name = nla_data(a);
	int len = nla_len(a);

	return len > 0 && len <= SBXFW_IFNAMSIZ && !name[len - 1] &&
	       strlen(name) == (size_t)len - 1;
}

/*
 * SBXFW_POLICY_A_DNS: each member once, of its size, within the range the
 * module accepts (it sends only members not at their default, so never a
 * 0); members this tool does not know are skipped.
 */
static int decode_dns(struct sbxfw_policy_decoder *d, struct nlattr *nest)
{
	struct sbxfw_dns_options *dns = &d->spec->dns;
	bool seen[SBXFW_DNS_A_MAX + 1] = { false };
	uint32_t *value, max;
	struct nlattr *a;
	int rem, type;

	if (!sbxfw_nest_ok(nest))
		return bad_msg(d, "the dns options are not a nest of "
				  "attributes");
	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		switch (type) {
		case SBXFW_DNS_A_MIN_TTL:
			value = &dns->min_ttl;
			max = 24 * 60 * 60;
			break;
		case SBXFW_DNS_A_MAX_TTL:
			value = &dns->max_ttl;
			max = SBXFW_DNS_TTL_LIMIT;
			break;
		case SBXFW_DNS_A_MAX_LEARNED:
			value = &dns->max_learned;
			max = SBXFW_DNS_MAX_LEARNED_LIMIT;
			break;
		case SBXFW_DNS_A_ALLOW_REBINDING:
			value = NULL;
			max = 0;
			break;
		default:
			continue;
		}
		if (seen[type])
			return bad_msg(d, "a dns option is repeated");
		seen[type] = true;
		if (!value) {
			if (nla_len(a))
				return bad_msg(d, "a dns option has the wrong "
						  "size");
			dns->allow_rebinding = true;
		} else if (!get_u32(a, value)) {
			return bad_msg(d, "a dns option has the wrong size");
		} else if (*value < 1 || *value > max) {
			return bad_msg(d, "a dns option is out of range");
		}
	}
	return 0;
}

static int decode_policy(struct sbxfw_policy_decoder *d, struct nlattr *nest)
{
	bool has_dns = false;
	struct nlattr *a;
	uint8_t v;
	int rem, err;

	if (!sbxfw_nest_ok(nest))
		return bad_msg(d, "SBXFW_A_POLICY is not a nest of attributes");
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case SBXFW_POLICY_A_MODE:
			if (!get_u8(a, &v))
				return bad_msg(d,
					       "the mode has the wrong size");
			if (d->has_mode && v != d->spec->mode)
				return bad_msg(d, "the mode changes between "
						  "messages");
			d->spec->mode = v;
			d->has_mode = true;
			break;
		case SBXFW_POLICY_A_DEFAULT:
			if (!get_u8(a, &v))
				return bad_msg(d, "the default action has the "
						  "wrong size");
			if (d->has_default && v != d->spec->default_action)
				return bad_msg(d, "the default action changes "
						  "between messages");
			d->spec->default_action = v;
			d->has_default = true;
			break;
		case SBXFW_POLICY_A_INSIDE_DEV:
			if (!get_ifname(a) ||
			    sbxfw_spec_add_inside(d->spec, nla_data(a),
						  strlen(nla_data(a))))
				return bad_msg(d, "an inside device is not a "
						  "NUL-terminated name of at "
						  "most 15 bytes");
			break;
		case SBXFW_POLICY_A_DNS:
			/* First part only, as the module sends them. */
			if (d->messages != 1)
				return bad_msg(d, "the dns options come after "
						  "the first message");
			if (has_dns)
				return bad_msg(d, "the dns options are "
						  "repeated");
			has_dns = true;
			err = decode_dns(d, a);
			if (err)
				return err;
			break;
		case SBXFW_POLICY_A_RULE:
			if (!d->has_mode)
				return bad_msg(d, "rules come before the mode");
			err = decode_rule(d, a);
			if (err)
				return err;
			break;
		}
	}
	return 0;
}

int sbxfw_policy_decode(struct sbxfw_policy_decoder *d, struct nlmsghdr *nlh)
{
	struct nlattr *tb[SBXFW_A_MAX + 1];
	struct genlmsghdr *gnlh;
	uint64_t generation;

	d->why = NULL;
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad_msg(d, "a message is shorter than its headers");
	gnlh = nlmsg_data(nlh);
	if (!sbxfw_attrs_ok(genlmsg_attrdata(gnlh, 0),
			    genlmsg_attrlen(gnlh, 0)))
		return bad_msg(d, "a message ends inside an attribute");
	if (genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, NULL) < 0)
		return bad_msg(d, "malformed attributes");
	d->messages++;

	if (tb[SBXFW_A_GENERATION]) {
		if (!get_u64(tb[SBXFW_A_GENERATION], &generation))
			return bad_msg(d, "the generation has the wrong size");
		if (d->has_generation && generation != d->generation)
			return bad_msg(d, "the generation changes between "
					  "messages");
		d->generation = generation;
		d->has_generation = true;
	}
	if (tb[SBXFW_A_POLICY])
		return decode_policy(d, tb[SBXFW_A_POLICY]);
	return 0;
}

int sbxfw_policy_decode_end(struct sbxfw_policy_decoder *d)
{
	int bad_rule, err = 0;

	if (!d->messages) {
		d->why = "no policy";
		err = -ENODATA;
	} else if (!d->has_mode) {
		err = bad_msg(d, "no mode (SBXFW_POLICY_A_MODE)");
	} else if (!d->has_default && d->spec->mode == SBXFW_MODE_CUSTOM) {
		err = bad_msg(d, "no default action (SBXFW_POLICY_A_DEFAULT)");
	} else {
		if (!d->has_default)
			d->spec->default_action =
				d->spec->mode == SBXFW_MODE_ALLOW_ALL ?
					SBXFW_ACTION_ALLOW :
					SBXFW_ACTION_DENY;
		if (sbxfw_spec_check(d->spec, &d->why, &bad_rule))
			err = -EBADMSG;
	}
	if (err)
		sbxfw_spec_release(d->spec);
	return err;
}

int sbxfw_policy_info_parse(struct nlmsghdr *nlh,
			    struct sbxfw_policy_info *info, const char **why)
{
	struct nlattr *tb[SBXFW_A_MAX + 1];
	struct genlmsghdr *gnlh;
	bool has_mode = false;
	struct nlattr *a;
	uint32_t *count;
	int rem;

	memset(info, 0, sizeof(*info));
	*why = "a message is shorter than its headers";
	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	gnlh = nlmsg_data(nlh);
	*why = "malformed attributes";
	if (!sbxfw_attrs_ok(genlmsg_attrdata(gnlh, 0),
			    genlmsg_attrlen(gnlh, 0)) ||
	    genlmsg_parse(nlh, 0, tb, SBXFW_A_MAX, NULL) < 0)
		return -EBADMSG;

	*why = "no network namespace id (SBXFW_A_NETNS_ID) of 8 bytes";
	if (!tb[SBXFW_A_NETNS_ID] ||
	    !get_u64(tb[SBXFW_A_NETNS_ID], &info->netns_id))
		return -EBADMSG;
	*why = "no generation (SBXFW_A_GENERATION) of 8 bytes";
	if (!tb[SBXFW_A_GENERATION] ||
	    !get_u64(tb[SBXFW_A_GENERATION], &info->generation))
		return -EBADMSG;
	*why = "no policy (SBXFW_A_POLICY) nest";
	if (!tb[SBXFW_A_POLICY] || !sbxfw_nest_ok(tb[SBXFW_A_POLICY]))
		return -EBADMSG;

	nla_for_each_nested(a, tb[SBXFW_A_POLICY], rem) {
		count = NULL;
		switch (nla_type(a)) {
		case SBXFW_POLICY_A_MODE:
			*why = "the mode has the wrong size";
			if (!get_u8(a, &info->mode))
				return -EBADMSG;
			has_mode = true;
			break;
		case SBXFW_POLICY_A_DEFAULT:
			*why = "the default action has the wrong size";
			if (!get_u8(a, &info->default_action))
				return -EBADMSG;
			break;
		case SBXFW_POLICY_A_N_RULES:
			count = &info->rules;
			break;
		case SBXFW_POLICY_A_N_CIDRS4:
			count = &info->cidrs4;
			break;
		case SBXFW_POLICY_A_N_CIDRS6:
			count = &info->cidrs6;
			break;
		case SBXFW_POLICY_A_N_DOMAINS:
			count = &info->domains;
			break;
		case SBXFW_POLICY_A_N_FLOWS:
			count = &info->flows;
			break;
		case SBXFW_POLICY_A_FLOWS_REFUSED:
			*why = "a count has the wrong size";
			if (!get_u64(a, &info->flows_refused))
				return -EBADMSG;
			break;
		case SBXFW_POLICY_A_N_LEARNED:
			count = &info->learned;
			break;
		case SBXFW_POLICY_A_LEARNED_EVICTED:
			*why = "a count has the wrong size";
			if (!get_u64(a, &info->learned_evicted))
				return -EBADMSG;
			break;
		}
		*why = "a count has the wrong size";
		if (count && !get_u32(a, count))
			return -EBADMSG;
	}
	*why = "no mode (SBXFW_POLICY_A_MODE)";
	if (!has_mode)
		return -EBADMSG;
	*why = NULL;
	return 0;
}

int sbxfw_netns_put(struct nl_msg *msg, const struct sbxfw_netns *ns)
{
	int type = ns->by_pid ? SBXFW_A_NETNS_PID : SBXFW_A_NETNS_FD;

	if (nla_put_u32(msg, type, ns->id))
		return -ENOMEM;
	return 0;
}

struct set_ctx {
	uint64_t generation;
	bool has_generation;
	const char *why;
};

static int on_set_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SBXFW_A_MAX + 1];
	struct set_ctx *ctx = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SBXFW_A_MAX, NULL) < 0) {
		ctx->why = "malformed attributes";
		return -EBADMSG;
	}
	if (tb[SBXFW_A_GENERATION]) {
		if (!get_u64(tb[SBXFW_A_GENERATION], &ctx->generation)) {
			ctx->why = "the generation has the wrong size";
			return -EBADMSG;
		}
		ctx->has_generation = true;
	}
	return 0;
}

int sbxfw_policy_set(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		     const struct sbxfw_policy_spec *spec,
		     const uint64_t *expect, uint64_t *generation,
		     const char **why)
{
	struct set_ctx ctx = { 0 };
	struct sbxfw_msgs parts;
	const char *reason = NULL;
	size_t i;
	int err;

	err = sbxfw_policy_encode(spec, ns, expect, sbxfw_conn_family(conn),
				  SBXFW_SET_PART_MAX, &parts, &reason);
	for (i = 0; !err && i < parts.n; i++) {
		ctx.has_generation = false;
		err = sbxfw_request(conn, parts.msgs[i], on_set_reply, &ctx);
		reason = ctx.why;
	}
	sbxfw_msgs_free(&parts);
	if (!err && !ctx.has_generation) {
		reason = "no generation in the reply";
		err = -EBADMSG;
	}
	if (!err)
		*generation = ctx.generation;
	if (why)
		*why = err ? reason : NULL;
	return err;
}

static int on_get_reply(struct nl_msg *msg, void *arg)
{
	return sbxfw_policy_decode(arg, nlmsg_hdr(msg));
}

int sbxfw_policy_get(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
		     struct sbxfw_policy_spec *spec, uint64_t *generation,
		     const char **why)
{
	struct sbxfw_policy_decoder d;
	struct nl_msg *msg;
	int err;

	if (why)
		*why = NULL;
	sbxfw_policy_decoder_init(&d, spec);
	msg = sbxfw_msg_new(conn, SBXFW_CMD_POLICY_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_netns_put(msg, ns);
	if (!err)
		err = sbxfw_request(conn, msg, on_get_reply, &d);
	nlmsg_free(msg);

	if (!err) {
		err = sbxfw_policy_decode_end(&d);
	} else {
		sbxfw_spec_release(spec);
	}
	if (!err)
		*generation = d.generation;
	if (why && err && d.why)
		*why = d.why;
	return err;
}

int sbxfw_policy_delete(struct sbxfw_conn *conn, const struct sbxfw_netns *ns,
			const uint64_t *expect)
{
	struct nl_msg *msg;
	int err;

	msg = sbxfw_msg_new(conn, SBXFW_CMD_POLICY_DEL, 0);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_netns_put(msg, ns);
	if (!err && expect && nla_put_u64(msg, SBXFW_A_GENERATION, *expect))
		err = -ENOMEM;
	if (!err)
		err = sbxfw_request(conn, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}

struct list_ctx {
	struct sbxfw_policy_info *infos;
	size_t n;
	const char *why;
};

static int on_list_reply(struct nl_msg *msg, void *arg)
{
	struct list_ctx *ctx = arg;
	struct sbxfw_policy_info *grown;

	grown = realloc(ctx->infos, (ctx->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ctx->infos = grown;
	if (sbxfw_policy_info_parse(nlmsg_hdr(msg), &ctx->infos[ctx->n],
				    &ctx->why))
		return -EBADMSG;
	ctx->n++;
	return 0;
}

int sbxfw_policy_list(struct sbxfw_conn *conn, struct sbxfw_policy_info **infos,
		      size_t *n, const char **why)
{
	struct list_ctx ctx = { 0 };
	struct nl_msg *msg;
	int err;

	if (why)
		*why = NULL;
	msg = sbxfw_msg_new(conn, SBXFW_CMD_POLICY_LIST, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = sbxfw_request(conn, msg, on_list_reply, &ctx);
	nlmsg_free(msg);
	if (err) {
		free(ctx.infos);
		if (why && err == -EBADMSG)
			*why = ctx.why;
		return err;
	}
	*infos = ctx.infos;
	*n = ctx.n;
	return 0;
}
