/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A program's VM, from nothing to its first step: the engine's buffers,
 * the VM and its vCPU set up for single-stepping, the guest program and
 * its data words loaded, the checks of each row prepared, and the settle
 * before the first step.
 *
 * Part of engine.c's translation unit, and included by it alone: the
 * compiler inlines these functions into engine_run(), the function that
 * also holds the step loop, and the registers and stack layout of a step's
 * window depend on all of that function.  A file compiled on its own
 * changed them.
 */
#ifndef STEPLAB_ENGINE_SETUP_H
#define STEPLAB_ENGINE_SETUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host/engine-priv.h"
#include "host/engine-reentry.h"

#define INSN_B_SELF	0x14000000u	/* b . : a guard after the program */

static size_t ram_size_for(const struct program *p)
{
	size_t need = (GUEST_CODE - GUEST_RAM_BASE) + (p->nwords + 1) * 4;
	size_t align = 64 * 1024;	/* any host page size */

	return (need + align - 1) / align * align;
}

static void guest_load(struct engine *e)
{
	uint32_t *vec = e->vm.ram;
	uint32_t *code = (uint32_t *)((char *)e->vm.ram + (GUEST_CODE - GUEST_RAM_BASE));
	const struct catalog_entry *eret = &catalog[e->eret_row];

	/* Unused vectors are udf (0): a stray exception loops and is caught. */
	memcpy(&vec[GUEST_VECTOR_SYNC_SPX / 4], eret->words, eret->nwords * 4);
	*data_word(e, 0) = GUEST_MEM_WORD;
	/* str_ram's word: only its store can make it GUEST_K */
	*data_word(e, DATA_STORE) = 0;
	*data_word(e, DATA_SCRATCH) = SCRATCH_VALUE;
	*data_word(e, GUEST_DATA_LOG) = LOG_IDLE;
	memcpy(code, e->p->words, e->p->nwords * 4);
	code[e->p->nwords] = INSN_B_SELF;
}

/* The RAM words each row is judged by, as plain data. */
static void checks_prepare(struct engine *e)
{
	unsigned int i;

	for (i = 0; i < catalog_size; i++) {
		const struct catalog_entry *ce = &catalog[i];
		struct row_check *k = &e->checks[i];

		/* By default: the scratch word untouched, no register to log. */
		*k = (struct row_check) {
			.mem_off = DATA_SCRATCH, .mem_want = SCRATCH_VALUE,
			.mem_reset = SCRATCH_VALUE, .log_want = LOG_IDLE,
			.logs = catalog_logged_reg(ce) >= 0,
		};
		switch (ce->effect) {
		case EFFECT_REG:
			k->log_want = ce->value;
			break;
		case EFFECT_SYSREG:
			k->log_want = e->res->id_reg;
			break;
		case EFFECT_PSCI:
			k->log_want = e->res->psci_version;
			break;
		case EFFECT_MMIO_READ:
			k->log_want = GUEST_MMIO_DATA;
			break;
		case EFFECT_MEM:
			/* reset after the check, so the next store must happen */
			k->mem_off = ce->reg;
			k->mem_want = ce->value;
			k->mem_reset = 0;
			break;
		default:
			break;
		}
	}
}

