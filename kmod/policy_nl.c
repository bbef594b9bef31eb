// SPDX-License-Identifier: GPL-2.0
/*
 * The policy commands: set (in one or more parts), get, delete, list.
 *
 * Messages become a struct sbxfw_policy_spec in an upload (upload.c);
 * only a complete, checked and compiled policy is published (netns.c), so
 * a failure anywhere leaves the namespace's policy as it was. Get returns
 * the spec exactly as set, in the same rule format that set accepts.
 */
#include <linux/sbxfw.h>

#include "netlink.h"
#include "sbxfw.h"
#include "upload.h"

static int validate_array(const struct nlattr *attr, size_t size,
			  struct netlink_ext_ack *extack)
{
	if (nla_len(attr) && nla_len(attr) % size == 0)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "array length is not a multiple of its element");
	return -EINVAL;
}

static int validate_ports(const struct nlattr *attr,
			  struct netlink_ext_ack *extack)
{
	return validate_array(attr, sizeof(struct sbxfw_port_range), extack);
}

static int validate_cidrs4(const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	return validate_array(attr, sizeof(struct sbxfw_cidr4), extack);
}

static int validate_cidrs6(const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	return validate_array(attr, sizeof(struct sbxfw_cidr6), extack);
}

static const struct nla_policy rule_policy[SBXFW_RULE_A_MAX + 1] = {
	[SBXFW_RULE_A_INDEX] = NLA_POLICY_MAX(NLA_U32, SBXFW_MAX_RULES - 1),
	[SBXFW_RULE_A_ACTION] = NLA_POLICY_MAX(NLA_U8, SBXFW_ACTION_MAX),
	[SBXFW_RULE_A_DIRECTION] = NLA_POLICY_MAX(NLA_U8, SBXFW_DIR_MAX),
	[SBXFW_RULE_A_PROTOCOLS] = NLA_POLICY_MASK(NLA_U32, SBXFW_PROTO_F_ALL),
	[SBXFW_RULE_A_PORTS] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						      validate_ports),
	[SBXFW_RULE_A_PRESETS] = NLA_POLICY_MASK(NLA_U32, SBXFW_PRESET_F_ALL),
	[SBXFW_RULE_A_CIDRS4] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						       validate_cidrs4),
	[SBXFW_RULE_A_CIDRS6] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						       validate_cidrs6),
	[SBXFW_RULE_A_DOMAIN] = { .type = NLA_NUL_STRING,
				  .len = SBXFW_MAX_DOMAIN_LEN },
};

/*
 * Beyond what NLA_POLICY_RANGE's s16 bounds can say; not const, as 6.1's
 * struct nla_policy points to them without it.
 */
static struct netlink_range_validation min_ttl_range = {
	.min = 1, .max = 24 * 60 * 60,
};

static struct netlink_range_validation max_ttl_range = {
	.min = 1, .max = SBXFW_DNS_TTL_LIMIT,
};

static struct netlink_range_validation max_learned_range = {
	.min = 1, .max = SBXFW_DNS_MAX_LEARNED_LIMIT,
};

static const struct nla_policy dns_policy[SBXFW_DNS_A_MAX + 1] = {
	[SBXFW_DNS_A_MIN_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &min_ttl_range),
	[SBXFW_DNS_A_MAX_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &max_ttl_range),
	[SBXFW_DNS_A_MAX_LEARNED] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &max_learned_range),
	[SBXFW_DNS_A_ALLOW_REBINDING] = { .type = NLA_FLAG },
};

const struct nla_policy sbxfw_nl_policy_policy[SBXFW_POLICY_A_MAX + 1] = {
	[SBXFW_POLICY_A_MODE] = NLA_POLICY_MAX(NLA_U8, SBXFW_MODE_MAX),
	[SBXFW_POLICY_A_DEFAULT] = NLA_POLICY_MAX(NLA_U8, SBXFW_ACTION_MAX),
	[SBXFW_POLICY_A_RULE] = NLA_POLICY_NESTED(rule_policy),
	[SBXFW_POLICY_A_N_RULES] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_N_CIDRS4] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_N_CIDRS6] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_N_DOMAINS] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_N_FLOWS] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_FLOWS_REFUSED] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_N_LEARNED] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_LEARNED_EVICTED] = { .type = NLA_REJECT },
	[SBXFW_POLICY_A_INSIDE_DEV] = { .type = NLA_NUL_STRING,
					.len = SBXFW_IFNAMSIZ - 1 },
	[SBXFW_POLICY_A_DNS] = NLA_POLICY_NESTED(dns_policy),
};

