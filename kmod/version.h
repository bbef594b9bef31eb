/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place the release version is written; the module, sbxfwctl and
 * dkms.conf (checked by the test suite) all use it.
 */
#ifndef _SBXFW_VERSION_H
#define _SBXFW_VERSION_H

#define SBXFW_VERSION "0.1.0"

#endif /* _SBXFW_VERSION_H */
