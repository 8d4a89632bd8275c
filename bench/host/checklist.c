// SPDX-License-Identifier: GPL-2.0
/*
 * Checklist items, in the order a lab brings a board up: KVM, its mode,
 * counters and tracepoints, perf settings, the timer, the board's GPIO
 * lines, its cores, and last a short conformance run on every core kind.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/arch.h"
#include "host/checklist.h"
#include "host/counters.h"
#include "host/engine.h"
#include "host/kinds.h"
#include "host/kvm.h"
#include "host/run-prep.h"
#include "lib/board-find.h"
#include "lib/context.h"
#include "lib/file.h"

struct ck_run {
	const struct board *b;
	bool arm64;			/* this build can run guests */
	bool kvm;			/* /dev/kvm opened */
	int kvm_fd;
	struct kinds kinds;
	bool kinds_ok;
	struct run_context ctx;
	/* an emulator standing in for the physical board of the file */
	const struct board *stand_in;
	struct board stand_in_buf;
};

#define WHY(...) snprintf(why, len, __VA_ARGS__)

static enum ck_status ck_kvm(struct ck_run *r, char *why, size_t len)
{
	if (!r->arm64) {
		WHY("%s (this is %s)", arch_unsupported(), arch_name());
		return CK_FAIL;
	}
	r->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (r->kvm_fd < 0) {
		WHY("/dev/kvm: %s", strerror(errno));
		return CK_FAIL;
	}
	r->kvm = true;
	WHY("/dev/kvm opens, API version %d", ioctl(r->kvm_fd, KVM_GET_API_VERSION, 0));
	return CK_PASS;
}

static enum ck_status ck_caps(struct ck_run *r, char *why, size_t len)
{
	static const struct { long cap; const char *name; } caps[] = {
		{ KVM_CAP_SET_GUEST_DEBUG, "SET_GUEST_DEBUG" },
		{ KVM_CAP_ONE_REG, "ONE_REG" },
		{ KVM_CAP_ARM_PSCI_0_2, "ARM_PSCI_0_2" },
		{ KVM_CAP_ARM_PMU_V3, "ARM_PMU_V3" },
	};
	char missing[128] = "";
	unsigned int i;

	if (!r->kvm) {
		WHY("no /dev/kvm");
		return CK_SKIP;
	}
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (ioctl(r->kvm_fd, KVM_CHECK_EXTENSION, caps[i].cap) <= 0)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 " %s", caps[i].name);
	if (missing[0]) {
		WHY("missing:%s", missing);
		return CK_FAIL;
	}
	WHY("SET_GUEST_DEBUG, ONE_REG, ARM_PSCI_0_2, ARM_PMU_V3");
	return CK_PASS;
}

static enum ck_status ck_mode(struct ck_run *r, char *why, size_t len)
{
	if (!r->kvm) {
		WHY("no /dev/kvm");
		return CK_SKIP;
	}
	if (!r->b->kvm_mode[0]) {
		WHY("the board file names no kvm_mode; the kernel log says %s", r->ctx.kvm_mode);
		return CK_SKIP;
	}
	if (strcmp(r->b->kvm_mode, r->ctx.kvm_mode)) {
		WHY("board file says %s, the kernel log says %s", r->b->kvm_mode, r->ctx.kvm_mode);
		return CK_FAIL;
	}
	WHY("%s, as the board file says", r->ctx.kvm_mode);
	return CK_PASS;
}

static enum ck_status ck_pmus(struct ck_run *r, char *why, size_t len)
{
	const struct topology *t = &r->kinds.topo;
	unsigned int i;
	size_t n = 0;

	if (!r->kinds_ok) {
		WHY("no topology: %s", r->kinds.reason);
		return CK_FAIL;
	}
	for (i = 0; i < t->nr_kinds; i++) {
		if (!t->kinds[i].pmu[0]) {
			WHY("kind %s (cpus of MIDR 0x%" PRIx64 ") has no PMU in sysfs",
			    t->kinds[i].label, t->kinds[i].midr);
			return CK_FAIL;
		}
		n += snprintf(why + n, n < len ? len - n : 0, "%s%s: %s (type %d)",
			      i ? "; " : "", t->kinds[i].label, t->kinds[i].pmu,
			      t->kinds[i].pmu_type);
	}
	return CK_PASS;
}

