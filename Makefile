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

.PHONY: all modules samples test-modules compat tree kdir-check clean check \
	demo bench deps help

all: modules

help:
	@echo "dsmil $(VERSION_STR)"
	@echo "  make [KVER=release | KDIR=path] [RELEASE=1] [V=1]  build the modules"
	@echo "  make samples      build samples/ (the module template)"
	@echo "  make check        full test suite (both Debian kernels, VM tests)"
	@echo "  make demo         boot a kernel with the suite and show it working"
	@echo "  make bench        benchmarks: build/bench/results.{md,png}"
	@echo "  make deps         install (as root) or list the build/test packages"
	@echo "  make clean        remove build/"

kdir-check:
	@test -f "$(KDIR)/Makefile" || { \
	  echo "dsmil: no kernel build tree at $(KDIR) (kernel $(KVER));" \
	       "install linux-headers-$(KVER) or pass KVER=/KDIR=" >&2; exit 1; }

tree: kdir-check
	@$(CURDIR)/scripts/mktree $(CURDIR) $(BUILD_DIR)

compat: tree
	@$(CURDIR)/scripts/compat-probe $(KDIR) $(COMPAT_DIR) \
		$(CURDIR)/modules/compat/probes

modules: compat
	$(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/modules modules
	@touch $(BUILD_DIR)/modules/Module.symvers  # even for an empty pass
	@$(CURDIR)/scripts/ko-check --kdir $(KDIR) --order $(BUILD_DIR)/modules

samples: modules
	$(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/samples \
		KBUILD_EXTRA_SYMBOLS=$(BUILD_DIR)/modules/Module.symvers modules
	@$(CURDIR)/scripts/ko-check --kdir $(KDIR) \
		--symvers $(BUILD_DIR)/modules/Module.symvers \
		--order $(BUILD_DIR)/samples

# Test-only modules (tests/kmod/): never shipped, built like samples.
test-modules: modules
	@if [ -f $(CURDIR)/tests/kmod/Kbuild ]; then \
	  $(MAKE) $(KBUILD_ARGS) M=$(BUILD_DIR)/tests/kmod \
		KBUILD_EXTRA_SYMBOLS=$(BUILD_DIR)/modules/Module.symvers modules && \
	  $(CURDIR)/scripts/ko-check --kdir $(KDIR) --quiet \
		--symvers $(BUILD_DIR)/modules/Module.symvers \
		--order $(BUILD_DIR)/tests/kmod; \
	fi

check:
	@$(CURDIR)/scripts/check

demo:
	@$(CURDIR)/scripts/demo

bench:
	@$(CURDIR)/scripts/bench

deps:
	@$(CURDIR)/scripts/deps

# Packaging targets (deb, rpm, dkms-install, dkms-remove, dkms.conf).
-include $(CURDIR)/packaging.mk

clean:
	rm -rf $(CURDIR)/build
