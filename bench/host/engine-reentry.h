/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The re-entry paths a VM can take, and every code word's path, prepared
 * before a program's first step; what a path does around a step's
 * KVM_RUN is in engine.c.
 *
 * Part of engine.c's translation unit, and included by it alone: the
 * compiler inlines these functions into engine_run(), the function that
 * also holds the step loop, and the registers and stack layout of a step's
 * window depend on all of that function.  A file compiled on its own
 * changed them.
 */
#ifndef STEPLAB_ENGINE_REENTRY_H
#define STEPLAB_ENGINE_REENTRY_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host/engine-priv.h"

/*
 * Re-entry paths.  After KVM emulated and skipped an instruction, the
 * guest must take the step exception before running another one however
 * KVM_RUN is left and re-entered.  Each path leaves it one way:
 *   immediate-exit  run->immediate_exit set for the KVM_RUN that
 *                   completes an MMIO exit: it returns EINTR at once;
 *   signal          REENTRY_SIG pending where KVM would re-enter: for an
 *                   MMIO row, made pending before the completing KVM_RUN
 *                   (blocked in the thread, let through by the mask KVM_RUN
 *                   runs with); for a row KVM emulates alone, sent by the
 *                   kvm:kvm_exit event at the instruction's trap;
 *   smccc-user      the SMC forwarded to userspace (KVM_EXIT_HYPERCALL),
 *                   answered with NOT_SUPPORTED in x0.
 * Steps take the paths that apply to their class in turn.
 */
static void path_why(struct engine *e, enum reentry p, const char *what, int err)
{
	snprintf(e->res->path_why[p], sizeof(e->res->path_why[p]), "%s%s%s",
		 what, err ? ": " : "", err ? strerror(-err) : "");
}

static int paths_setup(struct engine *e)
{
	uint32_t want = e->o->reentry;
	char why[88];
	int ret;

	e->paths = 1u << RE_PLAIN;
	if (want & (1u << RE_IMMEDIATE)) {
		ret = kvm_check_cap(&e->vm, KVM_CAP_IMMEDIATE_EXIT);
		if (ret > 0)
			e->paths |= 1u << RE_IMMEDIATE;
		else
			path_why(e, RE_IMMEDIATE, "KVM_CAP_IMMEDIATE_EXIT not offered", ret);
	}
	if (want & (1u << RE_SIGNAL)) {
		e->paths |= 1u << RE_SIGNAL;
		e->exit_sig_fd = exit_signal_open(REENTRY_SIG, why, sizeof(why));
		if (e->exit_sig_fd < 0)
			snprintf(e->res->path_why[RE_SIGNAL], sizeof(e->res->path_why[0]),
				 "MMIO classes only: %s", why);
		sigemptyset(&e->sig);
		sigaddset(&e->sig, REENTRY_SIG);
		ret = pthread_sigmask(SIG_BLOCK, &e->sig, &e->saved);
		if (ret)
			return -ret;
		e->sig_blocked = true;
		e->kvm_mask = e->saved;
		sigdelset(&e->kvm_mask, REENTRY_SIG);
	}
	/*
	 * The filter is installed whether or not the path is taken: KVM looks
	 * every HVC and SMC up in it once a VM has one, and a plain step must
	 * cost the same in every run.  It forwards only REENTRY_SMCCC_FN.
	 */
	ret = arch_smccc_forward(&e->vm, REENTRY_SMCCC_FN);
	if (!ret && (want & (1u << RE_SMCCC_USER)))
		e->paths |= 1u << RE_SMCCC_USER;
	else if (want & (1u << RE_SMCCC_USER))
		path_why(e, RE_SMCCC_USER, "KVM_ARM_VM_SMCCC_FILTER (Linux 6.4 and later)", ret);
	e->res->paths_on |= e->paths;
	return 0;
}

static void paths_teardown(struct engine *e)
{
	struct timespec zero = { 0, 0 };

	if (e->exit_sig_fd >= 0)
		close(e->exit_sig_fd);
	e->exit_sig_fd = -1;
	if (!e->sig_blocked)
		return;
	while (sigtimedwait(&e->sig, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &e->saved, NULL);
	e->sig_blocked = false;
}

static enum reentry path_pick(struct engine *e, enum insn_class c)
{
	enum reentry take[RE_MAX];
	unsigned int n = 0;

	take[n++] = RE_PLAIN;
	if (class_is_mmio(c)) {
		if (e->paths & (1u << RE_IMMEDIATE))
			take[n++] = RE_IMMEDIATE;
		if (e->paths & (1u << RE_SIGNAL))
			take[n++] = RE_SIGNAL;
	} else if (class_is_emulated(c)) {
		if ((e->paths & (1u << RE_SIGNAL)) && e->exit_sig_fd >= 0)
			take[n++] = RE_SIGNAL;
		if (c == CLASS_SMC && (e->paths & (1u << RE_SMCCC_USER)))
			take[n++] = RE_SMCCC_USER;
	}
	return n == 1 ? RE_PLAIN : take[e->turn[c]++ % n];
}

/*
 * Every code word's path, laid out before the first step: the same cost in
 * the window whichever paths the run takes (picking them in turn there
 * cost an emulated step 16 host instructions more with several paths
 * than with plain alone).
 */
static int paths_layout(struct engine *e)
{
	size_t i;

	e->path_of = calloc(e->p->nwords ? e->p->nwords : 1, 1);
	if (!e->path_of)
		return -ENOMEM;
	for (i = 0; i < e->p->nwords; i++)
		if (e->p->rows[i] >= 0)
			e->path_of[i] = (uint8_t)path_pick(e, catalog[e->p->rows[i]].class);
	return 0;
}

#endif