/* Opens the counter group the way a run does, on the first kind. */
static enum ck_status ck_counter(struct ck_run *r, enum metric m, bool required,
				 const char *what, char *why, size_t len)
{
	struct counters c;
	int pmu_type = -1, ret;

	if (r->kinds_ok && r->kinds.topo.heterogeneous)
		pmu_type = r->kinds.runs[0].pe.pmu_type;
	ret = counters_open(&c, pmu_type);
	if (ret && ret != -ENOENT) {
		WHY("perf_event_open: %s", strerror(-ret));
		return CK_FAIL;
	}
	if (ret || !(c.have & (1u << m))) {
		WHY("%s: %s", what, ret ? "no counter opens" : c.why[m]);
		if (!ret)
			counters_close(&c);
		return required ? CK_FAIL : CK_SKIP;
	}
	counters_close(&c);
	WHY("%s opens", what);
	return CK_PASS;
}

/* Opening is not counting: protected KVM of 6.12+ opens it and counts nothing. */
static enum ck_status ck_guest_counting(struct ck_run *r, char *why, size_t len)
{
	enum ck_status s = ck_counter(r, M_GUEST_INSNS, true,
				      "guest-only instructions (exclude_host)", why, len);
	struct counters c;

	if (s != CK_PASS || !r->kvm ||
	    counters_open(&c, r->kinds_ok && r->kinds.topo.heterogeneous ?
			      r->kinds.runs[0].pe.pmu_type : -1))
		return s;
	run_guest_counting_check(&c, r->b);
	if (!(c.have & (1u << M_GUEST_INSNS))) {
		WHY("guest-only instructions (exclude_host) %s", c.why[M_GUEST_INSNS]);
		s = CK_FAIL;
	} else {
		WHY("guest-only instructions (exclude_host) open and count the guest's");
	}
	counters_close(&c);
	return s;
}

static enum ck_status ck_tracepoints(struct ck_run *r, char *why, size_t len)
{
	enum ck_status s = ck_counter(r, M_ENTRIES, r->b->checklist.require_kvm_tracepoints,
				      "kvm:kvm_entry", why, len);

	if (s != CK_PASS)
		return s;
	return ck_counter(r, M_KVM_EXITS, r->b->checklist.require_kvm_tracepoints,
			  "kvm:kvm_entry and kvm:kvm_exit", why, len);
}

static enum ck_status ck_paranoid(struct ck_run *r, char *why, size_t len)
{
	long v;

	if (file_read_long("/proc/sys/kernel/perf_event_paranoid", &v)) {
		WHY("/proc/sys/kernel/perf_event_paranoid unreadable");
		return CK_FAIL;
	}
	if (v > r->b->checklist.max_perf_event_paranoid && geteuid()) {
		WHY("perf_event_paranoid %ld, the board allows at most %d", v,
		    r->b->checklist.max_perf_event_paranoid);
		return CK_FAIL;
	}
	if (v > r->b->checklist.max_perf_event_paranoid) {
		WHY("perf_event_paranoid %ld, above %d, but steplab runs as root", v,
		    r->b->checklist.max_perf_event_paranoid);
		return CK_PASS;
	}
	WHY("perf_event_paranoid %ld (at most %d)", v, r->b->checklist.max_perf_event_paranoid);
	return CK_PASS;
}

static enum ck_status ck_user_access(struct ck_run *r, char *why, size_t len)
{
	bool need = r->b->checklist.require_perf_user_access;
	long v;

	if (file_read_long("/proc/sys/kernel/perf_user_access", &v)) {
		WHY("no /proc/sys/kernel/perf_user_access (arm64, Linux 5.17+)");
		return need ? CK_FAIL : CK_SKIP;
	}
	if (need && v != 1) {
		WHY("perf_user_access %ld; the board requires 1", v);
		return CK_FAIL;
	}
	WHY("perf_user_access %ld%s", v, need ? "" : " (not required)");
	return CK_PASS;
}

