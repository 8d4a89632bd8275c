# SPDX-License-Identifier: GPL-2.0
# libFuzzer targets for the board-file, report and mix-spec parsers: the
# parsers built again with clang for coverage, ASan and UBSan, linked into
# one fuzzer each under $(O)/fuzz/.
#
#   make fuzzers              build them
#   make fuzz                 run each for FUZZ_SECONDS on a scratch copy of
#                             its corpus (tests/fuzz/corpus/<target>/)

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT := $(O)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -MMD -MP $(FUZZ_SAN)
FUZZ_TARGETS := board report mix
FUZZERS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz-%)

# The unit tests' library: the archive lets each fuzzer take what it uses.
FUZZ_LIB_OBJS = $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(PURE_SRCS)) \
		 $(patsubst %.S,$(FUZZ_OUT)/obj/%.o,$(PURE_ASM_SRCS)) \
		 $(FUZZ_OUT)/obj/gen/catalog-gen.o

fuzzers: $(FUZZERS)

fuzz: $(FUZZERS)
	@O=$(O) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILT=1 tools/fuzz.sh

$(FUZZ_OUT)/libsteplab-fuzz.a: $(FUZZ_LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_OUT)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_OUT)/libsteplab-fuzz.a
	$(quiet) FUZZ $@
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(HOST_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(HOST_PKG_CFLAGS) \
		-o $@ $< $(FUZZ_OUT)/libsteplab-fuzz.a $(HOST_PKG_LIBS) -lm

# The library, instrumented for coverage but without libFuzzer's main().
$(FUZZ_OUT)/obj/%.o: %.c
	$(quiet) FUZZCC $@
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(HOST_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		$(HOST_PKG_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/gen/catalog-gen.o: $(O)/gen/catalog-gen.c
	$(quiet) FUZZCC $@
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(HOST_CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/%.o: %.S
	$(quiet) FUZZAS $@
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) -c -o $@ $<

$(FUZZ_OUT)/obj/bench/report/schema.o: results/schema/report.schema.json
$(FUZZ_OUT)/obj/bench/lib/board-schema.o: results/schema/board.schema.json

$(FUZZ_LIB_OBJS): | $(O)/gen/catalog-gen.c

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZERS:=.d)

.PHONY: fuzzers fuzz
