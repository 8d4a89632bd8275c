/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction catalog (guests/catalog.S), as a table generated at
 * build time, and the names of its classes and effects.
 */
#ifndef STEPLAB_CATALOG_H
#define STEPLAB_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

enum insn_class {
	CLASS_UNTRAPPED,
	CLASS_MEM,
	CLASS_BRANCH,
	CLASS_MMIO_READ,
	CLASS_MMIO_WRITE,
	CLASS_SYSREG,
	CLASS_HVC,
	CLASS_SMC,
	CLASS_EXCEPTION,
	CLASS_ERET,
	CLASS_MAX,
};

enum insn_effect {
	EFFECT_NONE,
	EFFECT_REG,
	EFFECT_MEM,
	EFFECT_MMIO_READ,
	EFFECT_MMIO_WRITE,
	EFFECT_SYSREG,
	EFFECT_PSCI,
	EFFECT_BRANCH,
	EFFECT_VECTOR,
	EFFECT_ERET,
	EFFECT_LOG,
	EFFECT_MAX,
};

#define CATALOG_MAX_WORDS	4

struct catalog_entry {
	const char *name;
	const char *text;		/* the instruction as written */
	enum insn_class class;
	enum insn_effect effect;
	uint32_t reg;
	uint64_t value;
	int prep;			/* index of the row to run first, or -1 */
	uint32_t nwords;
	uint32_t words[CATALOG_MAX_WORDS];
};

extern const struct catalog_entry catalog[];
extern const unsigned int catalog_size;

const char *class_name(enum insn_class c);
int class_from_name(const char *name);
const char *effect_name(enum insn_effect e);
int effect_from_name(const char *name);

/* The step leaves the guest to KVM: it traps and is emulated and skipped. */
bool class_is_emulated(enum insn_class c);
/* The emulation needs userspace (KVM_EXIT_MMIO before the debug exit). */
bool class_is_mmio(enum insn_class c);

int catalog_find(const char *name);

/*
 * The register a row's effect is, which its log row stores after it; -1
 * when the effect is no register.
 */
int catalog_logged_reg(const struct catalog_entry *e);
/* The log row of register @reg; -1 when the catalog has none. */
int catalog_log_row(int reg);

#endif