/* extack messages from spec.c and policy.c are static sentences too. */
static void set_err(struct netlink_ext_ack *extack, const char *why)
{
	if (extack)
		extack->_msg = why;
}

/* Room for @more elements after @used, doubling, never beyond @limit. */
static int grow(void **array, u32 *cap, u32 used, u32 more, size_t size,
		u32 limit)
{
	u32 want = used + more, newcap;
	void *p;

	if (want <= *cap)
		return 0;
	if (want > limit)
		return -E2BIG;
	newcap = min(max3(want, *cap * 2, 16U), limit);
	p = kvmalloc_array(newcap, size, GFP_KERNEL_ACCOUNT);
	if (unlikely(!p))
		return -ENOMEM;
	if (used)
		memcpy(p, *array, used * size);
	kvfree(*array);
	*array = p;
	*cap = newcap;
	return 0;
}

static int append_cidrs(struct sbxfw_upload *up, u32 idx,
			const struct nlattr *attr, bool v6,
			struct netlink_ext_ack *extack)
{
	struct sbxfw_rule_spec *r = &up->spec.rules[idx];
	size_t size = v6 ? sizeof(*r->cidrs6) : sizeof(*r->cidrs4);
	u32 n = nla_len(attr) / size;
	void **array = v6 ? (void **)&r->cidrs6 : (void **)&r->cidrs4;
	u32 *used = v6 ? &r->ncidrs6 : &r->ncidrs4;
	int err;

	if (up->ncidrs + n > SBXFW_MAX_CIDRS) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "more than 1048576 CIDRs in one policy");
		return -E2BIG;
	}
	err = grow(array, v6 ? &up->cap6[idx] : &up->cap4[idx], *used, n, size,
		   SBXFW_MAX_CIDRS);
	if (err)
		return err;
	memcpy((u8 *)*array + *used * size, nla_data(attr), n * size);
	*used += n;
	up->ncidrs += n;
	return 0;
}

static int append_domain(struct sbxfw_upload *up, u32 idx,
			 const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	struct sbxfw_rule_spec *r = &up->spec.rules[idx];
	char *domain;
	int err;

	if (up->ndomains >= SBXFW_MAX_DOMAINS) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "more than 16384 domains in one policy");
		return -E2BIG;
	}
	err = grow((void **)&r->domains, &up->capd[idx], r->ndomains, 1,
		   sizeof(*r->domains), SBXFW_MAX_DOMAINS);
	if (err)
		return err;
	domain = nla_strdup(attr, GFP_KERNEL_ACCOUNT);
	if (unlikely(!domain))
		return -ENOMEM;
	r->domains[r->ndomains++] = domain;
	up->ndomains++;
	return 0;
}

static int rule_head(struct sbxfw_rule_spec *r, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *ports = tb[SBXFW_RULE_A_PORTS];

	if (!tb[SBXFW_RULE_A_ACTION]) {
		NL_SET_ERR_MSG(extack, "a rule has no action");
		return -EINVAL;
	}
	r->action = nla_get_u8(tb[SBXFW_RULE_A_ACTION]);
	if (tb[SBXFW_RULE_A_DIRECTION])
		r->direction = nla_get_u8(tb[SBXFW_RULE_A_DIRECTION]);
	if (tb[SBXFW_RULE_A_PROTOCOLS])
		r->protocols = nla_get_u32(tb[SBXFW_RULE_A_PROTOCOLS]);
	if (tb[SBXFW_RULE_A_PRESETS])
		r->presets = nla_get_u32(tb[SBXFW_RULE_A_PRESETS]);
	if (!ports)
		return 0;
	r->nports = nla_len(ports) / sizeof(*r->ports);
	if (r->nports > SBXFW_MAX_PORT_RANGES) {
		NL_SET_ERR_MSG_ATTR(extack, ports,
				    "more than 64 port ranges in a rule");
		return -E2BIG;
	}
	r->ports = kvmalloc(nla_len(ports), GFP_KERNEL_ACCOUNT);
	if (unlikely(!r->ports))
		return -ENOMEM;
	memcpy(r->ports, nla_data(ports), nla_len(ports));
	return 0;
}

