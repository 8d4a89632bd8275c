# SPDX-License-Identifier: GPL-2.0
#
# steplab: one non-recursive Makefile.
#
#   make                      native build into $(O)/<arch>/
#   make ARCH=arm64           cross build from x86 (CROSS_COMPILE defaults
#                             to aarch64-linux-gnu- there)
#   make run                  install what is missing, build, run the suite
#   make check                unit tests (ASan/UBSan) and the emulated board
#   make deps                 install dependencies (Debian 12, idempotent)
#   make baseline             record the emulated board's exact modes
#   make bench                both designs, several kernels, compared
#   make install              PREFIX=/usr/local, DESTDIR for staging
#   make V=1                  show commands;  O=DIR  build elsewhere
#
# Each library is found through pkg-config; a missing one stops the build
# with its name.  libperf comes from tools/build-libperf.sh's cache.

HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/')
ARCH ?= $(HOST_ARCH)
O ?= build
OUT := $(O)/$(ARCH)
HOST_OUT := $(O)/host-san

ifeq ($(ARCH)-$(HOST_ARCH),arm64-x86_64)
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
ifneq ($(HOST_ARCH),arm64)
GUEST_CROSS ?= aarch64-linux-gnu-
endif

CC := $(CROSS_COMPILE)gcc
HOSTCC ?= gcc
GUEST_CC := $(GUEST_CROSS)gcc
GUEST_OBJCOPY := $(GUEST_CROSS)objcopy

V ?= 0
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

WERROR ?= 1
WARNINGS := -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	    -Wshadow -Wundef -Wwrite-strings
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

# pkg-config, per target architecture
triplet_arm64 := aarch64-linux-gnu
triplet_x86_64 := x86_64-linux-gnu
libperf_dir = $(shell tools/build-libperf.sh --print $(1))/lib/pkgconfig
pkgconf = PKG_CONFIG_PATH=$(call libperf_dir,$(1)) \
	  PKG_CONFIG_LIBDIR=/usr/lib/$(triplet_$(1))/pkgconfig:/usr/share/pkgconfig pkg-config
PKGS := jansson hwloc libgpiod libperf
PKG := $(call pkgconf,$(ARCH))
HOST_PKG := $(call pkgconf,$(HOST_ARCH))

NODEPS_GOALS := deps clean help run check baseline bench
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
missing := $(strip $(foreach p,$(PKGS),$(if $(shell $(PKG) --exists $(p) && echo y),,$(p))))
ifneq ($(missing),)
$(error missing for $(ARCH): $(missing) (pkg-config cannot find them); run 'make deps')
endif
ifneq ($(shell $(PKG) --atleast-version=2.0 libgpiod && echo y),y)
$(error libgpiod for $(ARCH) is older than 2.0 (the v2 API is needed); run 'make deps')
endif
endif

GIT_HASH := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
VERSION := 0.1.0

CPPFLAGS := -Ibench -Iguests -D_GNU_SOURCE \
	    -DSTEPLAB_VERSION='"$(VERSION)"' -DSTEPLAB_GIT='"$(GIT_HASH)"'
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARNINGS) -MMD -MP
PKG_CFLAGS = $(shell $(PKG) --cflags $(PKGS))
PKG_LIBS = $(shell $(PKG) --libs $(PKGS))

