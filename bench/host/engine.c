// SPDX-License-Identifier: GPL-2.0
/*
 * The step loop, and everything that runs inside a step's measured
 * window: the step's KVM_RUN(s), its re-entry path around them, its
 * checks and the hand-off to the pending buffer.
 *
 * Counters are read once per KVM_RUN, just before it, so the window a
 * step is charged with is: its KVM_RUN(s), its own checks (the PC, its
 * row's effect), and the constant-cost hand-off of the step before it
 * into a pending buffer.  Nothing that depends on another step's class
 * lands in a step's window, so per-class counts are exact; the per-class
 * distributions are fed from the pending buffer every PENDING_STEPS
 * steps, which lands in one step's window as an outlier.
 *
 * Every row's effect is checked by the same code, two words of guest RAM
 * compared with values prepared per row: no register is read for one (a
 * row that writes one is followed by a log row that stores it to RAM).
 *
 * The compiler inlines the whole run into engine_run(): the setup in
 * engine-setup.h, engine-reentry.h and engine-bare.h is part of this
 * translation unit for that reason (engine-flush.c, called out of line,
 * is not).  engine_metrics() and engine_trace_header() come first in the
 * object code and set where engine_run() starts, which the padding that
 * aligns its loops depends on.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/rseq.h>
#include <sys/syscall.h>

#include "host/engine-priv.h"
#include "host/engine-bare.h"
#include "host/engine-reentry.h"
#include "host/engine-setup.h"

uint32_t engine_metrics(const struct counters *c)
{
	return (c ? c->have : 0) | (1u << M_RUNS) |
	       (arch_counter_hz() ? 1u << M_TIME_NS : 0);
}

void engine_trace_header(FILE *f)
{
	unsigned int m;

	fprintf(f, "index,program,class,row,reentry,pc,pc_after,esr,faults");
	for (m = 0; m < M_MAX; m++)
		fprintf(f, ",%s", metric_name(m));
	fputc('\n', f);
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

static inline __attribute__((always_inline)) int row_at(const struct engine *e, uint64_t pc)
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
 * A step's re-entry path (engine-reentry.h lays them out and says what
 * each does): armed before its KVM_RUN, taken on the way back in,
 * disarmed after.
 */
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

#include "host/engine-observe.h"

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
 * past it.  Before a program's first step and after its last; between
 * steps, step_between() makes the marks.
 */
static int marker_mark(struct engine *e)
{
	e->o->marker(e->o->marker_arg);
	e->mark_at = engine_marker_next(e->rp->steps, e->p->steps, e->o->marker_every);
	return counters_take(e, &e->mark_rec);
}

/*
 * The step's counts are in: queue it for its verdict.  Runs inside the
 * next step's window, so it costs the same for every class.  No flush
 * between a step and the log row that proves its register.
 */
