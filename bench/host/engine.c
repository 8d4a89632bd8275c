// SPDX-License-Identifier: GPL-2.0
/*
 * The step loop.
 *
 * Counters are read once per KVM_RUN, just before it, so the window a
 * step is charged with is: its KVM_RUN(s), its own checks (PC, one
 * register, its row's effect), and the constant-cost hand-off of the step
 * before it into a pending buffer.  Nothing that depends on another
 * step's class lands in a step's window, so per-class counts are exact;
 * the per-class distributions are fed from the pending buffer every
 * PENDING_STEPS steps, which lands in one step's window as an outlier.
 *
 * Every row's effect is checked by the same code: one ONE_REG read of a
 * register and one word of guest RAM compared with values prepared per
 * row, so that rows of one class cost the stepper the same.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "abi.h"
#include "host/arch.h"
#include "host/engine.h"

#define INSN_B_SELF	0x14000000u	/* b . : a guard after the program */
#define PENDING_STEPS	4096
#define DATA_STORE	8		/* str_ram's word */
#define DATA_SCRATCH	16		/* the word rows without a store check */
#define SCRATCH_VALUE	0x5c5c5c5c5c5c5c5cull
/* The signal of the signal re-entry path; the storm of `stress` is SIGUSR1. */
#define REENTRY_SIG	SIGUSR2

/* What the engine checks after a row, prepared once per run. */
struct row_check {
	unsigned int gpr;
	uint64_t gpr_want;
	unsigned int mem_off;
	uint64_t mem_want;
	uint64_t mem_reset;
};

/*
 * Cache-line aligned, each one: clearing a record then costs the same
 * instructions at every index (memset's path depends on alignment).
 */
struct pending {
	uint8_t cls;
	uint32_t faults;
	struct step_record r;
} __attribute__((aligned(64)));

struct engine {
	struct vm vm;
	struct vcpu vcpu;
	const struct program *p;
	const struct engine_opts *o;
	struct run_result *res;
	struct run_program *rp;
	struct row_check *checks;
	struct pending *pend;
	unsigned int npend;
	uint64_t last[M_COUNTERS];
	uint64_t last_enabled, last_running;	/* the group's times at the last read */
	uint32_t have;
	uint64_t hz;			/* of the virtual counter */
	bool finalized;			/* the first KVM_RUN has been made */
	uint64_t eret_target;
	int eret_row;
	uint64_t mark_at;		/* the step the next mark follows */
	struct step_record mark_rec;	/* what a mark cost: no step's */
	uint64_t nc_at_start;		/* the result's non-conforming steps before */
	uint8_t *ran;			/* a byte per 4 KiB of guest RAM the PC reached */
	size_t nran;
	uint32_t paths;			/* the re-entry paths this VM can take */
	uint8_t *path_of;		/* per code word: its step's path */
	unsigned int turn[CLASS_MAX];	/* whose turn it is, per class */
	int exit_sig_fd;		/* kvm:kvm_exit signalling, or -1 */
	sigset_t sig;			/* REENTRY_SIG alone */
	sigset_t saved;			/* the thread's mask before the run */
	sigset_t kvm_mask;		/* the mask KVM_RUN takes on the signal path */
	bool sig_blocked;
};

uint32_t engine_metrics(const struct counters *c)
{
	return (c ? c->have : 0) | (1u << M_RUNS) |
	       (arch_counter_hz() ? 1u << M_TIME_NS : 0);
}

static size_t ram_size_for(const struct program *p)
{
	size_t need = (GUEST_CODE - GUEST_RAM_BASE) + (p->nwords + 1) * 4;
	size_t align = 64 * 1024;	/* any host page size */

	return (need + align - 1) / align * align;
}

static uint64_t *data_word(struct engine *e, unsigned int off)
{
	return (uint64_t *)((char *)e->vm.ram + (GUEST_DATA - GUEST_RAM_BASE) + off);
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
	memcpy(code, e->p->words, e->p->nwords * 4);
	code[e->p->nwords] = INSN_B_SELF;
}

