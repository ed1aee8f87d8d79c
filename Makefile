# SPDX-License-Identifier: GPL-2.0
#
# dsmil top-level Makefile: a thin driver around Kbuild and the scripts in
# scripts/ and tests/.  Everything kernel-specific happens in one Kbuild pass
# (modules/Kbuild) run inside build/<kernel release>/, a symlink farm of the
# sources, so builds for several kernels can coexist.

VERSION_STR := $(shell cat $(CURDIR)/VERSION)

# Target kernel: KDIR wins over KVER, KVER over the running kernel.  DKMS
# appends KERNELRELEASE= to plain "make"; accept it as a synonym for KVER.
ifneq ($(KDIR),)
  KVER := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
else
  ifneq ($(KERNELRELEASE),)
    KVER ?= $(KERNELRELEASE)
  endif
  KVER ?= $(shell uname -r)
  KDIR := /lib/modules/$(KVER)/build
  # A kernel whose headers are in a chroot of its Debian release, made by
  # "scripts/kernel headers" (5.10 and 7.x, built by their own compiler;
  # the -rt and -cloud flavours): KDIR is the path there, KROOT the chroot,
  # and the compiling commands run inside through KRUN (the checkout is
  # mounted at the same path).
  ifeq ($(wildcard $(KDIR)/Makefile),)
    KROOT := $(shell $(CURDIR)/scripts/kernel root $(KVER) 2>/dev/null)
  endif
  ifneq ($(KROOT),)
    KDIR := /usr/src/linux-headers-$(KVER)
    KRUN := $(CURDIR)/scripts/kernel exec $(KVER)
  endif
endif

RELEASE ?= 0
W ?= 1
# Release objects live apart from debug ones so both can coexist.
BUILD_DIR := $(CURDIR)/build/$(KVER)$(if $(filter 1,$(RELEASE)),-release)
COMPAT_DIR := $(BUILD_DIR)/compat

KBUILD_ARGS := -C $(KDIR) W=$(W) \
	DSMIL_TOP=$(BUILD_DIR) DSMIL_COMPAT_DIR=$(COMPAT_DIR) \
	DSMIL_VERSION=$(VERSION_STR) DSMIL_RELEASE=$(RELEASE) \
	DSMIL_WERROR=$(WERROR)

.PHONY: all modules samples test-modules tools compat tree kdir-check clean \
	check check-full check-debug check-fresh crash-soak demo bench deps help \
	xfstests

all: modules

help:
	@echo "dsmil $(VERSION_STR)"
	@echo "  make [KVER=release | KDIR=path] [RELEASE=1] [V=1]  build the modules"
	@echo "  make samples      build samples/ (the module template)"
	@echo "  make tools        build libdsmil and dsmilctl into build/tools/"
	@echo "  make check        full test suite (kernel matrix 5.10 to 7.x, VM tests)"
	@echo "  make check-full   make check with every VM case on every kernel line"
	@echo "  make check-debug  the VM tests, KUnit and fault injection on a debug kernel"
	@echo "  make check-fresh  make demo, make check in a brand-new debootstrap root, as"
	@echo "                    a new user would (root; DSMIL_FRESH_KERNELS, default 6.12)"
	@echo "  make crash-soak   VexFS crash test with 200 kills (DSMIL_CRASH_CYCLES,"
	@echo "                    DSMIL_CRASH_KERNELS: default 6.12; debug)"
	@echo "  make demo         boot a kernel with the suite and show it working"
	@echo "  make bench        benchmarks: build/bench/results.{md,png}"
	@echo "  make xfstests XFSTESTS_SRC=path [XFSTESTS_FS=\"vexfs vexfs-fuse ext2 ext4\"]"
	@echo "                    [XFSTESTS_TESTS=\"generic/001 ...\" | @ci] [XFSTESTS_KVER=release]"
	@echo "                    [XFSTESTS_JOBS=N] (N guests at once, each a share of every list)"
	@echo "                    xfstests on vexfs.ko, vexfs-fuse, ext2 and ext4 in one"
	@echo "                    guest: build/xfstests/summary.{tsv,md}"
	@echo "  make deps         install (as root) or list the build/test packages"
	@echo "  make deb          Debian packages (dsmil-dkms, dsmil-utils, libdsmil1,"
	@echo "                    libdsmil-dev) in build/pkg/ (PKG_OUT=dir)"
	@echo "  make rpm          RPM packages (dsmil-dkms, dsmil-utils, dsmil-libs,"
	@echo "                    dsmil-devel) in build/pkg/ (PKG_OUT=dir)"
	@echo "  make dkms-install [KVER=release]  register this checkout with DKMS,"
	@echo "                    build and install it (root)"
	@echo "  make dkms-remove  undo dkms-install (root)"
	@echo "  make dkms.conf    regenerate dkms.conf (modules/Kbuild, VERSION, KERNEL_RANGE)"
	@echo "  make modprobe-conf [KVER=release]  regenerate etc/modprobe.d/dsmil.conf"
	@echo "  make clean        remove build/"

kdir-check:
	@test -f "$(KROOT)$(KDIR)/Makefile" || { \
	  echo "dsmil: no kernel build tree at $(KDIR) (kernel $(KVER));" \
	       "run scripts/kernel headers $(KVER) or pass KVER=/KDIR=" >&2; exit 1; }

