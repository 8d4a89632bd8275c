// SPDX-License-Identifier: GPL-2.0
/*
 * The step loop.  Per step: KVM_RUN (twice for MMIO), one counter-group
 * read after each KVM_RUN, one ONE_REG read of the PC, and one more read
 * only for a row whose effect lives in a register.  Nothing allocates per
 * step but the per-class distributions when they meet a new value.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"
#include "engine.h"

#define INSN_B_SELF	0x14000000u	/* b . : a guard after the program */

struct engine {
	struct vm vm;
	struct vcpu vcpu;
	const struct program *p;
	const struct engine_opts *o;
	struct run_result *res;
	struct run_program *rp;
	uint64_t last[M_COUNTERS];
	uint64_t eret_target;
	int eret_row;
};

void run_result_init(struct run_result *res)
{
	unsigned int c;

	memset(res, 0, sizeof(*res));
	for (c = 0; c < CLASS_MAX; c++)
		class_stats_init(&res->cls[c]);
}

void run_result_free(struct run_result *res)
{
	unsigned int c;

	for (c = 0; c < CLASS_MAX; c++)
		class_stats_free(&res->cls[c]);
}

static size_t ram_size_for(const struct program *p)
{
	size_t need = (GUEST_CODE - GUEST_RAM_BASE) + (p->nwords + 1) * 4;
	size_t align = 64 * 1024;	/* any host page size */

	return (need + align - 1) / align * align;
}

static void guest_load(struct engine *e)
{
	uint32_t *vec = e->vm.ram;
	uint64_t *data = (uint64_t *)((char *)e->vm.ram + (GUEST_DATA - GUEST_RAM_BASE));
	uint32_t *code = (uint32_t *)((char *)e->vm.ram + (GUEST_CODE - GUEST_RAM_BASE));
	const struct catalog_entry *eret = &catalog[e->eret_row];

	/* Unused vectors are udf (0): a stray exception loops and is caught. */
	memcpy(&vec[GUEST_VECTOR_SYNC_SPX / 4], eret->words, eret->nwords * 4);
	data[0] = GUEST_MEM_WORD;
	memcpy(code, e->p->words, e->p->nwords * 4);
	code[e->p->nwords] = INSN_B_SELF;
}

static int row_at(const struct engine *e, uint64_t pc)
{
	uint64_t end = GUEST_CODE + e->p->nwords * 4;

	if (pc >= GUEST_CODE && pc < end && !(pc & 3))
		return e->p->rows[(pc - GUEST_CODE) / 4];
	if (pc == GUEST_VECTORS + GUEST_VECTOR_SYNC_SPX)
		return e->eret_row;
	return -1;
}

static uint64_t expected_pc(struct engine *e, const struct catalog_entry *ce,
			    uint64_t pc)
{
	switch (ce->effect) {
	case EFFECT_BRANCH:
		return pc + ce->value;
	case EFFECT_VECTOR:
		/* SVC's preferred return address is the next instruction. */
		e->eret_target = pc + 4;
		return GUEST_VECTORS + ce->value;
	case EFFECT_ERET:
		return e->eret_target;
	default:
		return pc + 4;
	}
}

static void mmio_complete(struct engine *e, const struct catalog_entry *ce,
			  struct step_record *r)
{
	struct kvm_run *run = e->vcpu.run;
	uint64_t mask = ce->reg >= 8 ? ~0ull : (1ull << (8 * ce->reg)) - 1;
	uint64_t data = 0;

	r->mmio_ok = run->mmio.phys_addr == GUEST_MMIO_BASE &&
		     run->mmio.len == ce->reg &&
		     !!run->mmio.is_write == (ce->effect == EFFECT_MMIO_WRITE);
	if (run->mmio.is_write) {
		memcpy(&data, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
		r->effect_want = ce->value & mask;
		r->effect_got = data;
		r->effect_ok = r->mmio_ok && data == r->effect_want;
	} else {
		data = GUEST_MMIO_DATA;
		memcpy(run->mmio.data, &data, run->mmio.len <= 8 ? run->mmio.len : 8);
	}
}

static int counters_delta(struct engine *e, struct step_record *r)
{
	uint64_t now[M_COUNTERS];
	unsigned int m;
	int ret;

	if (!e->o->counters)
		return 0;
	ret = counters_read(e->o->counters, now);
	if (ret)
		return ret;
	for (m = 0; m < M_COUNTERS; m++) {
		r->m[m] += now[m] - e->last[m];
		e->last[m] = now[m];
	}
	return 0;
}

/* KVM_RUN until the step's debug exit (or an exit that ends it). */
static int step_run(struct engine *e, const struct catalog_entry *ce,
		    struct step_record *r, char *err, size_t len)
{
	struct kvm_run *run = e->vcpu.run;
	int ret;

	for (;;) {
		ret = __vcpu_run(&e->vcpu);
		if (ret == -EINTR)
			continue;
		if (ret) {
			snprintf(err, len, "KVM_RUN: %s", strerror(-ret));
			return ret;
		}
		r->m[M_RUNS]++;
		ret = counters_delta(e, r);
		if (ret) {
			snprintf(err, len, "reading counters: %s", strerror(-ret));
			return ret;
		}
		if (run->exit_reason == KVM_EXIT_DEBUG) {
			r->exits[r->nexits++] = SX_DEBUG;
			arch_decode_syndrome(arch_debug_syndrome(run), &r->syn);
			return 0;
		}
		if (run->exit_reason != KVM_EXIT_MMIO) {
			r->exits[r->nexits++] = SX_OTHER;
			r->exit_reason = run->exit_reason;
			return 0;
		}
		r->exits[r->nexits++] = SX_MMIO;
		mmio_complete(e, ce, r);
		if (r->nexits == STEP_MAX_EXITS)
			return 0;
	}
}

static int effect_check(struct engine *e, const struct catalog_entry *ce,
			struct step_record *r)
{
	uint64_t *word;
	int ret = 0;

