/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's identity: board, core kind, KVM mode, kernel build, programs,
 * re-entry paths and counting domain.  Runs of one identity are measures
 * of one thing; runs that differ in exactly one dimension compare that
 * dimension; runs that differ in more sit side by side, never as a change.
 */
#ifndef STEPLAB_IDENTITY_H
#define STEPLAB_IDENTITY_H

#include <stddef.h>
#include <stdlib.h>
#include <jansson.h>

enum id_dim {
	ID_BOARD,
	ID_CORE_KIND,
	ID_KVM_MODE,
	ID_KERNEL,
	ID_PROGRAM,
	ID_REENTRY,
	ID_COUNTING,
	ID_COMPARED,		/* dimensions above: what runs must share */
	ID_SEED = ID_COMPARED,	/* the mix's seed: named, not compared (same mix, same classes) */
	ID_MAX,
};

struct identity {
	char v[ID_MAX][384];
};

const char *identity_dim_name(enum id_dim d);
/* Reads it from a validated report (any 1.x: older ones have fewer fields). */
void identity_of(const json_t *doc, struct identity *id);
/* A bit per dimension that differs. */
unsigned int identity_diff(const struct identity *a, const struct identity *b);
/* "kvm_mode 'vhe' vs 'nvhe', ..." for the dimensions in @mask. */
void identity_diff_text(const struct identity *a, const struct identity *b, unsigned int mask,
			char *buf, size_t len);
json_t *identity_json(const struct identity *id);

#endif
