// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink connection: a libnl socket bound to one family, and
 * a request/answer loop that keeps the kernel's errno and extended ack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/sbxfw.h>

#include "libsbxfw.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct sbxfw_conn {
	struct nl_sock *sk;
	int family;
	char extack[SBXFW_EXTACK_MAX];
};

struct request {
	struct sbxfw_conn *conn;
	sbxfw_reply_fn fn;
	void *arg;
	int kernel_err;
	int reply_err;
	bool done;
};

/* libnl reports its own failures as NLE_* codes; callers get errnos. */
static int errno_from_nl(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
	case NLE_MSG_TRUNC:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOATTR:
	case NLE_MISSING_ATTR:
		return -ENODATA;
	case NLE_AF_MISMATCH:
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_MSG_OVERFLOW:
		return -ENOBUFS;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TOOSHORT:
	case NLE_MSGTYPE_NOSUPPORT:
	case NLE_ATTRSIZE:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

static int resolve(struct nl_sock *sk, const char *name, int *id)
{
	struct genl_family *family;
	struct nl_cache *cache;
	int err;

	/*
	 * A dump of the controller rather than genl_ctrl_resolve(): the
	 * latter reports every failure as "object not found", which would
	 * read as "module not loaded", and its by-name lookup may autoload
	 * the module.
	 */
	err = genl_ctrl_alloc_cache(sk, &cache);
	if (err < 0)
		return errno_from_nl(err);

	family = genl_ctrl_search_by_name(cache, name);
	if (family) {
		*id = genl_family_get_id(family);
		genl_family_put(family);
	}
	nl_cache_free(cache);
	return family ? 0 : -ENOENT;
}

int sbxfw_conn_open_family(struct sbxfw_conn **connp, const char *family)
{
	struct sbxfw_conn *conn;
	int one = 1;
	int err;

	conn = calloc(1, sizeof(*conn));
	if (!conn)
		return -ENOMEM;

	conn->sk = nl_socket_alloc();
	if (!conn->sk) {
		err = -ENOMEM;
		goto err_conn;
	}

	err = genl_connect(conn->sk);
	if (err < 0) {
		err = errno_from_nl(err);
		goto err_sock;
	}

	/*
	 * libnl 3.7 has no nl_socket_set_ext_ack(). A kernel without the
	 * option only costs us the message, so a failure is not an error.
	 * Nor is one of NETLINK_CAP_ACK, which spares us an echo of each
	 * refused request: parts of a policy are up to 60 KiB.
	 */
	(void)setsockopt(nl_socket_get_fd(conn->sk), SOL_NETLINK,
			 NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(conn->sk), SOL_NETLINK,
			 NETLINK_CAP_ACK, &one, sizeof(one));
	/* Dump messages may be larger than libnl's one-page buffer. */
	nl_socket_enable_msg_peek(conn->sk);

	err = resolve(conn->sk, family, &conn->family);
	if (err)
		goto err_sock;

	*connp = conn;
	return 0;

err_sock:
	nl_socket_free(conn->sk);
err_conn:
	free(conn);
	return err;
}

int sbxfw_conn_open(struct sbxfw_conn **connp)
{
	return sbxfw_conn_open_family(connp, SBXFW_GENL_NAME);
}

void sbxfw_conn_close(struct sbxfw_conn *conn)
{
	if (!conn)
		return;
	nl_socket_free(conn->sk);
	free(conn);
}

int sbxfw_conn_family(const struct sbxfw_conn *conn)
{
	return conn->family;
}

const char *sbxfw_conn_extack(const struct sbxfw_conn *conn)
{
	return conn->extack[0] ? conn->extack : NULL;
}

struct nl_msg *sbxfw_msg_new_id(int family, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;

	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 flags | NLM_F_REQUEST | NLM_F_ACK, cmd,
			 SBXFW_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *sbxfw_msg_new(struct sbxfw_conn *conn, uint8_t cmd, int flags)
{
	return sbxfw_msg_new_id(conn->family, cmd, flags);
}

int sbxfw_nlmsgerr_parse(struct nlmsghdr *nlh, char *extack, size_t len)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
		[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *e;
	int hdrlen = sizeof(*e);
	int err;

	if (len)
		extack[0] = '\0';

	if (!nlmsg_valid_hdr(nlh, sizeof(*e)))
		return -EBADMSG;

	e = nlmsg_data(nlh);
	err = e->error;
	if (err > 0 || err < -4095)
		err = -EPROTO;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !len)
		return err;

	/* The request comes back in full unless the ack was capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len > (uint32_t)nlmsg_datalen(nlh))
			return err;
		hdrlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}

	if (nlmsg_parse(nlh, hdrlen, tb, NLMSGERR_ATTR_MAX, policy) < 0)
		return err;

	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(extack, len, "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(extack, len, "missing attribute type %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	return err;
}

bool sbxfw_attrs_ok(struct nlattr *head, int len)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_attr(pos, head, len, rem) {
	}
	return rem <= 0;
}

bool sbxfw_nest_ok(struct nlattr *nest)
{
	return sbxfw_attrs_ok(nla_data(nest), nla_len(nest));
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	int err;

	if (!req->fn || req->reply_err)
		return NL_SKIP;

	err = req->fn(msg, req->arg);
	if (err < 0)
		req->reply_err = err;
	return NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh;

	(void)nla;
	/* libnl hands over the payload of the NLMSG_ERROR message. */
	nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	req->kernel_err = sbxfw_nlmsgerr_parse(nlh, req->conn->extack,
					       sizeof(req->conn->extack));
	if (!req->kernel_err)
		req->kernel_err = -EPROTO;
	req->done = true;
	return NL_STOP;
}

int sbxfw_request(struct sbxfw_conn *conn, struct nl_msg *req_msg,
		  sbxfw_reply_fn fn, void *arg)
{
	struct request req = { .conn = conn, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	conn->extack[0] = '\0';

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	err = nl_send_auto(conn->sk, req_msg);
	if (err < 0) {
		err = errno_from_nl(err);
		goto out;
	}

	err = 0;
	while (!req.done) {
		err = nl_recvmsgs(conn->sk, cb);
		if (req.kernel_err || err < 0)
			break;
	}

	if (req.kernel_err)
		err = req.kernel_err;
	else if (err < 0)
		err = errno_from_nl(err);
	else
		err = req.reply_err;
out:
	nl_cb_put(cb);
	return err;
}
