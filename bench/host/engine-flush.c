// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to a step after its window: the verdict, the evidence of a
 * non-conforming step, its --trace line and the per-class and per-path
 * totals.  Steps wait in the pending buffer until the loop flushes it,
 * every PENDING_STEPS steps and at the end of a program, so none of this
 * lands in a step's measured window.
 */
#include <stdio.h>
#include <string.h>

#include "host/engine-priv.h"
#include "lib/alike.h"

int nc_keep(struct engine *e, const struct step_record *r, unsigned int f)
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

/* One line per step, its columns those of engine_trace_header(); the time in ns. */
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
			fprintf(e->o->trace, ",%llu", (unsigned long long)(m == M_TIME_NS ?
				ns_from_ticks(r->m[m], e->ns_per_tick) : r->m[m]));
		else
			fputc(',', e->o->trace);
	}
	fputc('\n', e->o->trace);
}

/*
 * The data words share the vector table's 4 KiB page: the first access
 * to it, by a mem row's load or store or by a fetch there, is a stage-2
 * fault like a first fetch from a code page (page_new() sees fetches
 * only).  In step order, here: no step's window pays for it.
 */
static void data_first_touch(struct engine *e, struct step_record *r, unsigned int cls)
{
	uint64_t page = (GUEST_DATA - GUEST_RAM_BASE) >> 12;
	bool fetched = ((r->pc - GUEST_RAM_BASE) >> 12) == page ||
		       ((r->pc_after - GUEST_RAM_BASE) >> 12) == page;

	if (cls == CLASS_MEM)
		r->new_page = true;
	e->data_seen = cls == CLASS_MEM || fetched;
}

/*
 * What the step loop leaves to the flush, before the step is set against
 * its class's last: a first touch of the data words, the entries an
 * unobserved step is judged by.
 */
static void step_complete(struct engine *e, struct pending *pd)
{
	struct step_record *r = &pd->r;

	if (!e->data_seen)
		data_first_touch(e, r, pd->cls);
	if (!r->observed)
		r->class_entries = e->class_entries[pd->cls];
}

/*
 * The step's verdict, from the one judge, here and not inside any step's
 * window: judging and keeping a non-conforming step's evidence cost what
 * the step's faults make them cost, which must not land in the next
 * step's count.  Returns the evidence the step lacked.
 */
static unsigned int step_verdict(struct engine *e, struct pending *pd)
{
	const struct class_expect *x = e->o->expect ? &e->o->expect[pd->cls] : NULL;
	struct step_record *r = &pd->r;
	unsigned int unproven;

	pd->faults = step_judge(r, pd->cls, x, &unproven);
	/*
	 * What the class's steps take when nothing else happens, from an
	 * observed plain step that conformed with no interrupt, signal or
	 * first fetch in it: the entries its unobserved steps are judged by.
	 */
	if (r->observed && r->path == RE_PLAIN && !pd->faults && !unproven &&
	    (r->have & (1u << M_IRQS)) && !r->m[M_IRQS] && !r->new_page && !r->interrupted)
		e->class_entries[pd->cls] = r->m[M_ENTRIES];
	if (e->o->cpus && !topo_cpuset_has(e->o->cpus, pd->r.cpu))
		pd->faults |= FAULT_CPU;
	if (pd->faults)
		nc_keep(e, &pd->r, pd->faults);
	else if (unproven)
		unproven_keep(e, unproven);
	return unproven;
}

/*
 * A step that waits for its log row when the buffer is flushed anyway
 * (the program's end, or a run of steps each waiting): the log word as it
 * is now, when its log row ran; unproven when it did not.
 */
static void log_settle(struct engine *e)
{
	uint64_t *log = data_word(e, GUEST_DATA_LOG);
	struct step_record *w = e->log_rec;

	if (w == &e->log_sink)
		return;
	if (*log != LOG_IDLE) {
		log_resolve(w, *log, e->log_want);
		*log = LOG_IDLE;
	}
	e->log_rec = &e->log_sink;
	e->log_want = LOG_IDLE;
}

/*
 * The steps of class @c counted alike its last conforming step since that
 * one came, at once: they are on its path and add what it added.
 */
static void alike_count(struct engine *e, unsigned int c, uint64_t *n)
{
	const struct step_record *r;

	if (!n[c])
		return;
	r = &e->alike[c]->r;
	path_stats_add_n(&e->res->paths[r->path][c], r, 0, n[c]);
	class_stats_count_alike(&e->res->cls[c], r, n[c]);
	n[c] = 0;
}

int pending_flush(struct engine *e)
{
	uint64_t nalike[CLASS_MAX] = { 0 };
	const unsigned int npend = e->npend;
	const bool trace = e->o->trace, every = e->observe_every == 1;
	unsigned int i, m, unproven;
	bool irqs_inexact = false, alike;
	struct pending *like;
	int ret = 0;

	log_settle(e);
	/* a record in the interrupt ring that is no sample: its counts are off */
	if (e->o->counters && counters_irqs_settle(e->o->counters))
		irqs_inexact = true;
	for (i = 0; i < npend; i++) {
		struct pending *pd = &e->pend[i];

		if (irqs_inexact && pd->r.m[M_IRQS])
			pd->r.counters_partial = true;

		/*
		 * The last run of a step of several (MMIO completion: where the
		 * flag design re-enters), from the snapshot step_run() took.
		 * Here and not in any step's window: work after a step's last
		 * counter read is charged to the next step, so it must not
		 * depend on the class.  Times stay in counter ticks: the
		 * distributions take them as ns (class_stats.ns_per_tick).
		 */
		if (pd->r.m[M_RUNS] > 1)
			for (m = 0; m < M_MAX; m++)
				pd->r.last[m] = pd->r.m[m] - pd->r.last[m];
		step_complete(e, pd);
		/*
		 * Most steps of a class repeat the one before in everything
		 * the verdict and the totals read: such a step is counted as
		 * that one was, and only its time goes into the distributions.
		 */
		like = e->alike[pd->cls];
		alike = like && step_alike(&like->r, &pd->r);
		/* the syndrome decoded: the same raw word decodes the same */
		if (alike)
			pd->r.syn = like->r.syn;
		else
			arch_decode_syndrome(pd->r.syn.raw, &pd->r.syn);
		pd->faults = 0;
		if (!alike) {
			/* the steps alike the last one, before it is another */
			alike_count(e, pd->cls, nalike);
			unproven = step_verdict(e, pd);
		}
		if (trace)
			trace_step(e, pd);
		if (pd->r.path == RE_STORM)
			e->res->paths_on |= 1u << RE_STORM;
		/* every step observed: all its host figures are of one kind */
		if (every)
			pd->r.observed = false;
		if (alike) {
			nalike[pd->cls]++;
			ret = class_stats_time_alike(&e->res->cls[pd->cls], &pd->r);
		} else {
			path_stats_add(&e->res->paths[pd->r.path][pd->cls], &pd->r, pd->faults);
			ret = class_stats_add(&e->res->cls[pd->cls], &pd->r, pd->faults);
			e->alike[pd->cls] = pd->faults || unproven ? NULL : pd;
		}
		if (ret)
			break;
	}
	for (m = 0; m < CLASS_MAX; m++)
		alike_count(e, m, nalike);
	/* the buffer is filled again from its start */
	memset(e->alike, 0, sizeof(e->alike));
	e->npend = 0;
	return ret;
}

int pending_settle(struct engine *e)
{
	unsigned int i;
	int ret;

	for (i = 0; i < CLASS_MAX; i++) {
		ret = class_stats_settle(&e->res->cls[i]);
		if (ret)
			return ret;
	}
	return 0;
}