static int step_finish(struct engine *e)
{
	e->npend++;
	if (e->npend >= PENDING_STEPS &&
	    (e->log_rec == &e->log_sink || e->npend == PENDING_STEPS + PENDING_SLACK))
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
	if (r->observed) {
		ret = counters_trace_read(e->o->counters, &r->m[M_ENTRIES], &r->m[M_KVM_EXITS]);
		if (ret) {
			snprintf(err, len, "reading the tracepoints: %s", strerror(-ret));
			return ret;
		}
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
			/* decoded in pending_flush(), outside the window */
			r->syn.raw = arch_debug_syndrome(run);
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

/*
 * The same work for every row: its RAM word, and the log word for the
 * step before when it wrote a register (else the log sink takes it): its
 * log row stored it there in this step, or in that one when it ran on
 * into its log row.  A log word nobody waits for is left for who will,
 * and no branch depends on what it holds (a double step leaves one
 * there): a row that logs a register is shown by it, got and want.
 */
static inline __attribute__((always_inline)) void
effect_check(struct engine *e, const struct row_check *k, struct step_record *r)
{
	uint64_t *word = data_word(e, k->mem_off), *log = data_word(e, GUEST_DATA_LOG);
	struct step_record *w = e->log_rec;
	uint64_t got = *log;

	r->effect_got = *word;
	r->effect_want = k->mem_want;
	r->effect_ok = *word == k->mem_want;
	*word = k->mem_reset;
	log_resolve(w, got, e->log_want);
	*log = w != &e->log_sink ? LOG_IDLE : got;
	r->effect_later = k->logs;
	e->log_rec = k->logs ? r : &e->log_sink;
	e->log_want = k->log_want;
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

/*
 * The CPU the thread is on, from its rseq area as sched_getcpu() reads
 * it, without the call; sched_getcpu() where glibc registered no rseq
 * area (the glibc.pthread.rseq tunable off, a kernel before 4.18).
 */
static inline int thread_cpu(const struct engine *e)
{
	if (!e->rseq)
		return sched_getcpu();
	return (int)__atomic_load_n(&e->rseq->cpu_id, __ATOMIC_RELAXED);
}

/* The PC is on no row of the program: where it went is the verdict. */
static int step_lost(struct engine *e, struct step_record *r, uint64_t pc)
{
	/* the verdicts of the steps so far: the program ends here anyway */
	if (pc == GUEST_CODE + e->p->nwords * 4 && !pending_flush(e) &&
	    e->res->nonconforming > e->nc_at_start) {
		/* steps that ran two instructions used the program up early */
		snprintf(e->res->stopped, sizeof(e->res->stopped),
			 "%s: the program's code ended after %llu of %llu steps: "
			 "some steps ran two instructions", e->rp->name,
			 (unsigned long long)e->rp->steps, (unsigned long long)e->p->steps);
		return -EFAULT;
	}
	snprintf(e->res->stopped, sizeof(e->res->stopped),
		 "%s: guest left the program at pc 0x%llx after %llu steps",
		 e->rp->name, (unsigned long long)pc, (unsigned long long)e->rp->steps);
	nc_keep(e, r, FAULT_LOST);
	return -EFAULT;
}

static int step_one(struct engine *e, uint64_t *pc, char *err, size_t len)
{
	struct pending *pd = &e->pend[e->npend];
	struct step_record *r = &pd->r;
	struct step_record *take;
	const struct catalog_entry *ce;
	struct between b;
	int ret;

	/* last[] is written (step_reenter()) before it is read */
	memset(pd, 0, offsetof(struct pending, r.last));
	r->index = e->res->steps;
	r->pc = *pc;
	r->row = e->next_row;
	if (r->row < 0)
		return step_lost(e, r, *pc);
	ce = &catalog[r->row];
	pd->cls = ce->class;
	r->observed = e->observing;
	e->observing = false;
	r->path = e->next_path;
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
	 * vector: the eret there returns where the exception says.
	 */
	if (r->pc_after == GUEST_VECTORS + GUEST_VECTOR_SYNC_SPX && r->pc_expected != r->pc_after)
		arch_get_return(&e->vcpu, &e->eret_target);
	r->new_page = page_new(e, r);
	/* observed without a first fetch: OBSERVE_FIRST of these per class */
	if (r->observed)
		e->observed[ce->class] += !r->new_page;
	effect_check(e, &e->checks[r->row], r);
	r->cpu = thread_cpu(e);
	e->res->steps++;
	e->rp->steps++;
	*pc = r->pc_after;
	/*
	 * What comes between this step's window and the next, decided inside
	 * this one: after the last read the code up to the next window is then
	 * the same whatever came between (step_between()).
	 */
	b.end = r->observed;
	b.mark = e->rp->steps == e->mark_at;
	e->next_row = row_at(e, *pc);
	e->next_path = path_at(e, *pc);
	b.begin = observe_at(e, e->next_row, e->next_path, e->rp->steps);
	/* one call site of the read, whatever the number of reads */
	take = r;
	do {
		ret = counters_take(e, take);
		take = &e->mark_rec;
	} while (!ret && (b.end | b.mark | b.begin) && !(ret = step_between(e, r, &b)));
	if (ret) {
		snprintf(err, len, "reading counters: %s", strerror(-ret));
		return ret;
	}
	return step_finish(e);
}

/*
 * The run stopped (--steps, a stop) between a register row and its log
 * row: one more step, outside every window and counted nowhere, runs the
 * log row, so the register is proven like any other (or unproven).
 */
static void log_finish(struct engine *e, uint64_t pc)
{
	int row = row_at(e, pc);

	if (!e->log_rec || e->log_rec == &e->log_sink || *data_word(e, GUEST_DATA_LOG) != LOG_IDLE ||
	    row < 0 || catalog[row].effect != EFFECT_LOG)
		return;
	if (__vcpu_run(&e->vcpu) || e->vcpu.run->exit_reason != KVM_EXIT_DEBUG)
		*data_word(e, GUEST_DATA_LOG) = LOG_IDLE;
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
	struct timespec t0, t1;
	bool marking;
	unsigned int i;
	int ret;

	ret = engine_init(&e, err, errlen);
	if (ret)
		goto out;
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
	e.next_row = row_at(&e, pc);
	e.next_path = !ret && !o->bare ? path_at(&e, pc) : RE_PLAIN;
	if (!ret && !o->bare && observe_at(&e, e.next_row, e.next_path, 0) && (ret = observe_begin(&e)))
		snprintf(err, errlen, "enabling the tracepoints: %s", strerror(-ret));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!ret && o->bare)
		ret = bare_loop(&e, err, errlen);
	while (!ret && !o->bare && rp->steps < p->steps) {
		if (o->stop && *o->stop) {
			ret = -EINTR;
			break;
		}
		ret = step_one(&e, &pc, err, errlen);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rp->elapsed_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000ll +
				     (t1.tv_nsec - t0.tv_nsec));
	if (marking)
		o->marker(o->marker_arg);
	if (!ret || ret == -EINTR)
		log_finish(&e, pc);
	if (ret == -EFAULT)
		ret = 0;	/* a lost guest is a verdict, not an error */
	if ((pending_flush(&e) || pending_settle(&e)) && !ret) {
		snprintf(err, errlen, "recording steps: out of memory");
		ret = -ENOMEM;
	}
	/* everything the thread did for these steps, housekeeping included */
	if (!ret && o->counters && !counters_read(o->counters, e.last))
		for (i = 0; i < M_COUNTERS; i++)
			if (e.take & (1u << i))
				rp->total[i] = e.last[i] - start[i];
out:
	if (e.traced)
		counters_trace_off(o->counters, NULL, NULL);
	engine_teardown(&e);
	return ret;
}
