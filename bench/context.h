/* SPDX-License-Identifier: GPL-2.0 */
/* Where a run was measured: the machine, its kernel, KVM's mode. */
#ifndef STEPLAB_CONTEXT_H
#define STEPLAB_CONTEXT_H

#include <stdbool.h>

struct run_context {
	char kernel_release[128];
	char kernel_version[256];
	char machine[65];
	char compatible[256];	/* device tree, entries joined by ',' */
	char kvm_mode[16];	/* vhe, nvhe, protected, unknown */
	char midr[32];		/* of the CPU the run started on */
	int cpu;
	bool emulated;
	char emulated_why[128];
	char hostname[65];
	char date[32];		/* UTC, ISO 8601 */
};

/* Fills what it can; a field it cannot read says "unknown". */
void context_read(struct run_context *ctx);

#endif