static bool has_rule_head(struct nlattr **tb)
{
	return tb[SBXFW_RULE_A_ACTION] || tb[SBXFW_RULE_A_DIRECTION] ||
	       tb[SBXFW_RULE_A_PROTOCOLS] || tb[SBXFW_RULE_A_PORTS] ||
	       tb[SBXFW_RULE_A_PRESETS];
}

/*
 * One rule of a part. In the first part rules come in order with their
 * scalar fields; later parts only add lists to rules named by index.
 */
static int parse_rule(struct sbxfw_upload *up, const struct nlattr *nest,
		      bool cont, u32 *pos, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SBXFW_RULE_A_MAX + 1], *attr;
	u32 idx = *pos;
	int err, rem;

	err = nla_parse_nested(tb, SBXFW_RULE_A_MAX, nest, rule_policy, extack);
	if (err)
		return err;
	if (tb[SBXFW_RULE_A_INDEX])
		idx = nla_get_u32(tb[SBXFW_RULE_A_INDEX]);
	else if (cont)
		goto err_index;
	if ((!cont && idx != *pos) || idx >= up->spec.nrules)
		goto err_index;
	(*pos)++;

	if (cont && has_rule_head(tb)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a continuation part only adds CIDRs and domains to rules");
		return -EINVAL;
	}
	if (!cont) {
		err = rule_head(&up->spec.rules[idx], tb, extack);
		if (err)
			return err;
	}

	nla_for_each_nested(attr, nest, rem) {
		switch (nla_type(attr)) {
		case SBXFW_RULE_A_CIDRS4:
		case SBXFW_RULE_A_CIDRS6:
			err = append_cidrs(up, idx, attr,
					   nla_type(attr) == SBXFW_RULE_A_CIDRS6,
					   extack);
			break;
		case SBXFW_RULE_A_DOMAIN:
			err = append_domain(up, idx, attr, extack);
			break;
		default:
			err = 0;
		}
		if (err)
			return err;
	}
	return 0;

err_index:
	NL_SET_ERR_MSG_ATTR(extack, nest,
			    "rule index missing, out of order or beyond the policy's rules");
	return -EINVAL;
}

/* The inside devices, copied NUL-padded; checked with the whole spec. */
static int parse_inside(struct sbxfw_policy_spec *spec,
			const struct nlattr *nest, struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	u32 n = 0;
	int rem;

	nla_for_each_nested(attr, nest, rem)
		if (nla_type(attr) == SBXFW_POLICY_A_INSIDE_DEV)
			n++;
	if (!n)
		return 0;
	if (n > SBXFW_MAX_INSIDE_DEVS) {
		NL_SET_ERR_MSG(extack, "a policy names at most 8 inside devices");
		return -E2BIG;
	}
	spec->inside = kcalloc(n, sizeof(*spec->inside), GFP_KERNEL_ACCOUNT);
	if (unlikely(!spec->inside))
		return -ENOMEM;
	nla_for_each_nested(attr, nest, rem)
		if (nla_type(attr) == SBXFW_POLICY_A_INSIDE_DEV)
			nla_strscpy(spec->inside[spec->ninside++], attr,
				    SBXFW_IFNAMSIZ);
	return 0;
}

static int parse_dns(struct sbxfw_dns_options *dns, const struct nlattr *nest,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SBXFW_DNS_A_MAX + 1];
	int err;

	if (!nest)
		return 0;
	err = nla_parse_nested(tb, SBXFW_DNS_A_MAX, nest, dns_policy, extack);
	if (err)
		return err;
	if (tb[SBXFW_DNS_A_MIN_TTL])
		dns->min_ttl = nla_get_u32(tb[SBXFW_DNS_A_MIN_TTL]);
	if (tb[SBXFW_DNS_A_MAX_TTL])
		dns->max_ttl = nla_get_u32(tb[SBXFW_DNS_A_MAX_TTL]);
	if (tb[SBXFW_DNS_A_MAX_LEARNED])
		dns->max_learned = nla_get_u32(tb[SBXFW_DNS_A_MAX_LEARNED]);
	dns->allow_rebinding = nla_get_flag(tb[SBXFW_DNS_A_ALLOW_REBINDING]);
	return 0;
}

