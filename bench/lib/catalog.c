// SPDX-License-Identifier: GPL-2.0
/* Names of the catalog's classes and effects; the rows are generated. */
#include <string.h>

#include "lib/catalog.h"
#include "lib/names.h"

static const char *const class_names[CLASS_MAX] = {
	[CLASS_UNTRAPPED]	= "untrapped",
	[CLASS_MEM]		= "mem",
	[CLASS_BRANCH]		= "branch",
	[CLASS_MMIO_READ]	= "mmio_read",
	[CLASS_MMIO_WRITE]	= "mmio_write",
	[CLASS_SYSREG]		= "sysreg",
	[CLASS_HVC]		= "hvc",
	[CLASS_SMC]		= "smc",
	[CLASS_EXCEPTION]	= "exception",
	[CLASS_ERET]		= "eret",
};

static const char *const effect_names[EFFECT_MAX] = {
	[EFFECT_NONE]		= "none",
	[EFFECT_REG]		= "reg",
	[EFFECT_MEM]		= "mem",
	[EFFECT_MMIO_READ]	= "mmio_read",
	[EFFECT_MMIO_WRITE]	= "mmio_write",
	[EFFECT_SYSREG]		= "sysreg",
	[EFFECT_PSCI]		= "psci",
	[EFFECT_BRANCH]		= "branch",
	[EFFECT_VECTOR]		= "vector",
	[EFFECT_ERET]		= "eret",
	[EFFECT_LOG]		= "log",
};

const char *class_name(enum insn_class c)
{
	return names_at(class_names, CLASS_MAX, c);
}

int class_from_name(const char *name)
{
	return names_find(class_names, CLASS_MAX, name);
}

const char *effect_name(enum insn_effect e)
{
	return names_at(effect_names, EFFECT_MAX, e);
}

int effect_from_name(const char *name)
{
	return names_find(effect_names, EFFECT_MAX, name);
}

bool class_is_emulated(enum insn_class c)
{
	switch (c) {
	case CLASS_MMIO_READ:
	case CLASS_MMIO_WRITE:
	case CLASS_SYSREG:
	case CLASS_HVC:
	case CLASS_SMC:
		return true;
	default:
		return false;
	}
}

bool class_is_mmio(enum insn_class c)
{
	return c == CLASS_MMIO_READ || c == CLASS_MMIO_WRITE;
}

int catalog_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < catalog_size; i++)
		if (!strcmp(catalog[i].name, name))
			return (int)i;
	return -1;
}

int catalog_logged_reg(const struct catalog_entry *e)
{
	switch (e->effect) {
	case EFFECT_REG:
	case EFFECT_SYSREG:
	case EFFECT_PSCI:
		return (int)e->reg;
	case EFFECT_MMIO_READ:
		return (int)e->value;
	default:
		return -1;
	}
}

int catalog_log_row(int reg)
{
	unsigned int i;

	for (i = 0; i < catalog_size; i++)
		if (catalog[i].effect == EFFECT_LOG && (int)catalog[i].reg == reg)
			return (int)i;
	return -1;
}
