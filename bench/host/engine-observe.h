/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counter reads that close a step's window, and the schedule of the
 * steps the tracepoints are on for (engine.h, OBSERVE_EVERY).
 *
 * Included by engine.c alone, where these functions stand in its text:
 * the compiler inlines them into engine_run() with the rest of the step
 * loop, and they use the loop's row_at() and path_at().
 */
#ifndef STEPLAB_ENGINE_OBSERVE_H
#define STEPLAB_ENGINE_OBSERVE_H

/*
 * Closes the window of the step being measured: the hardware counters,
 * from user space where the kernel allows it, and the interrupt ring's
 * head.
 */
#define TAKE_USUAL	((1u << M_GUEST_INSNS) | (1u << M_HOST_INSNS) | (1u << M_CYCLES) | \
			 (1u << M_IRQS))

static int counters_take(struct engine *e, struct step_record *r)
{
	static const uint8_t usual[] = { M_GUEST_INSNS, M_HOST_INSNS, M_CYCLES, M_IRQS };
	uint64_t now[M_COUNTERS];
	bool partial = false;
	uint32_t todo = e->take;
	unsigned int m, i;
	int ret;

	if (!e->o->counters)
		return 0;
	ret = counters_read_hw(e->o->counters, now, &partial);
	if (ret)
		return ret;
	/* the usual metrics without the loop over the mask */
	if (todo == TAKE_USUAL) {
#pragma GCC unroll 4
		for (i = 0; i < sizeof(usual); i++) {
			m = usual[i];
			r->m[m] += now[m] - e->last[m];
			e->last[m] = now[m];
		}
		todo = 0;
	}
	while (todo) {
		m = (unsigned int)__builtin_ctz(todo);
		todo &= todo - 1;
		r->m[m] += now[m] - e->last[m];
		e->last[m] = now[m];
	}
	/* multiplexed, or taken by another user: the counts are not the window's */
	r->counters_partial |= partial;
	return 0;
}

/*
 * Whether the step at @pc (on catalog row @row), the @n-th of its program
 * (from 0), is one the tracepoints count on: decided inside the step
 * before's window, the same work at every step.
 */
static inline __attribute__((always_inline)) bool
observe_at(struct engine *e, int row, enum reentry path, uint64_t n)
{
	if (!e->traced || row < 0)
		return false;
	/* all three evaluated, no short cut: the same work whatever the answer */
	return (path != RE_PLAIN) | (n % e->observe_every == 0) |
	       (e->observed[catalog[row].class] < OBSERVE_FIRST);
}

/*
 * What comes between two steps' windows when it must: the tracepoints
 * off after an observed step (its entries and exits read), a mark for
 * an external observer, the tracepoints on before an observed step.  One
 * at a time, each cleared when done; the caller reads the counters after
 * each, at the one place that closes every step's window, so that the
 * next window starts with the same code whatever came between.
 */
struct between {
	bool end, mark, begin;
};

static __attribute__((noinline)) int step_between(struct engine *e, struct step_record *r,
						 struct between *b)
{
	struct counters *c = e->o->counters;
	int ret;

	if (b->end) {
		b->end = false;
		r->have |= e->traced;
		return counters_trace_off(c, &r->m[M_ENTRIES], &r->m[M_KVM_EXITS]);
	}
	if (b->mark) {
		b->mark = false;
		e->o->marker(e->o->marker_arg);
		e->mark_at = engine_marker_next(e->rp->steps, e->p->steps, e->o->marker_every);
		return 0;
	}
	b->begin = false;
	ret = counters_trace_on(c);
	e->observing = !ret;
	return ret;
}

/* Before a program's first step: the tracepoints on, the counters read again. */
static int observe_begin(struct engine *e)
{
	struct between b = { .begin = true };
	int ret = step_between(e, &e->mark_rec, &b);

	return ret ? ret : counters_take(e, &e->mark_rec);
}

#endif