static int put_dns(struct sk_buff *skb, const struct sbxfw_dns_options *dns)
{
	struct nlattr *nest;

	if (!dns->min_ttl && !dns->max_ttl && !dns->max_learned &&
	    !dns->allow_rebinding)
		return 0;
	nest = nla_nest_start(skb, SBXFW_POLICY_A_DNS);
	if (!nest ||
	    (dns->min_ttl &&
	     nla_put_u32(skb, SBXFW_DNS_A_MIN_TTL, dns->min_ttl)) ||
	    (dns->max_ttl &&
	     nla_put_u32(skb, SBXFW_DNS_A_MAX_TTL, dns->max_ttl)) ||
	    (dns->max_learned &&
	     nla_put_u32(skb, SBXFW_DNS_A_MAX_LEARNED, dns->max_learned)) ||
	    (dns->allow_rebinding &&
	     nla_put_flag(skb, SBXFW_DNS_A_ALLOW_REBINDING)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int parse_policy(struct sbxfw_upload *up, const struct nlattr *nest,
			bool cont, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SBXFW_POLICY_A_MAX + 1], *attr;
	struct sbxfw_policy_spec *spec = &up->spec;
	u32 nrules = 0, pos = 0;
	int err, rem;

	err = nla_parse_nested(tb, SBXFW_POLICY_A_MAX, nest,
			       sbxfw_nl_policy_policy, extack);
	if (err)
		return err;

	if (cont && (tb[SBXFW_POLICY_A_MODE] || tb[SBXFW_POLICY_A_DEFAULT] ||
		     tb[SBXFW_POLICY_A_INSIDE_DEV] || tb[SBXFW_POLICY_A_DNS])) {
		NL_SET_ERR_MSG(extack,
			       "a continuation part cannot change mode, default, inside devices or dns options");
		return -EINVAL;
	}
	if (!cont) {
		if (!tb[SBXFW_POLICY_A_MODE]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "the policy has no mode");
			return -EINVAL;
		}
		spec->mode = nla_get_u8(tb[SBXFW_POLICY_A_MODE]);
		spec->default_action = SBXFW_ACTION_DENY;
		if (tb[SBXFW_POLICY_A_DEFAULT])
			spec->default_action =
				nla_get_u8(tb[SBXFW_POLICY_A_DEFAULT]);

		nla_for_each_nested(attr, nest, rem)
			if (nla_type(attr) == SBXFW_POLICY_A_RULE)
				nrules++;
		if (nrules > SBXFW_MAX_RULES) {
			NL_SET_ERR_MSG(extack, "more than 256 rules in one policy");
			return -E2BIG;
		}
		err = parse_inside(spec, nest, extack);
		if (err)
			return err;
		err = parse_dns(&spec->dns, tb[SBXFW_POLICY_A_DNS], extack);
		if (err)
			return err;
		if (nrules) {
			spec->rules = kvcalloc(nrules, sizeof(*spec->rules),
					       GFP_KERNEL_ACCOUNT);
			if (unlikely(!spec->rules))
				return -ENOMEM;
		}
		spec->nrules = nrules;
	}

	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != SBXFW_POLICY_A_RULE)
			continue;
		err = parse_rule(up, attr, cont, &pos, extack);
		if (err)
			return err;
	}
	return 0;
}

static int reply_generation(struct genl_info *info, u64 generation)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (unlikely(!msg))
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sbxfw_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u64_64bit(msg, SBXFW_A_GENERATION, generation,
				      SBXFW_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static bool generation_matches(struct sbxfw_net *sn, struct nlattr *expected,
			       struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&sn->lock);
	if (!expected || nla_get_u64(expected) == sn->generation)
		return true;
	NL_SET_ERR_MSG_ATTR(extack, expected,
			    "the policy changed: its generation is not the expected one");
	return false;
}

/* Compiles the complete upload and makes it the netns's policy. */
static int commit(struct net *net, struct sbxfw_upload *up,
		  struct genl_info *info)
{
	struct sbxfw_net *sn = sbxfw_pernet(net);
	struct sbxfw_policy *policy;
	const char *why = NULL;
	u64 generation;
	int err;

	err = sbxfw_policy_compile(&up->spec, &policy, &why);
	if (err) {
		set_err(info->extack, why);
		return err;
	}