static enum ck_status ck_timer(struct ck_run *r, char *why, size_t len)
{
	uint64_t hz = r->arm64 ? arch_counter_hz() : 0;

	if (!r->arm64) {
		WHY("CNTFRQ_EL0 is read on arm64 only");
		return CK_SKIP;
	}
	if (hz < r->b->checklist.min_counter_hz) {
		WHY("CNTFRQ_EL0 %" PRIu64 " Hz, below the board's %" PRIu64 " Hz", hz,
		    r->b->checklist.min_counter_hz);
		return CK_FAIL;
	}
	WHY("CNTFRQ_EL0 %" PRIu64 " Hz (at least %" PRIu64 ")", hz, r->b->checklist.min_counter_hz);
	return CK_PASS;
}

/*
 * On an emulator of the board's core kind: the kind is checked, the count
 * and the PMU's name are the real machine's.
 */
static bool kinds_all_in_board(const struct ck_run *r)
{
	const struct topology *t = &r->kinds.topo;
	unsigned int k;

	for (k = 0; k < t->nr_kinds; k++)
		if (!board_core_by_midr(r->b, t->kinds[k].midr))
			return false;
	return t->nr_kinds > 0;
}

static enum ck_status ck_cores_emulated(struct ck_run *r, char *why, size_t len)
{
	const struct board_core *c = board_core_by_midr(r->b, r->kinds.topo.kinds[0].midr);

	WHY("needs the real hardware: emulated %s (%s) is the board's kind, but its count "
	    "(%u in the file) and PMU name (%s) are the real machine's", c->kind,
	    r->stand_in->name, c->count, c->pmu[0] ? c->pmu : "unnamed");
	return CK_SKIP;
}

/* The board file's cores, kind by kind, against the machine's. */
static enum ck_status ck_cores(struct ck_run *r, char *why, size_t len)
{
	const struct topology *t = &r->kinds.topo;
	const struct board *b = r->b;
	unsigned int i, k;

	if (!r->kinds_ok) {
		WHY("no topology: %s", r->kinds.reason);
		return CK_FAIL;
	}
	if (t->kinds_from != TOPO_KINDS_MIDR) {
		WHY("no MIDRs in sysfs (%s): kinds cannot be matched", t->reason);
		return CK_FAIL;
	}
	if (r->stand_in)
		return ck_cores_emulated(r, why, len);
	for (i = 0; i < b->ncores; i++) {
		const struct board_core *c = &b->cores[i];

		for (k = 0; k < t->nr_kinds; k++)
			if (((t->kinds[k].midr >> 24) & 0xff) == c->implementer &&
			    ((t->kinds[k].midr >> 4) & 0xfff) == c->part)
				break;
		if (k == t->nr_kinds) {
			WHY("board file: %u x %s (0x%02x/0x%03x); this machine has no such core",
			    c->count, c->kind, c->implementer, c->part);
			return CK_FAIL;
		}
		if (t->kinds[k].nr_cores != c->count) {
			WHY("board file: %u x %s; this machine has %u", c->count, c->kind,
			    t->kinds[k].nr_cores);
			return CK_FAIL;
		}
		if (c->pmu[0] && strcmp(c->pmu, t->kinds[k].pmu)) {
			WHY("board file: %s counts on PMU %s; this machine names it %s",
			    c->kind, c->pmu, t->kinds[k].pmu[0] ? t->kinds[k].pmu : "(none)");
			return CK_FAIL;
		}
	}
	for (k = 0; k < t->nr_kinds; k++)
		if (!board_core_by_midr(b, t->kinds[k].midr)) {
			WHY("this machine has %u x %s (MIDR 0x%" PRIx64 "), not in the board file",
			    t->kinds[k].nr_cores, t->kinds[k].label, t->kinds[k].midr);
			return CK_FAIL;
		}
	WHY("%u kind(s), as the board file says", t->nr_kinds);
	return CK_PASS;
}

