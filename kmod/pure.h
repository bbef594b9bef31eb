/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities sbxfw's pure files use (lpm.c, policy.c, and
 * the packet parsers), mapped onto libc outside the kernel, so the same
 * files are unit-tested, fuzzed and benchmarked natively. Nothing here may
 * sleep in the kernel build except the allocators, which only the control
 * plane calls.
 */
#ifndef _SBXFW_PURE_H
#define _SBXFW_PURE_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#include "compat.h"

#define sbxfw_alloc(size)		kvmalloc(size, GFP_KERNEL_ACCOUNT)
#define sbxfw_zalloc(size)		kvzalloc(size, GFP_KERNEL_ACCOUNT)
#define sbxfw_alloc_array(n, size)	kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT)
#define sbxfw_free(ptr)			kvfree(ptr)
#define sbxfw_sort(base, n, size, cmp)	sort(base, n, size, cmp, NULL)
#define sbxfw_ctz64(x)			__ffs64(x)

#else /* !__KERNEL__ */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define sbxfw_alloc(size)		malloc(size)
#define sbxfw_zalloc(size)		calloc(1, size)
#define sbxfw_free(ptr)			free(ptr)
#define sbxfw_sort(base, n, size, cmp)	qsort(base, n, size, cmp)
#define sbxfw_ctz64(x)			((unsigned int)__builtin_ctzll(x))

static inline void *sbxfw_alloc_array(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return malloc(n * size);
}

#define be32_to_cpu(x)	ntohl(x)

/* One load and a swap, as in the kernel, so that benchmarks compare. */
static inline u64 get_unaligned_be64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif /* __KERNEL__ */

#define SBXFW_FNV1A_SEED	2166136261U

/*
 * FNV-1a, for hash tables built from the policy (whose contents the
 * sandbox does not choose) and for tags compared in full anyway.
 */
static inline u32 sbxfw_fnv1a(u32 hash, const void *data, size_t len)
{
	const u8 *b = data;

	while (len--)
		hash = (hash ^ *b++) * 16777619U;
	return hash;
}

#endif /* _SBXFW_PURE_H */