	mutex_lock(&sn->lock);
	if (up->check_generation && up->generation != sn->generation) {
		NL_SET_ERR_MSG(info->extack,
			       "the policy changed: its generation is not the expected one");
		err = -ESTALE;
	} else {
		err = sbxfw_publish(net, policy);
	}
	generation = sn->generation;
	mutex_unlock(&sn->lock);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG(info->extack,
			       "the netns holds a device whose frames sbxfw cannot judge (physical, or stacked on a device in another netns); see the kernel log");
	if (err) {
		sbxfw_policy_free(policy);
		return err;
	}
	return reply_generation(info, generation);
}

int sbxfw_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct sbxfw_upload *up = NULL;
	u32 flags = 0;
	struct net *net;
	bool cont;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SBXFW_A_POLICY))
		return -EINVAL;
	if (attrs[SBXFW_A_SET_FLAGS])
		flags = nla_get_u32(attrs[SBXFW_A_SET_FLAGS]);
	cont = flags & SBXFW_SET_F_CONTINUE;

	net = sbxfw_nl_target(attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);

	sbxfw_upload_lock();
	if (cont) {
		up = sbxfw_upload_find(net, info->snd_portid);
		err = up ? 0 : -ENOENT;
		if (!up)
			NL_SET_ERR_MSG(info->extack,
				       "no policy upload from this socket to continue");
	} else {
		err = sbxfw_upload_begin(net, info->snd_portid, &up);
		if (err == -EBUSY)
			NL_SET_ERR_MSG(info->extack,
				       "another socket is uploading a policy to this netns");
	}
	if (err)
		goto out;
	if (!cont && attrs[SBXFW_A_GENERATION]) {
		up->check_generation = true;
		up->generation = nla_get_u64(attrs[SBXFW_A_GENERATION]);
	}

	err = parse_policy(up, attrs[SBXFW_A_POLICY], cont, info->extack);
	if (err || (flags & SBXFW_SET_F_MORE))
		goto out;
	err = commit(net, up, info);
	sbxfw_upload_free(up);
	up = NULL;
out:
	if (err && up)
		sbxfw_upload_free(up);
	sbxfw_upload_unlock();
	put_net(net);
	return err;
}

int sbxfw_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sbxfw_net *sn;
	u64 generation;
	struct net *net;
	int err;

	net = sbxfw_nl_target(info->attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	sn = sbxfw_pernet(net);
	mutex_lock(&sn->lock);
	if (!generation_matches(sn, info->attrs[SBXFW_A_GENERATION],
				info->extack)) {
		err = -ESTALE;
	} else {
		err = sbxfw_unpublish(net);
		if (err == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "the netns has no policy");
	}
	generation = sn->generation;
	mutex_unlock(&sn->lock);
	put_net(net);
	return err ? err : reply_generation(info, generation);
}

/*
 * Get: cb->args hold the policy being dumped (a reference, so the dump is
 * one consistent snapshot), the rule, the list within the rule and the
 * position within the list. NLM_F_DUMP_INTR tells the reader that the
 * netns's policy changed while it read.
 */
enum get_list { LIST_CIDRS4, LIST_CIDRS6, LIST_DOMAINS, LIST_DONE };

struct get_cursor {
	struct sbxfw_active *active;
	struct net *net;
	bool header_done;
	u32 rule;
	u32 list;
	u32 pos;
};

static struct get_cursor *get_cursor(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct get_cursor) > sizeof(cb->ctx));
	return (struct get_cursor *)cb->ctx;
}

int sbxfw_nl_policy_get_start(struct netlink_callback *cb)
{
	struct get_cursor *cur = get_cursor(cb);
	struct net *net = sbxfw_nl_dump_target(cb);

	if (IS_ERR(net))
		return PTR_ERR(net);
	memset(cur, 0, sizeof(*cur));
	cur->active = sbxfw_active_get(net);
	if (!cur->active) {
		put_net(net);
		NL_SET_ERR_MSG(cb->extack, "the netns has no policy");
		return -ENOENT;
	}
	cur->net = net;
	return 0;
}

int sbxfw_nl_policy_get_done(struct netlink_callback *cb)
{
	struct get_cursor *cur = get_cursor(cb);

	sbxfw_active_put(cur->active);
	if (cur->net)
		put_net(cur->net);
	return 0;
}