/*
 * The CPU each kind's run pins to is one the kernel keeps for it: isolated
 * from the scheduler (isolcpus=) and without the periodic tick
 * (nohz_full=), so interrupts and other tasks stay on the housekeeping
 * CPUs (irqaffinity=, rcu_nocbs=).  Not on the emulated board: QEMU runs
 * every vCPU in one thread there, and a second vCPU brings lock waits
 * between them into the measured steps instead of taking noise out.
 */
static enum ck_status ck_isolation(struct ck_run *r, char *why, size_t len)
{
	const struct topology *t = &r->kinds.topo;
	unsigned int i;
	int cpu;

	if (!r->kinds_ok) {
		WHY("no topology: %s", r->kinds.reason);
		return CK_FAIL;
	}
	if (r->b->emulated) {
		WHY("emulated board: one QEMU thread runs every vCPU; isolation is for real boards");
		return CK_SKIP;
	}
	if (r->stand_in) {
		WHY("needs the real hardware: on the emulator standing in (%s) one QEMU thread runs every vCPU",
		    r->stand_in->name);
		return CK_SKIP;
	}
	for (i = 0; i < r->kinds.nr; i++) {
		cpu = (int)r->kinds.runs[i].pe.cpu;
		if (!topo_cpuset_has(&t->isolated, cpu) || !topo_cpuset_has(&t->nohz_full, cpu)) {
			WHY("cpu %d (%s) is not in %s%s%s: boot with isolcpus=%d nohz_full=%d rcu_nocbs=%d and irqaffinity= the other CPUs",
			    cpu, r->kinds.runs[i].pe.label,
			    topo_cpuset_has(&t->isolated, cpu) ? "" : "/sys/devices/system/cpu/isolated",
			    !topo_cpuset_has(&t->isolated, cpu) && !topo_cpuset_has(&t->nohz_full, cpu) ?
			    " nor " : "",
			    topo_cpuset_has(&t->nohz_full, cpu) ? "" : "/sys/devices/system/cpu/nohz_full",
			    cpu, cpu, cpu);
			return CK_FAIL;
		}
	}
	WHY("the measured cpu of each of %u kind(s) is isolated and nohz_full", r->kinds.nr);
	return CK_PASS;
}

/* The conformance program on every planned kind, opened as a run opens it. */
static int ck_conformance_run(struct ck_run *r, const struct board *jb, const struct program *p,
			      uint64_t *steps, uint64_t *bad, char *err, size_t len)
{
	struct kind_open ko = { .b = jb };
	struct engine_opts eo = { .expect = jb->expect };
	struct run_program rp;
	struct run_result *res = calloc(1, sizeof(*res));
	struct counters c;
	unsigned int i;
	int ret = 0;

	if (!res) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < r->kinds.nr && !ret; i++) {
		struct kind_run *kr = &r->kinds.runs[i];

		run_result_init(res);
		memset(&rp, 0, sizeof(rp));
		snprintf(rp.name, sizeof(rp.name), "checklist");
		ret = kind_run_open(kr, &r->kinds, &ko, &c, &eo.counters, err, len);
		eo.cpus = &kr->pe.cpus;
		if (!ret)
			ret = engine_run(p, &eo, res, &rp, err, len);
		kind_run_close(eo.counters);
		*steps += res->steps;
		*bad += res->nonconforming;
		if (!ret && res->nonconforming && res->nnc)
			step_evidence(&res->nc[0].r, res->nc[0].faults, err, len);
		run_result_free(res);
	}
	free(res);
	return ret;
}

/*
 * A short single-step conformance run on every core kind.  On an emulator
 * standing in for the board, steps are judged by the emulated board's
 * expectations (QEMU's counting quirks); the board's own need hardware.
 */
static enum ck_status ck_conformance(struct ck_run *r, char *why, size_t len)
{
	const struct board *jb = r->stand_in ? r->stand_in : r->b;
	struct program p;
	struct mix m;
	char err[256] = "";
	uint64_t steps = 0, bad = 0;
	int ret;