/* The register and RAM word each row is judged by, as plain data. */
static void checks_prepare(struct engine *e)
{
	unsigned int i;

	for (i = 0; i < catalog_size; i++) {
		const struct catalog_entry *ce = &catalog[i];
		struct row_check *k = &e->checks[i];

		/* By default: x6 (GUEST_K) untouched, the scratch word too. */
		*k = (struct row_check) {
			.gpr = 6, .gpr_want = GUEST_K, .mem_off = DATA_SCRATCH,
			.mem_want = SCRATCH_VALUE, .mem_reset = SCRATCH_VALUE,
		};
		switch (ce->effect) {
		case EFFECT_REG:
			k->gpr = ce->reg;
			k->gpr_want = ce->value;
			break;
		case EFFECT_SYSREG:
			k->gpr = ce->reg;
			k->gpr_want = e->res->id_reg;
			break;
		case EFFECT_PSCI:
			k->gpr = ce->reg;
			k->gpr_want = e->res->psci_version;
			break;
		case EFFECT_MMIO_READ:
			k->gpr = (unsigned int)ce->value;
			k->gpr_want = GUEST_MMIO_DATA;
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

/*
 * The first KVM_RUN finalises the vCPU's configuration: KVM may then show
 * the guest other ID register fields than userspace read before it (7.x
 * hides ID_AA64PFR0_EL1.GIC from a VM without an in-kernel GICv3).  Take
 * the values the sysreg and hvc rows must read from after that run.
 */
static int engine_finalize(struct engine *e)
{
	int ret;

	ret = arch_get_id_reg(&e->vcpu, &e->res->id_reg);
	if (!ret)
		ret = arch_get_psci_version(&e->vcpu, &e->res->psci_version);
	if (!ret)
		checks_prepare(e);
	e->finalized = true;
	return ret;
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
	uint32_t len = run->mmio.len <= 8 ? run->mmio.len : 8;
	uint64_t data = 0;

	r->mmio_ok = run->mmio.phys_addr == GUEST_MMIO_BASE &&
		     run->mmio.len == ce->reg &&
		     !!run->mmio.is_write == (ce->effect == EFFECT_MMIO_WRITE);
	if (run->mmio.is_write) {
		memcpy(&data, run->mmio.data, len);
		r->mmio_ok = r->mmio_ok && data == (ce->value & mask);
	} else {
		data = GUEST_MMIO_DATA;
		memcpy(run->mmio.data, &data, len);
	}
}

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

static enum reentry path_at(const struct engine *e, uint64_t pc)
{
	uint64_t i = (pc - GUEST_CODE) / 4;

	return i < e->p->nwords ? (enum reentry)e->path_of[i] : RE_PLAIN;
}

/* Before the step's first KVM_RUN. */
static int path_enter(struct engine *e, const struct catalog_entry *ce,
		      const struct step_record *r)
{
	int ret;

	switch (r->path) {
	case RE_SIGNAL:
		ret = vcpu_set_signal_mask(&e->vcpu, &e->kvm_mask);
		if (!ret && !class_is_mmio(ce->class))
			ret = exit_signal_arm(e->exit_sig_fd);
		return ret;
	case RE_SMCCC_USER:
		return arch_set_gpr(&e->vcpu, ARCH_SMCCC_REG, REENTRY_SMCCC_FN);
	default:
		return 0;
	}
}

/* Userspace completed an exit; before the KVM_RUN that goes back in. */
static int path_complete(struct engine *e, const struct step_record *r)
{
	if (r->path == RE_IMMEDIATE)
		e->vcpu.run->immediate_exit = 1;
	else if (r->path == RE_SIGNAL && class_is_mmio(catalog[r->row].class) &&
		 syscall(SYS_tgkill, getpid(), gettid(), REENTRY_SIG))
		return -errno;
	return 0;
}

/* KVM_RUN returned EINTR: true when the step's own path did it. */
static bool path_interrupted(struct engine *e, struct step_record *r)
{
	struct timespec zero = { 0, 0 };
	bool ours = false;

	r->interrupted = true;
	if (e->vcpu.run->immediate_exit) {
		e->vcpu.run->immediate_exit = 0;
		ours = true;
	}
	if (r->path == RE_SIGNAL)
		while (sigtimedwait(&e->sig, NULL, &zero) > 0)
			ours = true;
	return ours;
}

/* After the step's last KVM_RUN: nothing of the path is left armed. */
static int path_leave(struct engine *e, const struct step_record *r)
{
	struct timespec zero = { 0, 0 };

	if (r->path != RE_SIGNAL)
		return 0;
	if (e->exit_sig_fd >= 0)
		exit_signal_disarm(e->exit_sig_fd);
	while (sigtimedwait(&e->sig, NULL, &zero) > 0)
		;
	return vcpu_set_signal_mask(&e->vcpu, NULL);
}

/* Starts the next window here: the counts and the group's times. */
static int counters_sync(struct engine *e)
{
	int ret = counters_read(e->o->counters, e->last);

	e->last_enabled = e->o->counters->enabled;
	e->last_running = e->o->counters->running;
	return ret;
}

/* Closes the window of the step being measured: one group read. */
static int counters_take(struct engine *e, struct step_record *r)
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
	/* multiplexed, or taken by another user: the counts are not the window's */
	r->counters_partial |= e->o->counters->enabled - e->last_enabled !=
			       e->o->counters->running - e->last_running;
	e->last_enabled = e->o->counters->enabled;
	e->last_running = e->o->counters->running;
	return 0;
}

static int nc_keep(struct engine *e, const struct step_record *r, unsigned int f)
{
	struct run_result *res = e->res;
	int known = r->row >= 0 ? known_match(e->o->known, r, catalog[r->row].class) : -1;

	res->nonconforming++;
	e->rp->nonconforming++;
	if (known >= 0) {
		res->known++;
		res->known_by[known]++;
	}
	if (res->nnc < NC_KEEP) {
		res->nc[res->nnc].r = *r;
		res->nc[res->nnc].faults = f;
		res->nc[res->nnc].known = known;
		memcpy(res->nc[res->nnc].program, e->rp->name, sizeof(res->nc[0].program));
		res->nnc++;
	}
	return 0;
}

static void unproven_keep(struct engine *e, unsigned int what)
{
	unsigned int b;

	e->res->unproven++;
	for (b = 0; b < UNPROVEN_MAX_BIT; b++)
		if (what & (1u << b))
			e->res->unproven_by[b]++;
}

void engine_trace_header(FILE *f)
{
	unsigned int m;

	fprintf(f, "index,program,class,row,reentry,pc,pc_after,esr,faults");
	for (m = 0; m < M_MAX; m++)
		fprintf(f, ",%s", metric_name(m));
	fputc('\n', f);
}

/* One line per step, written outside every measured window. */
static void trace_step(struct engine *e, const struct pending *pd)
{
	const struct step_record *r = &pd->r;
	unsigned int m;

	fprintf(e->o->trace, "%llu,%s,%s,%s,%s,0x%llx,0x%llx,0x%08x,0x%x",
		(unsigned long long)r->index, e->rp->name, class_name(pd->cls),
		catalog[r->row].name, reentry_name(r->path), (unsigned long long)r->pc,
		(unsigned long long)r->pc_after, r->syn.raw, pd->faults);
	for (m = 0; m < M_MAX; m++) {
		if (r->have & (1u << m))
			fprintf(e->o->trace, ",%llu", (unsigned long long)r->m[m]);
		else
			fputc(',', e->o->trace);
	}
	fputc('\n', e->o->trace);
}

static uint64_t ticks_to_ns(const struct engine *e, uint64_t ticks)
{
	return e->hz ? (uint64_t)((unsigned __int128)ticks * 1000000000u / e->hz) : 0;
}

/*
 * The step's verdict, from the one judge, here and not inside any step's
 * window: judging and keeping a non-conforming step's evidence cost what
 * the step's faults make them cost, which must not land in the next
 * step's count.
 */
static void step_verdict(struct engine *e, struct pending *pd)
{
	const struct class_expect *x = e->o->expect ? &e->o->expect[pd->cls] : NULL;
	unsigned int unproven;

	pd->faults = step_judge(&pd->r, pd->cls, x, &unproven);
	if (e->o->cpus && !topo_cpuset_has(e->o->cpus, pd->r.cpu))
		pd->faults |= FAULT_CPU;
	if (pd->faults)
		nc_keep(e, &pd->r, pd->faults);
	else if (unproven)
		unproven_keep(e, unproven);
}

static int pending_flush(struct engine *e)
{
	unsigned int i, m;
	int ret;

	for (i = 0; i < e->npend; i++) {
		struct pending *pd = &e->pend[i];

		/*
		 * The last run of a step of several (MMIO completion: where the
		 * flag design re-enters), from the snapshot step_run() took.
		 * Here, like the conversion of counter ticks to ns, and not in
		 * any step's window: work after a step's last counter read is
		 * charged to the next step, so it must not depend on the class.
		 */
		if (pd->r.m[M_RUNS] > 1)
			for (m = 0; m < M_MAX; m++)
				pd->r.last[m] = pd->r.m[m] - pd->r.last[m];
		pd->r.m[M_TIME_NS] = ticks_to_ns(e, pd->r.m[M_TIME_NS]);
		pd->r.last[M_TIME_NS] = ticks_to_ns(e, pd->r.last[M_TIME_NS]);
		step_verdict(e, pd);
		if (e->o->trace)
			trace_step(e, pd);
		path_stats_add(&e->res->paths[pd->r.path][pd->cls], &pd->r, pd->faults);
		if (pd->r.path == RE_STORM)
			e->res->paths_on |= 1u << RE_STORM;
		ret = class_stats_add(&e->res->cls[pd->cls], &pd->r, pd->faults);
		if (ret)
			return ret;
	}
	e->npend = 0;
	return 0;
}

/*
 * Feeding the distributions and reporting progress are no step's cost:
 * the counters are read again afterwards, so the next step's window
 * starts after them.
 */
static int housekeeping(struct engine *e)
{
	int ret;

	if (e->o->progress)
		e->o->progress(e->rp, e->res, e->o->arg);
	ret = pending_flush(e);
	if (!ret && e->o->counters)
		ret = counters_sync(e);
	return ret;
}

/*
 * A mark for an external observer costs an ioctl (a GPIO toggle): like
 * housekeeping it comes after a step's last counter read, and the
 * counters are read again after it, so the next step's window starts
 * past it.  That read goes through counters_take() as a step's does, so
 * the next window starts with the same code as after any other step.
 */
static int marker_mark(struct engine *e)
{
	e->o->marker(e->o->marker_arg);
	e->mark_at = engine_marker_next(e->rp->steps, e->p->steps, e->o->marker_every);
	return counters_take(e, &e->mark_rec);
}

/*
 * The step's counts are in: queue it for its verdict.  Runs inside the
 * next step's window, so it costs the same for every class.
 */
static int step_finish(struct engine *e)
{
	e->npend++;
	if (e->npend == PENDING_STEPS)
		return housekeeping(e);
	return 0;
}

/* An SMC forwarded to userspace: answer it as KVM would an unknown call. */
static int hypercall_complete(struct engine *e, struct step_record *r)
{
	r->mmio_ok = e->vcpu.run->hypercall.nr == REENTRY_SMCCC_FN;
	return arch_set_gpr(&e->vcpu, ARCH_SMCCC_REG, SMCCC_RET_NOT_SUPPORTED);
}

/* The step's exit was completed in userspace: one read, then back in. */
static int step_reenter(struct engine *e, struct step_record *r, char *err, size_t len)
{
	/* one read per KVM_RUN: the round trip is its own run */
	int ret = counters_take(e, r);

	if (ret) {
		snprintf(err, len, "reading counters: %s", strerror(-ret));
		return ret;
	}
	/* where the last run starts: pending_flush() takes the difference */
	memcpy(r->last, r->m, sizeof(r->last));
	/* the path applies to the step's own instruction: its first exit */
	ret = r->nexits == 1 ? path_complete(e, r) : 0;
	if (ret)
		snprintf(err, len, "%s re-entry: %s", reentry_name(r->path), strerror(-ret));
	return ret;
}

/* KVM_RUN until the step's debug exit (or an exit that ends it). */
static int step_run(struct engine *e, const struct catalog_entry *ce,
		    struct step_record *r, char *err, size_t len)
{
	struct kvm_run *run = e->vcpu.run;
	uint64_t t0;
	int ret;

	ret = path_enter(e, ce, r);
	if (ret) {
		snprintf(err, len, "%s re-entry: %s", reentry_name(r->path), strerror(-ret));
		return ret;
	}
	for (;;) {
		t0 = arch_counter_now();
		ret = __vcpu_run(&e->vcpu);
		r->m[M_TIME_NS] += arch_counter_now() - t0;
		if (ret == -EINTR) {
			/*
			 * The step's re-entry path, or an asynchronous signal
			 * (perhaps between the stepped instruction and its step
			 * exception).  Going back in must not step a second
			 * instruction; the step's checks see whether it did.
			 */
			if (r->nexits < STEP_MAX_EXITS - 1)
				r->exits[r->nexits++] = SX_INTR;
			if (!path_interrupted(e, r)) {
				e->res->async_exits++;
				if (r->path == RE_PLAIN)
					r->path = RE_STORM;
			}
			if (e->o->stop && *e->o->stop)
				return -EINTR;
			continue;
		}
		if (ret) {
			snprintf(err, len, "KVM_RUN: %s", strerror(-ret));
			return ret;
		}
		r->m[M_RUNS]++;
		if (run->exit_reason == KVM_EXIT_DEBUG) {
			r->exits[r->nexits++] = SX_DEBUG;
			arch_decode_syndrome(arch_debug_syndrome(run), &r->syn);
			break;
		}
		if (run->exit_reason == KVM_EXIT_HYPERCALL && r->path == RE_SMCCC_USER) {
			r->exits[r->nexits++] = SX_HYPERCALL;
			ret = hypercall_complete(e, r);
			if (ret) {
				snprintf(err, len, "answering the SMC: %s", strerror(-ret));
				return ret;
			}
		} else if (run->exit_reason == KVM_EXIT_MMIO) {
			r->exits[r->nexits++] = SX_MMIO;
			mmio_complete(e, ce, r);
		} else {
			r->exits[r->nexits++] = SX_OTHER;
			r->exit_reason = run->exit_reason;
			break;
		}
		if (r->nexits >= STEP_MAX_EXITS - 1)
			break;
		ret = step_reenter(e, r, err, len);
		if (ret)
			return ret;
	}
	ret = path_leave(e, r);
	if (ret)
		snprintf(err, len, "%s re-entry: %s", reentry_name(r->path), strerror(-ret));
	return ret;
}

/* The same work for every row: one register, one RAM word. */
static void effect_check(struct engine *e, const struct row_check *k,
			 struct step_record *r)
{
	uint64_t *word = data_word(e, k->mem_off);
	int ret;

	ret = arch_get_gpr(&e->vcpu, k->gpr, &r->effect_got);
	r->effect_want = k->gpr_want;
	r->effect_ok = !ret && r->effect_got == k->gpr_want && *word == k->mem_want;
	if (!ret && r->effect_got == k->gpr_want && *word != k->mem_want) {
		r->effect_got = *word;
		r->effect_want = k->mem_want;
	}
	*word = k->mem_reset;
}

/*
 * A step on or into a 4 KiB page of guest RAM the guest has not run code
 * on yet: the page's first fetch is a stage-2 fault, one more exit and
 * entry.  It lands in the step that runs there first, or, on the flag
 * design, in the step before, whose re-entry takes its step exception
 * there.  A page counts as run once a step started on it.
 */
static bool page_new(struct engine *e, const struct step_record *r)
{
	uint64_t at = (r->pc - GUEST_RAM_BASE) >> 12;
	uint64_t next = (r->pc_after - GUEST_RAM_BASE) >> 12;
	bool fresh = (at < e->nran && !e->ran[at]) || (next < e->nran && !e->ran[next]);

	if (at < e->nran)
		e->ran[at] = 1;
	return fresh;
}

static int step_one(struct engine *e, uint64_t *pc, char *err, size_t len)
{
	struct pending *pd = &e->pend[e->npend];
	struct step_record *r = &pd->r;
	const struct catalog_entry *ce;
	bool due;
	int ret;

	memset(pd, 0, sizeof(*pd));
	r->index = e->res->steps;
	r->pc = *pc;
	r->row = row_at(e, *pc);
	/* the verdicts of the steps so far: the program ends here anyway */
	if (r->row < 0 && *pc == GUEST_CODE + e->p->nwords * 4 && !pending_flush(e) &&
	    e->res->nonconforming > e->nc_at_start) {
		/* steps that ran two instructions used the program up early */
		snprintf(e->res->stopped, sizeof(e->res->stopped),
			 "%s: the program's code ended after %llu of %llu steps: "
			 "some steps ran two instructions", e->rp->name,
			 (unsigned long long)e->rp->steps, (unsigned long long)e->p->steps);
		return -EFAULT;
	}
	if (r->row < 0) {
		snprintf(e->res->stopped, sizeof(e->res->stopped),
			 "%s: guest left the program at pc 0x%llx after %llu steps",
			 e->rp->name, (unsigned long long)*pc,
			 (unsigned long long)e->rp->steps);
		nc_keep(e, r, FAULT_LOST);
		return -EFAULT;
	}
	ce = &catalog[r->row];
	pd->cls = ce->class;
	r->path = path_at(e, *pc);
	r->pc_expected = expected_pc(e, ce, *pc);
	ret = step_run(e, ce, r, err, len);
	if (ret)
		return ret;
	r->have = e->have;
	if (!e->finalized) {
		ret = engine_finalize(e);
		if (ret) {
			snprintf(err, len, "reading the vCPU's ID register and PSCI version: %s",
				 strerror(-ret));
			return ret;
		}
	}
	ret = arch_get_pc(&e->vcpu, &r->pc_after);
	if (ret) {
		snprintf(err, len, "KVM_GET_ONE_REG(pc): %s", strerror(-ret));
		return ret;
	}
	/*
	 * A step that ran on into an svc (a kernel bug) took the guest to its
	 * vector: the eret there returns where the exception says, not where
	 * the last stepped svc would.
	 */
	if (r->pc_after == GUEST_VECTORS + GUEST_VECTOR_SYNC_SPX && r->pc_expected != r->pc_after)
		arch_get_return(&e->vcpu, &e->eret_target);
	r->new_page = page_new(e, r);
	effect_check(e, &e->checks[r->row], r);
	/* glibc reads the CPU from rseq: no system call */
	r->cpu = sched_getcpu();
	e->res->steps++;
	e->rp->steps++;
	*pc = r->pc_after;
	/*
	 * Decided inside the step's window, so that after the read the code
	 * up to the next window is the same with a mark and without.
	 */
	due = e->rp->steps == e->mark_at;
	ret = counters_take(e, r);
	if (due && !ret)
		ret = marker_mark(e);
	if (ret) {
		snprintf(err, len, "reading counters: %s", strerror(-ret));
		return ret;
	}
	return step_finish(e);
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

/*
 * The least any stepper does: KVM_RUN, the MMIO round trip when there is
 * one, and one ONE_REG read of the PC.  No counters per step, no checks:
 * the yardstick steplab's own overhead is measured against.  With
 * BARE_COUNTER_READS it adds steplab's one group read per KVM_RUN, to
 * tell that part of the overhead from the checks.
 */
static int bare_loop(struct engine *e, char *err, size_t len)
{
	struct kvm_run *run = e->vcpu.run;
	uint64_t pc, data = GUEST_MMIO_DATA, now[M_COUNTERS];
	bool reads = e->o->bare == BARE_COUNTER_READS;
	int ret;

	while (e->rp->steps < e->p->steps) {
		ret = __vcpu_run(&e->vcpu);
		if (reads)
			counters_read(e->o->counters, now);
		if (!ret && run->exit_reason == KVM_EXIT_MMIO) {
			if (!run->mmio.is_write)
				memcpy(run->mmio.data, &data, run->mmio.len <= 8 ? run->mmio.len : 8);
			ret = __vcpu_run(&e->vcpu);
			if (reads)
				counters_read(e->o->counters, now);
		}
		if (!ret)
			ret = arch_get_pc(&e->vcpu, &pc);
		if (ret && ret != -EINTR) {
			snprintf(err, len, "bare stepper: %s", strerror(-ret));
			return ret;
		}
		if (!ret) {
			e->rp->steps++;
			e->res->steps++;
		}
	}
	return 0;
}

int engine_run(const struct program *p, const struct engine_opts *o,
	       struct run_result *res, struct run_program *rp,
	       char *err, size_t errlen)
{
	struct engine e = {
		.p = p, .o = o, .res = res, .rp = rp,
		.vcpu = { .fd = -1 }, .eret_row = -1, .mark_at = UINT64_MAX,
		.exit_sig_fd = -1,
	};
	uint64_t pc = GUEST_CODE, start[M_COUNTERS] = { 0 };
	bool marking;
	unsigned int i;
	int ret;

	for (i = 0; i < catalog_size; i++)
		if (catalog[i].effect == EFFECT_ERET)
			e.eret_row = (int)i;
	rp->planned = p->steps;
	e.nc_at_start = res->nonconforming;
	e.hz = arch_counter_hz();
	e.have = engine_metrics(o->counters);
	e.vm.fd = e.vm.kvm_fd = -1;
	e.checks = calloc(catalog_size, sizeof(*e.checks));
	e.nran = ram_size_for(p) >> 12;
	e.ran = calloc(e.nran, 1);
	e.pend = aligned_alloc(64, PENDING_STEPS * sizeof(*e.pend));
	if (!e.checks || !e.pend || !e.ran) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	/* touch every page now: a first-touch fault is no step's cost */
	memset(e.pend, 0, PENDING_STEPS * sizeof(*e.pend));
	/*
	 * A signal (stress's storm) may cut a setup ioctl short: that is no
	 * failure of the VM, so it is built again from scratch.
	 */
	for (i = 0; i < 1000; i++) {
		ret = engine_setup(&e, err, errlen);
		if (ret != -EINTR || (o->stop && *o->stop))
			break;
		paths_teardown(&e);
		vcpu_destroy(&e.vcpu);
		vm_destroy(&e.vm);
	}
	if (!ret && !o->bare)
		ret = engine_settle(&e, err, errlen);
	memcpy(start, e.last, sizeof(start));
	/* the marks open and close the program's steps, whatever ends them */
	marking = !ret && !o->bare && o->marker;
	if (marking && (ret = marker_mark(&e)))
		snprintf(err, errlen, "reading counters: %s", strerror(-ret));
	if (!ret && o->bare)
		ret = bare_loop(&e, err, errlen);
	while (!ret && !o->bare && rp->steps < p->steps) {
		if (o->stop && *o->stop) {
			ret = -EINTR;
			break;
		}
		ret = step_one(&e, &pc, err, errlen);
	}
	if (marking)
		o->marker(o->marker_arg);
	if (ret == -EFAULT)
		ret = 0;	/* a lost guest is a verdict, not an error */
	if (pending_flush(&e) && !ret) {
		snprintf(err, errlen, "recording steps: out of memory");
		ret = -ENOMEM;
	}
	/* everything the thread did for these steps, housekeeping included */
	if (!ret && o->counters && !counters_read(o->counters, e.last))
		for (i = 0; i < M_COUNTERS; i++)
			rp->total[i] = e.last[i] - start[i];
out:
	paths_teardown(&e);
	free(e.checks);
	free(e.pend);
	free(e.ran);
	free(e.path_of);
	vcpu_destroy(&e.vcpu);
	vm_destroy(&e.vm);
	return ret;
}