static int put_rule_head(struct sk_buff *skb, const struct sbxfw_rule_spec *r)
{
	if (nla_put_u8(skb, SBXFW_RULE_A_ACTION, r->action) ||
	    nla_put_u8(skb, SBXFW_RULE_A_DIRECTION, r->direction) ||
	    nla_put_u32(skb, SBXFW_RULE_A_PROTOCOLS, r->protocols) ||
	    nla_put_u32(skb, SBXFW_RULE_A_PRESETS, r->presets))
		return -EMSGSIZE;
	if (r->nports && nla_put(skb, SBXFW_RULE_A_PORTS,
				 r->nports * sizeof(*r->ports), r->ports))
		return -EMSGSIZE;
	return 0;
}

/* As many of a list's elements as fit; 0 when at least one did. */
static int put_list(struct sk_buff *skb, const struct sbxfw_rule_spec *r,
		    struct get_cursor *cur)
{
	const int overhead = NLA_HDRLEN + NLA_ALIGNTO + 64;
	const void *base;
	size_t size;
	u32 n, room;

	if (cur->list == LIST_DOMAINS) {
		if (nla_put_string(skb, SBXFW_RULE_A_DOMAIN,
				   r->domains[cur->pos]))
			return -EMSGSIZE;
		cur->pos++;
		return 0;
	}
	if (cur->list == LIST_CIDRS4) {
		base = r->cidrs4;
		size = sizeof(*r->cidrs4);
		n = r->ncidrs4;
	} else {
		base = r->cidrs6;
		size = sizeof(*r->cidrs6);
		n = r->ncidrs6;
	}
	room = skb_tailroom(skb) > overhead ?
	       (skb_tailroom(skb) - overhead) / size : 0;
	n = min3(n - cur->pos, room, (u32)(U16_MAX - NLA_HDRLEN) / (u32)size);
	if (!n)
		return -EMSGSIZE;
	if (nla_put(skb, cur->list == LIST_CIDRS4 ? SBXFW_RULE_A_CIDRS4 :
						   SBXFW_RULE_A_CIDRS6,
		    n * size, (const u8 *)base + cur->pos * size))
		return -EMSGSIZE;
	cur->pos += n;
	return 0;
}

static u32 list_len(const struct sbxfw_rule_spec *r, u32 list)
{
	switch (list) {
	case LIST_CIDRS4:
		return r->ncidrs4;
	case LIST_CIDRS6:
		return r->ncidrs6;
	case LIST_DOMAINS:
		return r->ndomains;
	default:
		return 0;
	}
}

/* One message: the next rule's head or more of its lists. */
static int put_rule_part(struct sk_buff *skb, const struct sbxfw_policy_spec *spec,
			 struct get_cursor *cur)
{
	const struct sbxfw_rule_spec *r = &spec->rules[cur->rule];
	struct nlattr *policy, *rule;
	bool progress = false;

	policy = nla_nest_start(skb, SBXFW_A_POLICY);
	if (!policy)
		return -EMSGSIZE;
	rule = nla_nest_start(skb, SBXFW_POLICY_A_RULE);
	if (!rule || nla_put_u32(skb, SBXFW_RULE_A_INDEX, cur->rule))
		return -EMSGSIZE;
	if (cur->list == LIST_CIDRS4 && cur->pos == 0) {
		if (put_rule_head(skb, r))
			return -EMSGSIZE;
		progress = true;
	}
	while (cur->list != LIST_DONE) {
		if (cur->pos >= list_len(r, cur->list)) {
			cur->list++;
			cur->pos = 0;
			continue;
		}
		if (put_list(skb, r, cur))
			break;
		progress = true;
	}
	if (!progress)
		return -EMSGSIZE;
	nla_nest_end(skb, rule);
	nla_nest_end(skb, policy);
	if (cur->list == LIST_DONE) {
		cur->rule++;
		cur->list = LIST_CIDRS4;
		cur->pos = 0;
	}
	return 0;
}

static int put_inside(struct sk_buff *skb, const struct sbxfw_policy_spec *spec)
{
	u32 i;

	for (i = 0; i < spec->ninside; i++)
		if (nla_put_string(skb, SBXFW_POLICY_A_INSIDE_DEV,
				   spec->inside[i]))
			return -EMSGSIZE;
	return 0;
}