	if (!r->kvm || !r->kinds_ok) {
		WHY("%s", !r->kvm ? "no /dev/kvm" : "no topology");
		return CK_SKIP;
	}
	program_init(&p, "checklist");
	mix_parse(SUITE_MIX, &m, err, sizeof(err));
	ret = program_add_fixed(&p, "every");
	if (!ret)
		ret = program_add_mix(&p, &m, 1, jb->checklist.conformance_steps);
	if (!ret)
		ret = ck_conformance_run(r, jb, &p, &steps, &bad, err, sizeof(err));
	program_free(&p);
	if (ret) {
		WHY("the run failed: %s", err);
		return CK_FAIL;
	}
	if (bad) {
		WHY("%" PRIu64 " of %" PRIu64 " steps non-conforming; first: %s", bad, steps, err);
		return CK_FAIL;
	}
	if (r->stand_in)
		WHY("%" PRIu64 " steps on %u emulated kind(s), all conforming by %s's expectations; "
		    "the board's own expectations need the real hardware", steps, r->kinds.nr,
		    r->stand_in->name);
	else
		WHY("%" PRIu64 " steps on %u kind(s), all conforming", steps, r->kinds.nr);
	return CK_PASS;
}

static const struct {
	const char *name, *what;
	enum ck_status (*fn)(struct ck_run *r, char *why, size_t len);
} items[] = {
	{ "kvm",		"/dev/kvm opens on an arm64 host",		ck_kvm },
	{ "kvm-caps",		"KVM has the capabilities steplab needs",	ck_caps },
	{ "kvm-mode",		"KVM's mode is the board file's",		ck_mode },
	{ "pmu-per-kind",	"every core kind has a PMU",			ck_pmus },
	{ "guest-counting",	"guest-only counting works",			ck_guest_counting },
	{ "kvm-tracepoints",	"kvm tracepoints can be counted",		ck_tracepoints },
	{ "perf-paranoid",	"perf_event_paranoid allows the counters",	ck_paranoid },
	{ "perf-user-access",	"perf_user_access as the board needs",		ck_user_access },
	{ "counter-frequency",	"the counter timer is fast enough",		ck_timer },
	{ "cores",		"cores and kinds match the board file",		ck_cores },
	{ "isolation",		"each measured CPU is isolated, without the tick", ck_isolation },
	{ "conformance",	"single-step conformance on every core kind",	ck_conformance },
};

unsigned int ck_count(void)
{
	return sizeof(items) / sizeof(items[0]);
}

const char *ck_status_name(enum ck_status s)
{
	return s == CK_PASS ? "pass" : s == CK_FAIL ? "fail" : "skip";
}

/* The emulated board file of this machine, when it is an emulator. */
static void stand_in_find(struct ck_run *r)
{
	struct machine m;
	char why[320];

	if (machine_read(&m) || board_find(&m, &r->stand_in_buf, why, sizeof(why)) ||
	    !r->stand_in_buf.emulated)
		return;
	r->stand_in = &r->stand_in_buf;
}

int checklist_run(const struct board *b, struct ck_result *out, unsigned int *n)
{
	struct ck_run r = { .b = b, .kvm_fd = -1, .arm64 = !arch_unsupported() };
	char err[256];
	unsigned int i;

	context_read(&r.ctx);
	r.kinds_ok = !kinds_plan(&r.kinds, false, -1, err, sizeof(err)) && r.kinds.topo_ok;
	/* an emulator of the board's own core kinds stands in for it */
	if (r.ctx.emulated && !b->emulated && r.kinds_ok && kinds_all_in_board(&r))
		stand_in_find(&r);
	for (i = 0; i < ck_count(); i++) {
		out[i].name = items[i].name;
		out[i].what = items[i].what;
		out[i].reason[0] = '\0';
		out[i].status = items[i].fn(&r, out[i].reason, sizeof(out[i].reason));
	}
	*n = i;
	kinds_free(&r.kinds);
	if (r.kvm_fd >= 0)
		close(r.kvm_fd);
	return 0;
}
