# SPDX-License-Identifier: GPL-2.0
# Unit tests: host programs, built with ASan and UBSan, printing TAP.

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -MMD -MP $(SAN_FLAGS)
HOST_CPPFLAGS := -Ibench -Iguests -Itests/unit -D_GNU_SOURCE \
		 -DSTEPLAB_VERSION='"$(VERSION)"' -DSTEPLAB_GIT='"$(GIT_HASH)"'
HOST_PKG_CFLAGS = $(shell $(HOST_PKG) --cflags jansson hwloc libgpiod)
HOST_PKG_LIBS = $(shell $(HOST_PKG) --libs jansson hwloc libgpiod)

# The unit tests link every room but host/ (Makefile's PURE_SRCS).
UNIT_LIB_OBJS := $(patsubst %.c,$(HOST_OUT)/%.o,$(PURE_SRCS)) \
		 $(patsubst %.S,$(HOST_OUT)/%.o,$(PURE_ASM_SRCS)) \
		 $(HOST_OUT)/gen/catalog-gen.o
# Built from tests/unit/, into $(HOST_OUT)/tests/ where tools/check.sh runs them.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOST_OUT)/tests/%,$(wildcard tests/unit/test-*.c))

unit-tests: $(UNIT_TESTS)

$(HOST_OUT)/libsteplab-unit.a: $(UNIT_LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(HOST_OUT)/tests/%: tests/unit/%.c $(HOST_OUT)/libsteplab-unit.a
	$(quiet) HOSTCC $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(HOST_PKG_CFLAGS) -o $@ $< \
		$(HOST_OUT)/libsteplab-unit.a $(HOST_PKG_LIBS) -lm

$(HOST_OUT)/%.o: %.c
	$(quiet) HOSTCC $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(HOST_PKG_CFLAGS) -c -o $@ $<

$(HOST_OUT)/gen/catalog-gen.o: $(O)/gen/catalog-gen.c
	$(quiet) HOSTCC $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) -c -o $@ $<

$(HOST_OUT)/%.o: %.S
	$(quiet) HOSTAS $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -c -o $@ $<

$(HOST_OUT)/bench/report/schema.o: results/schema/report.schema.json
$(HOST_OUT)/bench/lib/board-schema.o: results/schema/board.schema.json

$(UNIT_LIB_OBJS): | $(O)/gen/catalog-gen.c

-include $(UNIT_LIB_OBJS:.o=.d) $(UNIT_TESTS:=.d)

# A build tree from before the move to tests/unit/ has dependency files
# naming tests/test-*.c: those names stand for nothing, so make rebuilds
# from tests/unit/ instead of stopping for want of them.
$(patsubst tests/unit/%,tests/%,$(wildcard tests/unit/test-*.c)):

.PHONY: unit-tests