int sbxfw_nl_policy_get_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct get_cursor *cur = get_cursor(cb);
	const struct sbxfw_policy_spec *spec = &cur->active->policy->spec;
	struct sbxfw_net *sn = sbxfw_pernet(cur->net);
	struct nlattr *policy;
	void *hdr;

	cb->seq = READ_ONCE(sn->generation);
	while (!cur->header_done || cur->rule < spec->nrules) {
		struct get_cursor saved = *cur;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &sbxfw_genl_family,
				  NLM_F_MULTI, SBXFW_CMD_POLICY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (!cur->header_done) {
			if (nla_put_u64_64bit(skb, SBXFW_A_GENERATION,
					      cur->active->generation,
					      SBXFW_A_PAD))
				goto full;
			policy = nla_nest_start(skb, SBXFW_A_POLICY);
			if (!policy ||
			    nla_put_u8(skb, SBXFW_POLICY_A_MODE, spec->mode) ||
			    nla_put_u8(skb, SBXFW_POLICY_A_DEFAULT,
				       spec->default_action) ||
			    put_inside(skb, spec) || put_dns(skb, &spec->dns))
				goto full;
			nla_nest_end(skb, policy);
			cur->header_done = true;
		} else if (put_rule_part(skb, spec, cur)) {
			goto full;
		}
		genlmsg_end(skb, hdr);
		continue;
full:
		genlmsg_cancel(skb, hdr);
		*cur = saved;
		break;
	}
	return skb->len;
}

static void policy_counts(const struct sbxfw_policy_spec *spec, u32 *n4,
			  u32 *n6, u32 *nd)
{
	u32 i;

	*n4 = 0;
	*n6 = 0;
	*nd = 0;
	for (i = 0; i < spec->nrules; i++) {
		*n4 += spec->rules[i].ncidrs4;
		*n6 += spec->rules[i].ncidrs6;
		*nd += spec->rules[i].ndomains;
	}
}

static int put_summary(struct sk_buff *skb, struct net *net,
		       const struct sbxfw_active *active)
{
	const struct sbxfw_policy_spec *spec = &active->policy->spec;
	const struct sbxfw_learned *learned;
	const struct sbxfw_flows *flows;
	struct nlattr *policy;
	u32 n4, n6, nd;

	policy_counts(spec, &n4, &n6, &nd);
	flows = rcu_dereference(sbxfw_pernet(net)->flows);
	learned = rcu_dereference(sbxfw_pernet(net)->learned);
	if (nla_put_u64_64bit(skb, SBXFW_A_NETNS_ID, net->ns.inum,
			      SBXFW_A_PAD) ||
	    nla_put_u64_64bit(skb, SBXFW_A_GENERATION, active->generation,
			      SBXFW_A_PAD))
		return -EMSGSIZE;
	policy = nla_nest_start(skb, SBXFW_A_POLICY);
	if (!policy ||
	    nla_put_u8(skb, SBXFW_POLICY_A_MODE, spec->mode) ||
	    nla_put_u8(skb, SBXFW_POLICY_A_DEFAULT, spec->default_action) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_RULES, spec->nrules) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_CIDRS4, n4) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_CIDRS6, n6) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_DOMAINS, nd) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_FLOWS, sbxfw_flows_count(flows)) ||
	    nla_put_u64_64bit(skb, SBXFW_POLICY_A_FLOWS_REFUSED,
			      sbxfw_flows_refused(flows), SBXFW_POLICY_A_PAD) ||
	    nla_put_u32(skb, SBXFW_POLICY_A_N_LEARNED,
			sbxfw_learned_count(learned)) ||
	    nla_put_u64_64bit(skb, SBXFW_POLICY_A_LEARNED_EVICTED,
			      sbxfw_learned_evicted(learned),
			      SBXFW_POLICY_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, policy);
	return 0;
}

/* List: cb->args[0] counts the namespaces with a policy already sent. */
int sbxfw_nl_policy_list_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	long skip = cb->args[0], idx = 0;
	struct sbxfw_active *active;
	struct net *net;
	void *hdr;

	cb->seq = sbxfw_changes();
	rcu_read_lock();
	for_each_net_rcu(net) {
		active = rcu_dereference(sbxfw_pernet(net)->active);
		if (!active || idx++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &sbxfw_genl_family,
				  NLM_F_MULTI, SBXFW_CMD_POLICY_LIST);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_summary(skb, net, active)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
	rcu_read_unlock();
	return skb->len;
}