/* The engine's state before its VM: the run's constants and buffers. */
static int engine_init(struct engine *e, char *err, size_t len)
{
	unsigned int i;

	for (i = 0; i < catalog_size; i++)
		if (catalog[i].effect == EFFECT_ERET)
			e->eret_row = (int)i;
	e->rp->planned = e->p->steps;
	e->nc_at_start = e->res->nonconforming;
	e->hz = arch_counter_hz();
	e->ns_per_tick = e->hz ? (uint64_t)(((unsigned __int128)1000000000u << 32) / e->hz) : 0;
	/* engine_run() runs on the thread that steps */
	e->rseq = __rseq_size ? (const struct rseq *)((const char *)__builtin_thread_pointer() +
						   __rseq_offset) : NULL;
	/* the steps' times go to the distributions in ticks */
	for (i = 0; i < CLASS_MAX; i++)
		e->res->cls[i].ns_per_tick = e->ns_per_tick;
	e->have = engine_metrics(e->o->counters);
	if (e->o->counters) {
		e->traced = e->o->counters->have & COUNTERS_TRACE;
		e->take = e->o->counters->have & ~COUNTERS_TRACE;
		/* an unobserved step has no entries: step_between() adds them */
		e->have &= ~COUNTERS_TRACE;
	}
	e->observe_every = e->o->observe_every ? e->o->observe_every : OBSERVE_EVERY;
	e->vm.fd = e->vm.kvm_fd = -1;
	e->checks = calloc(catalog_size, sizeof(*e->checks));
	e->nran = ram_size_for(e->p) >> 12;
	e->ran = calloc(e->nran, 1);
	e->pend = aligned_alloc(64, (PENDING_STEPS + PENDING_SLACK) * sizeof(*e->pend));
	e->log_rec = &e->log_sink;
	e->log_want = LOG_IDLE;
	if (!e->checks || !e->pend || !e->ran) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	/* touch every page now: a first-touch fault is no step's cost */
	memset(e->pend, 0, (PENDING_STEPS + PENDING_SLACK) * sizeof(*e->pend));
	return 0;
}

static int engine_setup(struct engine *e, char *err, size_t len)
{
	int ret;

	ret = kvm_open(&e->vm);
	if (ret) {
		snprintf(err, len, "open /dev/kvm: %s", strerror(-ret));
		return ret;
	}
	ret = vm_create(&e->vm, GUEST_RAM_BASE, ram_size_for(e->p));
	if (ret) {
		snprintf(err, len, "creating the VM: %s", strerror(-ret));
		return ret;
	}
	guest_load(e);
	ret = vcpu_create(&e->vm, &e->vcpu);
	if (ret) {
		snprintf(err, len, "KVM_CREATE_VCPU: %s", strerror(-ret));
		return ret;
	}
	ret = arch_vcpu_init(&e->vm, &e->vcpu, GUEST_CODE);
	if (ret) {
		snprintf(err, len, "initialising the vCPU: %s", strerror(-ret));
		return ret;
	}
	ret = vcpu_set_guest_debug(&e->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);
	if (ret) {
		snprintf(err, len, "KVM_SET_GUEST_DEBUG(single-step): %s", strerror(-ret));
		return ret;
	}
	if (!e->o->bare) {
		ret = paths_setup(e);
		if (ret) {
			snprintf(err, len, "blocking the re-entry signal: %s", strerror(-ret));
			return ret;
		}
		free(e->path_of);
		memset(e->turn, 0, sizeof(e->turn));
		ret = paths_layout(e);
		if (ret) {
			snprintf(err, len, "out of memory");
			return ret;
		}
	}
	if (e->o->counters) {
		ret = counters_sync(e);
		if (ret)
			snprintf(err, len, "reading counters: %s", strerror(-ret));
	}
	return ret;
}

/*
 * Before the first step, give the CPU away once.  Without it some boots
 * started a program with every KVM_RUN 7 host instructions short until a
 * host interrupt: most likely a worker the VM's creation (or the last
 * one's teardown) left runnable here, while which KVM loads the vCPU
 * another way (6.1's vcpu load keeps the WFx traps unless the CPU runs a
 * single task).  A 1 ms sleep removed it.  The counters start after it.
 */
static int engine_settle(struct engine *e, char *err, size_t len)
{
	struct timespec ts = { 0, 1000000 };
	int ret;

	nanosleep(&ts, NULL);
	if (!e->o->counters)
		return 0;
	ret = counters_sync(e);
	if (ret)
		snprintf(err, len, "reading counters: %s", strerror(-ret));
	return ret;
}

/* In reverse; safe on a VM built in part or not at all. */
static void engine_teardown(struct engine *e)
{
	paths_teardown(e);
	free(e->checks);
	free(e->pend);
	free(e->ran);
	free(e->path_of);
	vcpu_destroy(&e->vcpu);
	vm_destroy(&e->vm);
}

#endif
