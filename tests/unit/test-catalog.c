// SPDX-License-Identifier: GPL-2.0
/* The generated catalog: every class present, encodings from the assembler. */
#include <string.h>

#include "abi.h"
#include "lib/catalog.h"
#include "tap.h"

static const struct catalog_entry *row(const char *name)
{
	int i = catalog_find(name);

	return i < 0 ? NULL : &catalog[i];
}

static void test_classes(void)
{
	unsigned int c, i, n;

	for (c = 0; c < CLASS_MAX; c++) {
		for (i = n = 0; i < catalog_size; i++)
			n += catalog[i].class == c;
		tap_ok(n > 0, "class %s has %u row(s)", class_name(c), n);
		tap_ok(class_from_name(class_name(c)) == (int)c, "class %s round-trips by name",
		       class_name(c));
	}
	tap_ok(class_from_name("frob") < 0, "unknown class name is refused");
	for (c = 0; c < EFFECT_MAX; c++)
		tap_ok(effect_from_name(effect_name(c)) == (int)c, "effect %s round-trips",
		       effect_name(c));
	tap_ok(class_is_emulated(CLASS_SYSREG) && class_is_emulated(CLASS_MMIO_READ) &&
	       !class_is_emulated(CLASS_UNTRAPPED) && !class_is_emulated(CLASS_EXCEPTION),
	       "emulated classes are the trapped ones");
}

static void test_encodings(void)
{
	/* Architectural encodings: the table must hold what the assembler made. */
	static const struct { const char *name; uint32_t word; } known[] = {
		{ "nop", 0xd503201f }, { "eret", 0xd69f03e0 }, { "svc_0", 0xd4000001 },
		{ "hvc_psci_version", 0xd4000002 }, { "smc_0", 0xd4000003 },
	};
	const struct catalog_entry *e;
	unsigned int i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		e = row(known[i].name);
		tap_ok(e && e->nwords == 1 && e->words[0] == known[i].word,
		       "%s encodes as 0x%08x", known[i].name, known[i].word);
	}
	e = row("ldr_mmio");
	/* LDR (immediate, unsigned offset): Rn in bits 9:5, Rt in 4:0 */
	tap_ok(e && ((e->words[0] >> 5) & 31) == 13 && (e->words[0] & 31) == 12 &&
	       e->value == 12 && e->reg == 4, "ldr_mmio loads w12 from [x13], 4 bytes");
	e = row("mrs_id_aa64pfr0");
	tap_ok(e && (e->words[0] & 31) == e->reg, "the sysreg row's destination matches its effect");
	e = row("b_fwd");
	tap_ok(e && e->nwords == e->value / 4 && e->words[1] == 0,
	       "the branch skips exactly its udf filler");
	tap_ok(e && (e->words[0] & 0x03ffffff) == e->value / 4, "b_fwd's offset is its effect");
}

static void test_rows(void)
{
	const struct catalog_entry *hvc = row("hvc_psci_version"), *prep;
	unsigned int i;
	bool uniq = true, prep_ok = true;

	tap_ok(hvc && hvc->prep >= 0, "the hvc row has a prep row");
	prep = hvc && hvc->prep >= 0 ? &catalog[hvc->prep] : NULL;
	tap_ok(prep && prep->effect == EFFECT_REG && prep->reg == 0 &&
	       prep->value == GUEST_PSCI_VERSION_FN, "its prep puts PSCI_VERSION in x0");
	for (i = 0; i < catalog_size; i++) {
		if (catalog_find(catalog[i].name) != (int)i)
			uniq = false;
		if (catalog[i].prep >= 0 && catalog[catalog[i].prep].prep >= 0)
			prep_ok = false;
	}
	tap_ok(uniq, "row names are unique");
	tap_ok(prep_ok, "prep rows need no prep of their own");
	tap_ok(catalog_find("frob") < 0, "unknown row name is not found");
	tap_ok(row("smc_0") && row("smc_0")->value == SMCCC_RET_NOT_SUPPORTED,
	       "smc expects SMCCC NOT_SUPPORTED in x0");
}

/* Every register a row's effect is has its log row: str xR, [x14, #LOG]. */
static void test_log_rows(void)
{
	unsigned int i, logs = 0;
	bool ok = true;
	int reg, l;

	for (i = 0; i < catalog_size; i++) {
		logs += catalog[i].effect == EFFECT_LOG;
		reg = catalog_logged_reg(&catalog[i]);
		if (reg < 0)
			continue;
		l = catalog_log_row(reg);
		/* STR (immediate, unsigned offset, 64-bit): imm12 = offset / 8 */
		if (l < 0 || catalog[l].class != CLASS_MEM || catalog[l].nwords != 1 ||
		    catalog[l].prep >= 0 ||
		    catalog[l].words[0] != (0xf9000000u | (GUEST_DATA_LOG / 8) << 10 |
					    14u << 5 | (uint32_t)reg))
			ok = false;
	}
	tap_ok(ok, "every row whose effect is a register has a log row storing it to the log word");
	tap_ok(logs == 7 && catalog_log_row(6) < 0 && catalog_log_row(12) >= 0,
	       "seven log rows (x0, x5, x7, x8, x9, x10, x12), none for x6 (GUEST_K)");
	tap_ok(catalog_logged_reg(row("ldr_mmio")) == 12 && catalog_logged_reg(row("nop")) < 0 &&
	       catalog_logged_reg(row("str_ram")) < 0 && catalog_logged_reg(row("hvc_psci_version")) == 0,
	       "the MMIO load logs its destination; nop and a RAM store log nothing");
}

int main(void)
{
	test_classes();
	test_encodings();
	test_rows();
	test_log_rows();
	return tap_done();
}