# The rooms (README's "Layout"): host/ holds exactly what needs /dev/kvm or
# the PMU; everything else is linked by the unit tests and fuzzers as it is.
PURE_SRCS := $(wildcard bench/lib/*.c bench/report/*.c bench/export/*.c bench/dashboard/*.c)
PURE_ASM_SRCS := $(wildcard bench/lib/*.S bench/report/*.S)
HOST_SRCS := $(wildcard bench/host/*.c)
ifeq ($(ARCH),arm64)
HOST_SRCS += bench/host/arch/arm64/vcpu.c
else
HOST_SRCS += bench/host/arch/none/vcpu.c
endif
CLI_SRCS := bench/steplab.c $(wildcard bench/builtin-*.c)

OBJS := $(patsubst %.c,$(OUT)/%.o,$(PURE_SRCS) $(HOST_SRCS) $(CLI_SRCS)) \
	$(patsubst %.S,$(OUT)/%.o,$(PURE_ASM_SRCS)) $(OUT)/gen/catalog-gen.o

all: $(OUT)/steplab

$(OUT)/steplab: $(OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread

$(OUT)/%.o: %.c
	$(quiet) CC $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(OUT)/bench/report/schema.o: results/schema/report.schema.json
$(OUT)/bench/lib/board-schema.o: results/schema/board.schema.json

$(OUT)/%.o: %.S
	$(quiet) AS $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -MMD -MP -c -o $@ $<

$(OUT)/gen/catalog-gen.o: $(O)/gen/catalog-gen.c
	$(quiet) CC $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The catalog: assembled for the guest, then turned into a C table.
$(O)/guest/catalog.o: guests/catalog.S guests/abi.h
	$(quiet) AS $@
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) -Iguests -c -o $@ $<

$(O)/guest/catalog.%.bin: $(O)/guest/catalog.o
	$(Q)$(GUEST_OBJCOPY) -O binary -j .catalog.$* $< $@

$(O)/tools/mkcatalog: tools/mkcatalog.c bench/lib/catalog.c bench/lib/catalog.h
	$(quiet) HOSTCC $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 $(WARNINGS) -Ibench -o $@ tools/mkcatalog.c bench/lib/catalog.c

$(O)/gen/catalog-gen.c: $(O)/tools/mkcatalog $(O)/guest/catalog.text.bin $(O)/guest/catalog.meta.bin
	$(quiet) GEN $@
	@mkdir -p $(dir $@)
	$(Q)$< $(O)/guest/catalog.text.bin $(O)/guest/catalog.meta.bin > $@.tmp && mv $@.tmp $@

$(OBJS): | $(O)/gen/catalog-gen.c

include tests/unit/build.mk
include tests/fuzz/build.mk

-include $(OBJS:.o=.d)

# The arm64 build for the emulated board, when this host is not arm64.
ifneq ($(HOST_ARCH),arm64)
board-steplab:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 O=$(O) all
else
board-steplab: all
endif

# The scripts, and the builds they start (kernels, libperf, selftests),
# run as on a fresh shell: none of this make's state (jobserver, level,
# command-line variables) nor the build variables it reads reach them;
# only O, where this build lives.
SCRIPT_ENV = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u GNUMAKEFLAGS \
	     -u ARCH -u CROSS_COMPILE -u CC -u HOSTCC -u CFLAGS -u CPPFLAGS -u LDFLAGS \
	     -u V -u WERROR O=$(O)

deps:
	$(SCRIPT_ENV) tools/deps.sh

# The two front-door goals install what is missing, then build and go.
ensure-deps:
	@$(SCRIPT_ENV) tools/deps.sh --check >/dev/null 2>&1 || $(SCRIPT_ENV) tools/deps.sh

run: ensure-deps
	$(Q)$(MAKE) --no-print-directory all board-steplab
	@$(SCRIPT_ENV) tools/run-suite.sh

bench: ensure-deps
	$(Q)$(MAKE) --no-print-directory all board-steplab
	@$(SCRIPT_ENV) tools/bench.sh

baseline: ensure-deps
	$(Q)$(MAKE) --no-print-directory all board-steplab
	@$(SCRIPT_ENV) tools/rebaseline.sh

check: ensure-deps
	$(Q)$(MAKE) --no-print-directory all board-steplab unit-tests
	@$(SCRIPT_ENV) tools/check.sh

# The manual, from the program's own help texts.
$(OUT)/steplab.1: $(OUT)/steplab tools/mkman.sh
	$(quiet) MAN $@
	$(Q)tools/mkman.sh $(if $(filter $(ARCH),$(HOST_ARCH)),$<,$(O)/$(HOST_ARCH)/steplab) > $@.tmp && mv $@.tmp $@

man: $(OUT)/steplab.1

PREFIX ?= /usr/local
DESTDIR ?=
install: $(OUT)/steplab $(OUT)/steplab.1
	install -D -m 0755 $(OUT)/steplab $(DESTDIR)$(PREFIX)/bin/steplab
	install -D -m 0644 $(OUT)/steplab.1 $(DESTDIR)$(PREFIX)/share/man/man1/steplab.1
	install -d $(DESTDIR)$(PREFIX)/share/steplab/boards $(DESTDIR)$(PREFIX)/share/steplab/schema
	install -m 0644 boards/*.json $(DESTDIR)$(PREFIX)/share/steplab/boards/
	install -m 0644 results/schema/*.json $(DESTDIR)$(PREFIX)/share/steplab/schema/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/steplab $(DESTDIR)$(PREFIX)/share/man/man1/steplab.1
	rm -rf $(DESTDIR)$(PREFIX)/share/steplab

clean:
	rm -rf $(O)

help:
	@sed -n '3,16p' Makefile | sed 's/^# \{0,1\}//'

.PHONY: all man install uninstall deps run check baseline bench ensure-deps clean help board-steplab
