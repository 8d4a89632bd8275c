// SPDX-License-Identifier: GPL-2.0
/*
 * Board files: any bytes go through board_load_buffer() twice.  Either
 * both loads fail with the same one-line "fuzz.json:..." message, or both
 * succeed with the same board, and that board keeps the bounds the parser
 * promises (counts, ranges, NUL-terminated strings, unique core kinds).
 */
#include <errno.h>

#include "fuzz.h"
#include "lib/board.h"

#define NAME	"fuzz.json"

#define fuzz_strz(s)	fuzz_assert(memchr((s), '\0', sizeof(s)))

static void check_core(const struct board *b, unsigned int i)
{
	const struct board_core *k = &b->cores[i];

	fuzz_strz(k->kind);
	fuzz_strz(k->pmu);
	fuzz_assert(k->kind[0] && k->pmu[0]);
	fuzz_assert(k->implementer <= 0xff && k->part <= 0xfff);
	fuzz_assert(k->count >= 1 && k->count <= 4096);
	/* one entry per MIDR: the lookup finds this kind and no other */
	fuzz_assert(board_core_by_midr(b, (uint64_t)k->implementer << 24 |
				       (uint64_t)k->part << 4) == k);
}

static void check_board(const struct board *b)
{
	unsigned int i, n = 0;

	fuzz_strz(b->name);
	fuzz_strz(b->path);
	fuzz_strz(b->kvm_mode);
	fuzz_strz(b->soc);
	fuzz_assert(b->name[0] && !strcmp(b->path, NAME));
	fuzz_assert(b->ncores >= 1 && b->ncores <= BOARD_MAX_CORE_KINDS);
	fuzz_assert(b->ncompatible <= BOARD_MAX_COMPATIBLE);
	for (i = 0; i < b->ncompatible; i++) {
		fuzz_strz(b->compatible[i]);
		fuzz_assert(b->compatible[i][0]);
	}
	for (i = 0; i < b->ncores; i++)
		check_core(b, i);
	fuzz_assert(board_cores_total(b) <= BOARD_MAX_CORE_KINDS * 4096);
	for (i = 0; i < CLASS_MAX; i++) {
		const struct class_expect *x = &b->expect[i];

		fuzz_strz(b->quirk[i]);
		fuzz_assert(x->guest_lo <= x->guest_hi && x->guest_hi <= 16);
		fuzz_assert(!x->quirk || x->quirk == b->quirk[i]);
		fuzz_assert(!x->board || x->quirk);
	}
	for (i = 0; i < BOARD_GPIO_ROLE_MAX; i++) {
		const struct board_gpio *g = board_gpio_get(b, i);

		if (!g)
			continue;
		n++;
		fuzz_strz(g->chip);
		fuzz_strz(g->line);
		fuzz_assert(g->chip[0] && !g->line[0] == (g->offset >= 0));
		fuzz_assert(g->offset <= 65535 && g->settle_ms <= 60000);
	}
	fuzz_assert(n == b->ngpio);
	fuzz_assert(b->checklist.conformance_steps >= 1 &&
		    b->checklist.max_perf_event_paranoid >= -1 &&
		    b->checklist.max_perf_event_paranoid <= 4);
}

/* Field by field: padding and the quirk pointers differ between copies. */
static bool board_same(const struct board *a, const struct board *b)
{
	unsigned int i;

	if (strcmp(a->name, b->name) || strcmp(a->path, b->path) ||
	    a->emulated != b->emulated || strcmp(a->kvm_mode, b->kvm_mode) ||
	    strcmp(a->soc, b->soc) || a->ncompatible != b->ncompatible ||
	    a->ncores != b->ncores || a->ngpio != b->ngpio)
		return false;
	for (i = 0; i < CLASS_MAX; i++)
		if (a->expect[i].guest_lo != b->expect[i].guest_lo ||
		    a->expect[i].guest_hi != b->expect[i].guest_hi ||
		    a->expect[i].board != b->expect[i].board ||
		    !a->expect[i].quirk != !b->expect[i].quirk ||
		    strcmp(a->quirk[i], b->quirk[i]))
			return false;
	for (i = 0; i < a->ncompatible; i++)
		if (strcmp(a->compatible[i], b->compatible[i]))
			return false;
	for (i = 0; i < a->ncores; i++)
		if (strcmp(a->cores[i].kind, b->cores[i].kind) ||
		    strcmp(a->cores[i].pmu, b->cores[i].pmu) ||
		    a->cores[i].implementer != b->cores[i].implementer ||
		    a->cores[i].part != b->cores[i].part ||
		    a->cores[i].count != b->cores[i].count)
			return false;
	for (i = 0; i < BOARD_GPIO_ROLE_MAX; i++)
		if (a->gpio[i].present != b->gpio[i].present ||
		    strcmp(a->gpio[i].chip, b->gpio[i].chip) ||
		    strcmp(a->gpio[i].line, b->gpio[i].line) ||
		    a->gpio[i].offset != b->gpio[i].offset ||
		    a->gpio[i].active_low != b->gpio[i].active_low ||
		    a->gpio[i].settle_ms != b->gpio[i].settle_ms)
			return false;
	return a->checklist.conformance_steps == b->checklist.conformance_steps &&
	       a->checklist.min_counter_hz == b->checklist.min_counter_hz &&
	       a->checklist.max_perf_event_paranoid == b->checklist.max_perf_event_paranoid &&
	       a->checklist.require_perf_user_access == b->checklist.require_perf_user_access &&
	       a->checklist.require_kvm_tracepoints == b->checklist.require_kvm_tracepoints;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct board a, b;
	char ea[512] = "", eb[512] = "";
	int ra, rb;

	ra = board_load_buffer(NAME, (const char *)data, size, &a, ea, sizeof(ea));
	fuzz_assert(ra == 0 || ra == -EINVAL);
	fuzz_check_message(ra, ea, sizeof(ea), NAME ":");
	/* "file:field: reason" or "file:line:column: reason" */
	fuzz_assert(!ra || strstr(ea + sizeof(NAME), ": "));
	rb = board_load_buffer(NAME, (const char *)data, size, &b, eb, sizeof(eb));
	fuzz_assert(ra == rb && !strcmp(ea, eb));
	if (ra)
		return 0;
	check_board(&a);
	fuzz_assert(board_same(&a, &b));
	return 0;
}
