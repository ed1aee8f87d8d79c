# SPDX-License-Identifier: GPL-2.0
#
# Packaging targets, included by the top-level Makefile (scripts/package does
# the work; Documentation/admin-guide/install.rst describes the packages).
#
#   make deb [PKG_OUT=dir]   dsmil-dkms_*.deb, dsmil-utils_*.deb,
#                            libdsmil1_*.deb, libdsmil-dev_*.deb in PKG_OUT
#   make rpm [PKG_OUT=dir]   dsmil-dkms-*.noarch.rpm, dsmil-utils-*.rpm,
#                            dsmil-libs-*.rpm, dsmil-devel-*.rpm
#   make repo [REPO_OUT=dir] the packages of make deb and make rpm published
#                            as a signed APT repository (REPO_OUT/apt) and
#                            an RPM repository (REPO_OUT/rpm), default
#                            build/repo; DSMIL_REPO_KEY=fingerprint signs with
#                            a key of yours (scripts/repo)
#   make dkms-install [KVER=release]   register this checkout with DKMS
#                            (/usr/src/dsmil-<version>), build and install
#                            for the running kernel or KVER (root)
#   make dkms-remove         undo dkms-install (root)
#   make dkms.conf           regenerate dkms.conf from dkms.conf.in, VERSION,
#                            KERNEL_RANGE and modules/Kbuild (commit it)
#   make dkms-conf-check     fail if dkms.conf is out of date
#   make modprobe-conf [KVER=release]  regenerate etc/modprobe.d/dsmil.conf
#                            from the modules built for KVER
#
# PKG_OUT defaults to build/pkg; the packages are built from a copy of the
# checkout in PKG_OUT/src, the logs are PKG_OUT/{deb,rpm}-build.log.

PKG_OUT ?= $(CURDIR)/build/pkg
REPO_OUT ?= $(CURDIR)/build/repo

.PHONY: deb rpm repo dkms-install dkms-remove dkms-conf-check modprobe-conf

$(CURDIR)/dkms.conf: $(CURDIR)/dkms.conf.in $(CURDIR)/VERSION \
		$(CURDIR)/KERNEL_RANGE $(CURDIR)/scripts/gen-dkms-conf \
		$(CURDIR)/modules/Kbuild \
		$(wildcard $(CURDIR)/modules/*/Kbuild)
	@$(CURDIR)/scripts/gen-dkms-conf

dkms.conf: $(CURDIR)/dkms.conf

dkms-conf-check:
	@$(CURDIR)/scripts/gen-dkms-conf --check

deb: preflight-deb $(CURDIR)/dkms.conf
	@$(CURDIR)/scripts/package deb $(PKG_OUT)

rpm: preflight-rpm $(CURDIR)/dkms.conf
	@$(CURDIR)/scripts/package rpm $(PKG_OUT)

repo: deb rpm
	@$(CURDIR)/scripts/repo init $(REPO_OUT)
	@$(CURDIR)/scripts/repo add $(REPO_OUT) $(wildcard $(addprefix $(PKG_OUT)/, \
		dsmil-dkms_*.deb dsmil-utils_*.deb libdsmil1_*.deb libdsmil-dev_*.deb)) \
		$(filter-out %.src.rpm,$(wildcard $(PKG_OUT)/dsmil-*.rpm))

dkms-install: preflight-dkms-install $(CURDIR)/dkms.conf
	@$(CURDIR)/scripts/package dkms-install $(if $(filter command line,$(origin KVER)),$(KVER))

dkms-remove:
	@$(CURDIR)/scripts/package dkms-remove

modprobe-conf: modules
	@$(CURDIR)/scripts/gen-modprobe-conf -o $(CURDIR)/etc/modprobe.d/dsmil.conf \
		$(BUILD_DIR)/modules