	switch (ce->effect) {
	case EFFECT_REG:
		r->effect_want = ce->value;
		ret = arch_get_gpr(&e->vcpu, ce->reg, &r->effect_got);
		break;
	case EFFECT_SYSREG:
		r->effect_want = e->res->id_reg;
		ret = arch_get_gpr(&e->vcpu, ce->reg, &r->effect_got);
		break;
	case EFFECT_PSCI:
		r->effect_want = e->res->psci_version;
		ret = arch_get_gpr(&e->vcpu, ce->reg, &r->effect_got);
		break;
	case EFFECT_MMIO_READ:
		r->effect_want = GUEST_MMIO_DATA;
		ret = arch_get_gpr(&e->vcpu, (unsigned int)ce->value, &r->effect_got);
		break;
	case EFFECT_MEM:
		word = (uint64_t *)((char *)e->vm.ram + (GUEST_DATA - GUEST_RAM_BASE) + ce->reg);
		r->effect_want = ce->value;
		r->effect_got = *word;
		*word = 0;	/* so the next store must happen to pass */
		break;
	case EFFECT_MMIO_WRITE:
		return 0;	/* judged at the MMIO exit */
	default:
		r->effect_ok = true;
		return 0;
	}
	r->effect_ok = !ret && r->effect_got == r->effect_want;
	return ret;
}

static int nc_keep(struct engine *e, const struct step_record *r, unsigned int f)
{
	struct run_result *res = e->res;

	res->nonconforming++;
	e->rp->nonconforming++;
	if (res->nnc < NC_KEEP) {
		res->nc[res->nnc].r = *r;
		res->nc[res->nnc].faults = f;
		res->nc[res->nnc].program = e->rp->name;
		res->nnc++;
	}
	return 0;
}

static int step_one(struct engine *e, uint64_t *pc, char *err, size_t len)
{
	struct step_record r = { .index = e->res->steps, .pc = *pc };
	const struct catalog_entry *ce;
	enum insn_class c;
	unsigned int f;
	int ret;

	r.row = row_at(e, *pc);
	if (r.row < 0) {
		snprintf(e->res->stopped, sizeof(e->res->stopped),
			 "%s: guest left the program at pc 0x%llx after %llu steps",
			 e->rp->name, (unsigned long long)*pc,
			 (unsigned long long)e->rp->steps);
		nc_keep(e, &r, FAULT_LOST);
		return -EFAULT;
	}
	ce = &catalog[r.row];
	c = ce->class;
	r.pc_expected = expected_pc(e, ce, *pc);
	ret = step_run(e, ce, &r, err, len);
	if (ret)
		return ret;
	r.have = (e->o->counters ? e->o->counters->have : 0) | (1u << M_RUNS);
	ret = arch_get_pc(&e->vcpu, &r.pc_after);
	if (ret) {
		snprintf(err, len, "KVM_GET_ONE_REG(pc): %s", strerror(-ret));
		return ret;
	}
	effect_check(e, ce, &r);
	f = step_judge(&r, c, e->o->expect ? &e->o->expect[c] : NULL);
	ret = class_stats_add(&e->res->cls[c], &r, f);
	if (ret) {
		snprintf(err, len, "recording step: %s", strerror(-ret));
		return ret;
	}
	if (f)
		nc_keep(e, &r, f);
	e->res->steps++;
	e->rp->steps++;
	*pc = r.pc_after;
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
	ret = arch_get_id_reg(&e->vcpu, &e->res->id_reg);
	if (!ret)
		ret = arch_get_psci_version(&e->vcpu, &e->res->psci_version);
	if (ret) {
		snprintf(err, len, "reading the vCPU's ID register and PSCI version: %s",
			 strerror(-ret));
		return ret;
	}
	ret = vcpu_set_guest_debug(&e->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);
	if (ret) {
		snprintf(err, len, "KVM_SET_GUEST_DEBUG(single-step): %s", strerror(-ret));
		return ret;
	}
	if (e->o->counters) {
		ret = counters_read(e->o->counters, e->last);
		if (ret)
			snprintf(err, len, "reading counters: %s", strerror(-ret));
	}
	return ret;
}

int engine_run(const struct program *p, const struct engine_opts *o,
	       struct run_result *res, struct run_program *rp,
	       char *err, size_t errlen)
{
	struct engine e = {
		.p = p, .o = o, .res = res, .rp = rp,
		.vcpu = { .fd = -1 },
	};
	uint64_t pc = GUEST_CODE;
	unsigned int i;
	int ret;

	e.eret_row = -1;
	for (i = 0; i < catalog_size; i++)
		if (catalog[i].effect == EFFECT_ERET)
			e.eret_row = (int)i;
	rp->planned = p->steps;
	e.vm.fd = e.vm.kvm_fd = -1;
	ret = engine_setup(&e, err, errlen);
	while (!ret && rp->steps < p->steps) {
		if (o->stop && *o->stop) {
			ret = -EINTR;
			break;
		}
		ret = step_one(&e, &pc, err, errlen);
		if (!ret && o->progress && !(rp->steps & 4095))
			o->progress(rp, res, o->arg);
	}
	if (ret == -EFAULT)
		ret = 0;	/* a lost guest is a verdict, not an error */
	vcpu_destroy(&e.vcpu);
	vm_destroy(&e.vm);
	return ret;
}
