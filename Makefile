# SPDX-License-Identifier: GPL-2.0
#
# make            module for KDIR and sbxfwctl
# make check      every test: unit tests, fuzzers, static checks, both test
#                 kernels in QEMU, and a part under the debug kernel if built
# make check-debug  KUnit and the kselftests under a KASAN/lockdep/kmemleak kernel
# make demo       the product working in a QEMU VM
# make bench-lookup  lookup microbenchmark (native), results in build/bench
# make bench-datapath  sbxfw against nftables and no filter in a QEMU VM (icount)
# make bench      both, one after the other
# make KDIR=...   the module for any kernel build directory

VERSION := $(shell sed -n 's/^\#define SBXFW_VERSION "\(.*\)"/\1/p' kmod/version.h)

# The running kernel's build directory, else the newest installed test
# kernel's headers (this machine's own kernel cannot load modules at all).
KVER ?= $(shell uname -r)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) \
		    $(shell selftests/vm/kernels.sh --build-dirs 2>/dev/null))

PREFIX ?= /usr/local

all: module userspace

module:
	@test -n "$(KDIR)" || { echo "no kernel build directory: install linux-headers or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

# sparse over the module (C=2 checks every file, not only rebuilt ones).
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CHECK=sparse modules

check:
	selftests/run.sh

# Builds the debug kernel once (cached outside the checkout), then runs
# KUnit and the kselftests under it; slow (see docs/testing.md).
check-debug:
	selftests/run.sh --debug

demo:
	selftests/vm/demo.sh

# Lookup microbenchmark, natively (no VM); results in build/bench/.
bench-lookup:
	selftests/bench/run-lookup.sh

# Per-packet cost against nftables and no filter, in one VM boot; results in
# build/bench/ (selftests/bench/run-datapath.sh -k KVER for another kernel).
bench-datapath:
	selftests/bench/run-datapath.sh

bench:
	$(MAKE) bench-lookup
	$(MAKE) bench-datapath

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX)

dkms-install:
	rm -rf /usr/src/sbxfw-$(VERSION)
	mkdir -p /usr/src/sbxfw-$(VERSION)
	cp -r Kbuild Makefile dkms.conf kmod uapi /usr/src/sbxfw-$(VERSION)/
	dkms install -m sbxfw -v $(VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -rf build

.PHONY: all module userspace sparse check check-debug demo bench-lookup bench-datapath bench install \
	dkms-install clean