# Preflight (scripts/need-tools): the commands a target needs are checked
# before it starts, and one line names the missing ones and the packages to
# install.  "command -v" and file tests only, no apt or dpkg query.  A DKMS
# tree has no scripts/need-tools: its packages' dependencies stand for it.
NEED_TOOLS := $(wildcard $(CURDIR)/scripts/need-tools)
PREFLIGHT := preflight-modules preflight-tools preflight-deb preflight-rpm \
	preflight-dkms-install preflight-check preflight-demo preflight-bench
.PHONY: $(PREFLIGHT)
$(PREFLIGHT): preflight-%:
	@$(if $(NEED_TOOLS),$(NEED_TOOLS) --kdir "$(KROOT)$(KDIR)" \
		$(if $(KROOT),--chroot) --w "$(W)" $*,:)
preflight-modules: kdir-check

tree: kdir-check preflight-modules
	@$(CURDIR)/scripts/mktree $(CURDIR) $(BUILD_DIR)

compat: tree
	@$(KRUN) $(CURDIR)/scripts/compat-probe $(KDIR) $(COMPAT_DIR) \
		$(CURDIR)/modules/compat/probes

modules: compat
	$(KRUN) $(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/modules modules
	@touch $(BUILD_DIR)/modules/Module.symvers  # even for an empty pass
	@$(CURDIR)/scripts/ko-check --kdir $(KROOT)$(KDIR) --order $(BUILD_DIR)/modules

samples: modules
	$(KRUN) $(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/samples \
		KBUILD_EXTRA_SYMBOLS=$(BUILD_DIR)/modules/Module.symvers modules
	@$(CURDIR)/scripts/ko-check --kdir $(KROOT)$(KDIR) \
		--symvers $(BUILD_DIR)/modules/Module.symvers \
		--order $(BUILD_DIR)/samples

# Test-only modules (tests/kmod/): never shipped, built like samples.
test-modules: modules
	@if [ -f $(CURDIR)/tests/kmod/Kbuild ]; then \
	  $(KRUN) $(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/tests/kmod \
		KBUILD_EXTRA_SYMBOLS=$(BUILD_DIR)/modules/Module.symvers modules && \
	  $(CURDIR)/scripts/ko-check --kdir $(KROOT)$(KDIR) --quiet \
		--symvers $(BUILD_DIR)/modules/Module.symvers \
		--order $(BUILD_DIR)/tests/kmod; \
	fi

# Userspace (tools/Makefile): libdsmil, dsmilctl and the test programs.
tools: preflight-tools
	$(MAKE) -C $(CURDIR)/tools

check: preflight-check
	@$(CURDIR)/scripts/check

# Every VM case and the crash test on every kernel line (for a release).
check-full: preflight-check
	@DSMIL_CHECK_FULL=1 $(CURDIR)/scripts/check

# VexFS crash consistency with many kills (scripts/crash-soak):
# DSMIL_CRASH_CYCLES (200) on each of DSMIL_CRASH_KERNELS ("6.12"; "debug").
crash-soak: preflight-check
	@$(CURDIR)/scripts/crash-soak

# The debug kernel leg (KASAN, lockdep, kmemleak, fault injection, KUnit);
# also a step of "make check" unless DSMIL_SKIP_DEBUG=1.
check-debug:
	@$(CURDIR)/tests/debug/run

# The README's "make demo" and "make check" on a fresh machine: a new
# debootstrap'ed bookworm root with the checkout cloned into /root.
check-fresh:
	@$(CURDIR)/scripts/check-fresh

demo: preflight-demo
	@$(CURDIR)/scripts/demo

bench: preflight-bench
	@$(CURDIR)/scripts/bench

deps:
	@$(CURDIR)/scripts/deps

# xfstests (tests/xfstests/run): XFSTESTS_SRC is its tarball or tree (CI:
# ../shared/third_party/xfstests-*.tar.gz); XFSTESTS_TESTS=@ci is the
# subset "make check" runs, and then a failed test fails the target.
XFSTESTS_SRC ?=
XFSTESTS_FS ?=
XFSTESTS_TESTS ?= @quick
XFSTESTS_KVER ?= 6.12.118+deb12-amd64
XFSTESTS_JOBS ?= 1
xfstests:
	@test -n "$(XFSTESTS_SRC)" || { echo "make xfstests: XFSTESTS_SRC=path" \
	  "(the xfstests tarball or tree) is required" >&2; exit 1; }
	@$(CURDIR)/tests/xfstests/run --src "$(XFSTESTS_SRC)" --kver "$(XFSTESTS_KVER)" \
	  --tests "$(XFSTESTS_TESTS)" --jobs "$(XFSTESTS_JOBS)" $(if $(strip $(XFSTESTS_FS)),--fs "$(XFSTESTS_FS)") \
	  $(if $(filter @ci,$(XFSTESTS_TESTS)),--ci)

# Packaging targets (deb, rpm, dkms-install, dkms-remove, dkms.conf).
-include $(CURDIR)/packaging.mk

clean:
	rm -rf $(CURDIR)/build
