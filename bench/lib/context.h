/* SPDX-License-Identifier: GPL-2.0 */
/* Where a run was measured: the machine, its kernel, KVM's mode. */
#ifndef STEPLAB_CONTEXT_H
#define STEPLAB_CONTEXT_H

#include <stdbool.h>

#define CONTEXT_MAX_BUILD	8

enum { KVM_MODE_VHE, KVM_MODE_NVHE };

/* The exception levels one counter covers in the KVM mode of the run. */
struct counting_domain {
	const char *metric;
	const char *levels;		/* "EL0 EL2" */
	const char *el2;		/* what of EL2 is in the count */
	const char *why;
};

struct run_context {
	char kernel_release[128];
	char kernel_version[256];
	char machine[65];
	char compatible[256];	/* device tree, entries joined by ',' */
	char kvm_mode[16];	/* vhe, nvhe, protected, unknown */
	char kvm_mode_from[160];	/* the log line or command line it came from */
	struct counting_domain counting[3];
	unsigned int ncounting;	/* 0: mode unknown */
	char midr[32];		/* of the CPU the run started on */
	int cpu;
	bool emulated;
	char emulated_why[128];
	char hostname[65];
	char date[32];		/* UTC, ISO 8601 */
	bool clock_trusted;
	char clock_why[160];
	char emulated_cpu[32];	/* the emulator's CPU model; "" when not told */
	struct {
		char key[32];
		char value[160];
	} build[CONTEXT_MAX_BUILD];	/* the kernel build, as the harness knows it */
	unsigned int nbuild;
};

/*
 * The KVM mode a kernel log names (vhe, nvhe, hvhe, protected), or NULL;
 * @line (may be NULL) gets the line that said so.
 */
const char *kvm_mode_from_text(const char *log, const char **line);

/* Fills what it can; a field it cannot read says "unknown". */
void context_read(struct run_context *ctx);

#endif
