/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known divergences: kernel bugs already found, reported and fixed
 * elsewhere, that a lab running an affected kernel every night still meets.
 * A run tells its non-conforming steps that match one apart from new ones;
 * every step stays in the report either way.
 */
#ifndef STEPLAB_KNOWN_H
#define STEPLAB_KNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/catalog.h"
#include "lib/step.h"

#define KNOWN_SCHEMA	"steplab-known"
#define KNOWN_MAX	16

struct known_divergence {
	char id[48];
	char title[256];
	char reference[512];
	char fix[240];
	/* kernels from..before, as major.minor.patch packed by known_version() */
	uint32_t from, before;
	uint32_t classes;		/* bit per enum insn_class */
	uint32_t paths;			/* bit per enum reentry */
};

struct known {
	char path[256];
	struct known_divergence d[KNOWN_MAX];
	unsigned int nr;
	/* the running kernel, and which divergences apply to it */
	uint32_t kernel;
	uint32_t applies;		/* bit per entry of d[] */
};

/* "6.12.95+deb12-arm64" -> 6.12.95 packed; 0 when it starts with no version. */
uint32_t known_version(const char *release);

/* Loads a known-divergences file; on -EINVAL err is "file:field: reason". */
int known_load(const char *path, struct known *k, char *err, size_t len);
/* The same from a buffer; @name stands for the file in err. */
int known_load_buffer(const char *name, const char *buf, size_t n,
		      struct known *k, char *err, size_t len);
/* Marks the divergences whose kernel range holds @release. */
void known_for_kernel(struct known *k, const char *release);

/*
 * The divergence a non-conforming step matches (its index), or -1: the
 * kernel is in range, the class and the re-entry path are listed, and
 * the step ran past its own instruction (its PC moved, and not to where
 * one instruction leads: PC+8, or wherever a second one went).
 */
int known_match(const struct known *k, const struct step_record *r,
		enum insn_class c);

#endif
