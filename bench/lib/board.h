/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Board files (JSON, under boards/, schema results/schema/board.schema.json):
 * what a board is -- SoC, device-tree compatible, cores by kind with their
 * MIDR and PMU, expected KVM mode, GPIO lines by role -- and what its steps
 * are expected to show, quirks included, with the checklist's thresholds.
 */
#ifndef STEPLAB_BOARD_H
#define STEPLAB_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/catalog.h"
#include "lib/verdict.h"

#define BOARD_SCHEMA		"steplab-board"
#define BOARD_VERSION_MAJOR	1

#define BOARD_MAX_CORE_KINDS	8
#define BOARD_MAX_COMPATIBLE	8

/* One kind of core: MIDR_EL1 implementer and part, how many, its PMU. */
struct board_core {
	char kind[32];			/* "cortex-a76" */
	uint32_t implementer;		/* MIDR_EL1[31:24] */
	uint32_t part;			/* MIDR_EL1[15:4] */
	uint32_t count;
	char pmu[64];			/* /sys/bus/event_source/devices/ name */
};

enum board_gpio_role {
	BOARD_GPIO_MARKER,		/* toggled for an external observer */
	BOARD_GPIO_POWER,		/* switches the board's supply */
	BOARD_GPIO_RESET,		/* pulses the board's reset */
	BOARD_GPIO_ROLE_MAX,
};

/* A GPIO line, found by chip label and line name or offset. */
struct board_gpio {
	bool present;			/* the file names a line for this role */
	char chip[32];			/* chip label */
	char line[32];			/* line name; "" when given by offset */
	int offset;			/* line offset; -1 when given by name */
	bool active_low;
	uint32_t settle_ms;
};

/* Thresholds of the readiness checklist (defaults in the schema). */
struct board_checklist {
	uint64_t conformance_steps;
	uint64_t min_counter_hz;
	int max_perf_event_paranoid;
	bool require_perf_user_access;
	bool require_kvm_tracepoints;
};

struct board {
	char name[64];
	char path[256];
	bool emulated;
	char kvm_mode[16];		/* expected; "" when the file says nothing */
	struct class_expect expect[CLASS_MAX];
	char quirk[CLASS_MAX][256];

	char soc[64];			/* "" when the file says nothing */
	char compatible[BOARD_MAX_COMPATIBLE][128];
	unsigned int ncompatible;	/* 0 on ACPI machines */
	struct board_core cores[BOARD_MAX_CORE_KINDS];
	unsigned int ncores;		/* core kinds, at least 1 from a file */
	struct board_gpio gpio[BOARD_GPIO_ROLE_MAX];	/* indexed by role */
	unsigned int ngpio;		/* roles present */
	struct board_checklist checklist;
	char qemu_cpu[32];		/* emulated boards: QEMU's -cpu model, or "" */
	char from[384];			/* how the run came to this file, or "" */
};

/* The expectations without a board file: steplab's defaults. */
void board_defaults(struct board *b);
/*
 * Loads a board file and checks it, field by field and against the
 * built-in schema.  Returns 0, -ENOENT when the file cannot be read, or
 * -EINVAL; err gets one line "file:field: reason" (field is a JSON path
 * such as cores[1].part, "(top)" for the document itself) or
 * "file:line:column: reason" for a file that is not JSON.
 */
int board_load(const char *path, struct board *b, char *err, size_t len);
/*
 * The same from @buflen bytes of JSON at @buf (no NUL needed); @name stands
 * for the file in messages and in b->path.
 */
int board_load_buffer(const char *name, const char *buf, size_t buflen,
		      struct board *b, char *err, size_t len);

/* The JSON Schema built into the program. */
const char *board_schema_text(void);

const char *board_gpio_role_name(enum board_gpio_role r);
/* NULL when the file names no line for the role. */
const struct board_gpio *board_gpio_get(const struct board *b, enum board_gpio_role r);
/* The kind whose implementer and part match a MIDR_EL1 value, or NULL. */
const struct board_core *board_core_by_midr(const struct board *b, uint64_t midr);
/* Cores of every kind. */
unsigned int board_cores_total(const struct board *b);

#endif
