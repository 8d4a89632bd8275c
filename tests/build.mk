# SPDX-License-Identifier: GPL-2.0
# Unit tests: host programs, built with ASan and UBSan, printing TAP.

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -MMD -MP $(SAN_FLAGS)
HOST_CPPFLAGS := -Ibench -Iguests -Itests -D_GNU_SOURCE \
		 -DSTEPLAB_VERSION='"$(VERSION)"' -DSTEPLAB_GIT='"$(GIT_HASH)"'
HOST_PKG_CFLAGS = $(shell $(HOST_PKG) --cflags jansson hwloc libgpiod)
HOST_PKG_LIBS = $(shell $(HOST_PKG) --libs jansson hwloc libgpiod)

UNIT_LIB_SRCS := bench/catalog.c bench/program.c bench/verdict.c bench/stats.c \
		 bench/jschema.c bench/report.c bench/board.c bench/baseline.c bench/known.c bench/gpio.c \
		 bench/arch/arm64/syndrome.c bench/compare.c bench/topology.c \
		 bench/export.c bench/export-json.c bench/export-junit.c
UNIT_LIB_SRCS += bench/dashboard.c bench/dashboard-page.c bench/dashboard-plot.c
UNIT_LIB_SRCS += bench/board-find.c bench/identity.c bench/context.c
UNIT_LIB_OBJS := $(patsubst %.c,$(HOST_OUT)/%.o,$(UNIT_LIB_SRCS)) \
		 $(HOST_OUT)/bench/schema.o $(HOST_OUT)/bench/board-schema.o \
		 $(HOST_OUT)/gen/catalog-gen.o
UNIT_TESTS := $(patsubst tests/%.c,$(HOST_OUT)/tests/%,$(wildcard tests/test-*.c))

unit-tests: $(UNIT_TESTS)

$(HOST_OUT)/libsteplab-unit.a: $(UNIT_LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(HOST_OUT)/tests/%: tests/%.c $(HOST_OUT)/libsteplab-unit.a
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

$(HOST_OUT)/bench/schema.o: bench/schema.S results/schema/report.schema.json
	$(quiet) HOSTAS $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -c -o $@ $<

$(HOST_OUT)/bench/board-schema.o: bench/board-schema.S results/schema/board.schema.json
	$(quiet) HOSTAS $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -c -o $@ $<

$(UNIT_LIB_OBJS): | $(O)/gen/catalog-gen.c

-include $(UNIT_LIB_OBJS:.o=.d) $(UNIT_TESTS:=.d)

.PHONY: unit-tests
