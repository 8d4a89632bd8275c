// SPDX-License-Identifier: GPL-2.0
/* Building a report from a run: its context, results, verdicts and evidence. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/identity.h"
#include "report/report.h"

/*
 * The exact distribution as [value, count] pairs, ascending: what compare
 * needs for intervals.  Values cluster, so this stays small; past
 * HISTOGRAM_MAX distinct values only the smallest are kept and the report
 * says so.
 */
#define HISTOGRAM_MAX	4096

static json_t *histogram_json(const struct dist *d)
{
	size_t n = dist_values(d, NULL, NULL, 0), k, i;
	uint64_t *vals, *counts;
	json_t *pairs = json_array();

	k = n < HISTOGRAM_MAX ? n : HISTOGRAM_MAX;
	vals = calloc(k ? k : 1, sizeof(*vals));
	counts = calloc(k ? k : 1, sizeof(*counts));
	if (vals && counts) {
		dist_values(d, vals, counts, k);
		for (i = 0; i < k; i++)
			json_array_append_new(pairs, json_pack("[II]", (json_int_t)vals[i],
							       (json_int_t)counts[i]));
	}
	free(vals);
	free(counts);
	return json_pack("{so sb}", "pairs", pairs, "truncated", n > k);
}

static json_t *metric_json(const struct dist *d, const struct dist *quiet)
{
	struct dist_summary s, q;
	json_t *o;

	if (dist_summarize(d, &s))
		return NULL;
	o = json_pack("{sI sI sI sI sI sI sI sI sI sI sf sI sf}",
			 "n", (json_int_t)s.n, "min", (json_int_t)s.min,
			 "p10", (json_int_t)s.p10, "median", (json_int_t)s.median,
			 "p90", (json_int_t)s.p90, "p99", (json_int_t)s.p99,
			 "max", (json_int_t)s.max, "mode", (json_int_t)s.mode,
			 "mode_count", (json_int_t)s.mode_count,
			 "distinct", (json_int_t)s.distinct,
			 "mode_fraction", (double)s.mode_count / (double)s.n,
			 "mad", (json_int_t)s.mad, "mean", s.mean);
	if (o)
		json_object_set_new(o, "histogram", histogram_json(d));
	/* Steps no host interrupt landed in: the step's own cost. */
	if (o && quiet && !dist_summarize(quiet, &q))
		json_object_set_new(o, "quiet", json_pack("{sI sI sI sI sf}",
				    "n", (json_int_t)q.n, "median", (json_int_t)q.median,
				    "mode", (json_int_t)q.mode,
				    "mode_count", (json_int_t)q.mode_count,
				    "mode_fraction", (double)q.mode_count / (double)q.n));
	return o;
}

static json_t *metrics_json(const struct report_input *in, const struct dist *d,
			    const struct dist *quiet)
{
	json_t *metrics = json_object();
	unsigned int m;

	for (m = 0; m < M_MAX; m++) {
		json_t *mj = (in->have & (1u << m)) ?
			     metric_json(&d[m], quiet ? &quiet[m] : NULL) : NULL;

		if (mj)
			json_object_set_new(metrics, metric_name(m), mj);
	}
	return metrics;
}

static json_t *class_json(const struct report_input *in, const struct run_result *res,
			  enum insn_class c, enum design *d)
{
	const struct class_stats *cs = &res->cls[c];
	const struct class_expect *x = &in->board->expect[c];
	json_t *o, *metrics = metrics_json(in, cs->d, cs->quiet);
	char ev[256];
	*d = design_classify(cs, c, ev, sizeof(ev));
	o = json_pack("{ss sb sI sI sI sI so s{ss ss}}",
		      "class", class_name(c), "emulated", class_is_emulated(c),
		      "steps", (json_int_t)cs->steps,
		      "conforming", (json_int_t)cs->conforming,
		      "isv_set", (json_int_t)cs->isv_set,
		      "isv_clear", (json_int_t)cs->isv_clear,
		      "metrics", metrics,
		      "design", "verdict", design_name(*d), "evidence", ev);
	/* the run after MMIO completion: where the flag design re-enters */
	if (o && cs->last[M_RUNS].n)
		json_object_set_new(o, "completion_run", metrics_json(in, cs->last, NULL));
	if (o && x->board)
		json_object_set_new(o, "expect", json_pack("{s{sI sI sb} ss}",
				    "guest_instructions", "min", (json_int_t)x->guest_lo,
				    "max", (json_int_t)x->guest_hi, "per_entry", x->per_entry,
				    "quirk", x->quirk ? x->quirk : ""));
	return o;
}

static json_t *faults_json(unsigned int f)
{
	json_t *a = json_array();
	unsigned int b;

	for (b = 0; b < FAULT_MAX_BIT; b++)
		if (f & (1u << b))
			json_array_append_new(a, json_string(fault_name(b)));
	return a;
}

static json_t *nonconforming_json(const struct run_result *res, const struct known *known)
{
	json_t *steps = json_array();
	char ev[512], pc[3][24];
	unsigned int i;

	for (i = 0; i < res->nnc; i++) {
		const struct nc_step *n = &res->nc[i];

		step_evidence(&n->r, n->faults, ev, sizeof(ev));
		snprintf(pc[0], sizeof(pc[0]), "0x%" PRIx64, n->r.pc);
		snprintf(pc[1], sizeof(pc[1]), "0x%" PRIx64, n->r.pc_after);
		snprintf(pc[2], sizeof(pc[2]), "0x%" PRIx64, n->r.pc_expected);
		json_array_append_new(steps, json_pack(
			"{sI ss ss ss ss ss ss so ss}",
			"index", (json_int_t)n->r.index, "program", n->program,
			"class", n->r.row >= 0 ? class_name(catalog[n->r.row].class) : "none",
			"row", n->r.row >= 0 ? catalog[n->r.row].name : "none",
			"pc", pc[0], "pc_after", pc[1], "pc_expected", pc[2],
			"faults", faults_json(n->faults), "evidence", ev));
		json_object_set_new(json_array_get(steps, json_array_size(steps) - 1),
				    "reentry", json_string(reentry_name(n->r.path)));
		if (n->known >= 0 && known)
			json_object_set_new(json_array_get(steps, json_array_size(steps) - 1),
					    "known", json_string(known->d[n->known].id));
	}
	return json_pack("{sI so sb}", "count", (json_int_t)res->nonconforming,
			 "steps", steps, "truncated", res->nonconforming > res->nnc);
}

/*
 * Keys of schema_version 1.2: where the KVM mode was read, which
 * exception levels each counter covers in it, whether the date can be
 * believed, and the kernel build as the harness knows it.
 */
static void context_more_json(json_t *o, const struct run_context *x)
{
	json_t *counting = json_object(), *build = json_object();
	unsigned int i;

	for (i = 0; i < x->ncounting; i++)
		json_object_set_new(counting, x->counting[i].metric, json_pack("{ss ss ss}",
				    "levels", x->counting[i].levels, "el2", x->counting[i].el2,
				    "why", x->counting[i].why));
	for (i = 0; i < x->nbuild; i++)
		json_object_set_new(build, x->build[i].key, json_string(x->build[i].value));
	json_object_set_new(o, "kvm_mode_from", json_string(x->kvm_mode_from));
	json_object_set_new(o, "counting", counting);
	json_object_set_new(o, "clock", json_pack("{sb ss}", "trusted", x->clock_trusted,
						  "why", x->clock_why));
	if (x->nbuild)
		json_object_set_new(o, "kernel_build", build);
	else
		json_decref(build);
	if (x->emulated_cpu[0])
		json_object_set_new(o, "emulated_cpu", json_string(x->emulated_cpu));
}

static json_t *context_json(const struct report_input *in)
{
	const struct run_context *x = in->ctx;
	json_t *argv = json_array(), *counters = json_object(), *ctx, *reads = NULL;
	char midr[64];
	unsigned int m;
	int i;

	for (i = 0; i < in->argc; i++)
		json_array_append_new(argv, json_string(in->argv[i]));
	for (m = 0; m < M_COUNTERS; m++)
		json_object_set_new(counters, metric_name(m), (in->have & (1u << m)) ?
			json_pack("{sb}", "available", 1) :
			json_pack("{sb ss}", "available", 0, "reason", in->why[m]));
	if (in->counter_reads) {
		reads = json_pack("{ss sI sI}", "hardware", in->counter_reads,
				      "fallbacks", (json_int_t)in->counter_fallbacks,
				      "tracepoints_every", (json_int_t)in->observe_every);

		if (in->counter_reads_why && in->counter_reads_why[0])
			json_object_set_new(reads, "reason", json_string(in->counter_reads_why));
	}
	snprintf(midr, sizeof(midr), "%s", x->midr);
	ctx = json_pack("{ss ss ss sb ss ss ss ss ss ss ss si ss ss ss ss so so}",
		"board", in->board->name, "board_file", in->board->path,
		"measured_on", x->emulated ? "emulated" : "physical",
		"emulated", x->emulated, "emulated_reason", x->emulated_why,
		"compatible", x->compatible, "kernel_release", x->kernel_release,
		"kernel_version", x->kernel_version, "machine", x->machine,
		"kvm_mode", x->kvm_mode, "midr", midr, "cpu", x->cpu,
		"hostname", x->hostname, "date", x->date,
		"steplab_version", STEPLAB_VERSION, "steplab_git", STEPLAB_GIT,
		"command_line", argv, "counters", counters);
	if (ctx)
		context_more_json(ctx, x);
	if (ctx && in->board->from[0])
		json_object_set_new(ctx, "board_from", json_string(in->board->from));
	else if (ctx && in->board->path[0])
		json_object_set_new(ctx, "board_from", json_string("given: --board"));
	if (ctx) {
		/* the re-entry paths the run took: part of what makes it comparable */
		json_t *paths = json_array();
		unsigned int p;

		for (p = 0; p < RE_MAX; p++)
			if (in->res->paths_on & (1u << p))
				json_array_append_new(paths, json_string(reentry_name(p)));
		json_object_set_new(ctx, "reentry", paths);
		/* schema 1.5: every register effect stored by a log row, none read */
		json_object_set_new(ctx, "effects", json_string("log rows"));
		if (reads)
			json_object_set_new(ctx, "counter_reads", reads);
	} else {
		json_decref(reads);
	}
	return ctx;
}

/*
 * The bare stepper against steplab on the path the bare stepper takes
 * (plain re-entry: like with like); the run's own figure beside it when it
 * took other paths too.
 */
static json_t *overhead_json(const struct run_program *p)
{
	double bare = (double)p->bare_host / (double)p->bare_steps;
	double run = (double)p->total[M_HOST_INSNS] / (double)p->steps;
	double plain = p->plain_steps ? (double)p->plain_host / (double)p->plain_steps : run;
	json_t *o = json_pack("{sf sf sf sf}",
		"bare_host_instructions_per_step", bare,
		"bare_with_counter_reads_host_instructions_per_step",
		(double)p->bare_reads_host / (double)p->bare_steps,
		"steplab_host_instructions_per_step", plain,
		"ratio", plain / bare);

	if (p->plain_steps)
		json_object_set_new(o, "all_paths_host_instructions_per_step", json_real(run));
	return o;
}

static json_t *programs_json(const struct run_result *res)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < res->nprogs; i++) {
		const struct run_program *p = &res->progs[i];
		json_t *o = json_pack("{ss sI sI sI}", "name", p->name,
				      "steps", (json_int_t)p->steps,
				      "planned", (json_int_t)p->planned,
				      "nonconforming", (json_int_t)p->nonconforming);

		if (p->spec[0]) {
			json_object_set_new(o, "mix", json_string(p->spec));
			json_object_set_new(o, "seed", json_integer((json_int_t)p->seed));
		}
		if (p->elapsed_ns && p->steps)
			json_object_set_new(o, "steps_per_second",
				json_real((double)p->steps * 1e9 / (double)p->elapsed_ns));
		if (p->bare_steps && p->steps && p->bare_host)
			json_object_set_new(o, "overhead", overhead_json(p));
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * What an emulated step costs beyond an untrapped one, per metric (median
 * against median).  On a flag-based kernel this holds the emulation and
 * the extra world switch; set against an early-exit kernel's, the
 * difference is the re-entry alone.
 */
static json_t *emulated_minus_json(const struct report_input *in)
{
	const struct class_stats *base = &in->res->cls[CLASS_UNTRAPPED];
	json_t *classes = json_object();
	struct dist_summary sb, sc;
	unsigned int c, m;

	for (c = 0; c < CLASS_MAX; c++) {
		json_t *row;

		if (!class_is_emulated(c) || !in->res->cls[c].steps)
			continue;
		row = json_object();
		for (m = 0; m < M_MAX; m++) {
			if (!(in->have & (1u << m)) || dist_summarize(&base->d[m], &sb) ||
			    dist_summarize(&in->res->cls[c].d[m], &sc))
				continue;
			json_object_set_new(row, metric_name(m),
					    json_integer((json_int_t)sc.median - (json_int_t)sb.median));
		}
		json_object_set_new(classes, class_name(c), row);
	}
	return json_pack("{ss ss so}", "against", class_name(CLASS_UNTRAPPED),
			 "statistic", "median difference", "classes", classes);
}

/*
 * Per re-entry path: whether the run could take it (and why not), and per
 * class its steps, conforming steps and steps that ran two instructions.
 * @buggy gets, per path, the classes whose steps ran two instructions.
 */
static json_t *paths_json(const struct run_result *res, json_t *buggy)
{
	json_t *paths = json_object();
	unsigned int p, c;

	for (p = 0; p < RE_MAX; p++) {
		uint64_t steps = 0, conforming = 0;
		json_t *o, *classes = json_object(), *bad = json_array();

		for (c = 0; c < CLASS_MAX; c++) {
			const struct path_stats *ps = &res->paths[p][c];

			if (!ps->steps)
				continue;
			steps += ps->steps;
			conforming += ps->conforming;
			json_object_set_new(classes, class_name(c), json_pack(
				"{sI sI sI sI sI}", "steps", (json_int_t)ps->steps,
				"conforming", (json_int_t)ps->conforming,
				"double_steps", (json_int_t)ps->double_steps,
				"isv_set", (json_int_t)ps->isv_set,
				"interrupted", (json_int_t)ps->interrupted));
			if (ps->double_steps)
				json_array_append_new(bad, json_string(class_name(c)));
		}
		if (!(res->paths_on & (1u << p)) && !steps && !res->path_why[p][0]) {
			json_decref(classes);
			json_decref(bad);
			continue;	/* not asked for */
		}
		o = json_pack("{sb sI sI ss so}", "taken", !!(res->paths_on & (1u << p)),
			      "steps", (json_int_t)steps,
			      "conforming", (json_int_t)conforming,
			      "verdict", !steps ? "no steps" : json_array_size(bad) ? "buggy" :
					 steps == conforming ? "clean" : "nonconforming",
			      "classes", classes);
		if (res->path_why[p][0])
			json_object_set_new(o, "reason", json_string(res->path_why[p]));
		if (json_array_size(bad))
			json_object_set_new(buggy, reentry_name(p), bad);
		else
			json_decref(bad);
		json_object_set_new(paths, reentry_name(p), o);
	}
	return paths;
}

/* The classes of one result, and the per-class design verdicts. */
static json_t *classes_json(const struct report_input *in, const struct run_result *res,
			    json_t *design, enum design per[CLASS_MAX])
{
	json_t *classes = json_array();
	unsigned int c;

	for (c = 0; c < CLASS_MAX; c++) {
		per[c] = DESIGN_NONE;
		if (!res->cls[c].steps)
			continue;
		json_array_append_new(classes, class_json(in, res, c, &per[c]));
		if (design && per[c] != DESIGN_NONE)
			json_object_set_new(design, class_name(c),
					    json_string(design_name(per[c])));
	}
	return classes;
}

static const char *const kinds_from_names[] = {
	[TOPO_KINDS_MIDR] = "midr", [TOPO_KINDS_HWLOC] = "hwloc", [TOPO_KINDS_NONE] = "none",
};

/*
 * Where the run was measured: per kind (or core), with its CPU, MIDR, PMU
 * and counters; the classes of each only when there is more than one, as
 * the top level holds them all.
 */
static json_t *kinds_json(const struct report_input *in)
{
	const struct kinds *k = in->kinds;
	json_t *arr = json_array(), *topo;
	enum design per[CLASS_MAX];
	char midr[24], cpus[256];
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		const struct kind_run *kr = &k->runs[i];
		json_t *o;

		if (!kr->res)
			continue;
		snprintf(midr, sizeof(midr), "0x%016llx", (unsigned long long)kr->pe.midr);
		topo_cpuset_format(&kr->pe.cpus, cpus, sizeof(cpus));
		o = json_pack("{ss si ss ss ss si ss sb sI sI}",
			      "kind", kr->pe.label, "cpu", (int)kr->pe.cpu, "cpus", cpus,
			      "midr", midr, "pmu", kr->pe.pmu, "pmu_type", kr->pe.pmu_type,
			      "events", kr->raw_events ? "raw" : "generic",
			      "checked", kr->checked, "steps", (json_int_t)kr->res->steps,
			      "nonconforming", (json_int_t)kr->res->nonconforming);
		if (o && k->nr > 1) {
			json_object_set_new(o, "classes", classes_json(in, kr->res, NULL, per));
			json_object_set_new(o, "design", json_string(design_name(design_overall(per))));
		}
		json_array_append_new(arr, o);
	}
	topo = json_pack("{ss sb sb ss ss ss}",
			 "kinds_from", k->topo_ok ? kinds_from_names[k->topo.kinds_from] : "none",
			 "heterogeneous", k->topo_ok && k->topo.heterogeneous,
			 "all_cores", k->all_cores,
			 "reason", k->topo_ok ? k->topo.reason : k->reason,
			 "disagreement", k->topo_ok ? k->topo.disagreement : "",
			 "source", k->topo_ok ? k->topo.source : "");
	return json_pack("{so so}", "topology", topo, "kinds", arr);
}

/* The GPIO lines the run drove: the marker, by chip label and line. */
static json_t *gpio_json(const struct report_input *in)
{
	const struct board_gpio *g = in->marker;

	return json_pack("{s{ss so sI sI}}", "marker", "chip", g->chip,
			 "line", g->line[0] ? json_string(g->line) : json_integer(g->offset),
			 "toggles", (json_int_t)in->marker_toggles,
			 "every", (json_int_t)in->marker_every);
}

const char *run_verdict(const struct run_result *res)
{
	if (res->nonconforming > res->known)
		return "nonconforming";
	if (res->unproven)
		return "unproven";
	return res->known ? "known divergences" : "conforming";
}

/* Steps without the evidence their verdict needs, by what was missing. */
static json_t *unproven_json(const struct run_result *res)
{
	json_t *o = json_object();
	unsigned int b;

	for (b = 0; b < UNPROVEN_MAX_BIT; b++)
		if (res->unproven_by[b])
			json_object_set_new(o, unproven_name(b),
					    json_integer((json_int_t)res->unproven_by[b]));
	return o;
}

/* The known divergences that apply to this kernel, and their steps. */
static json_t *known_json(const struct known *k, const struct run_result *res)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		const struct known_divergence *d = &k->d[i];

		if (!(k->applies & (1u << i)))
			continue;
		json_array_append_new(a, json_pack("{ss ss ss ss sI}", "id", d->id,
			"title", d->title, "reference", d->reference, "fix", d->fix,
			"steps", (json_int_t)res->known_by[i]));
	}
	return json_pack("{ss so}", "file", k->path, "divergences", a);
}

/* What makes the report comparable, read back the way readers read it. */
static void report_identity_add(json_t *doc)
{
	struct identity id;

	identity_of(doc, &id);
	json_object_set_new(doc, "identity", identity_json(&id));
}

json_t *report_build(const struct report_input *in)
{
	enum design per[CLASS_MAX];
	json_t *doc, *classes, *design = json_object(), *buggy = json_object(), *paths;
	char ver[16];

	classes = classes_json(in, in->res, design, per);
	paths = paths_json(in->res, buggy);
	snprintf(ver, sizeof(ver), "%d.%d", REPORT_VERSION_MAJOR, REPORT_VERSION_MINOR);
	doc = json_pack("{ss ss ss so so so s{ss so so} so so s{sI sI sI sb}}",
		"schema", REPORT_SCHEMA, "schema_version", ver,
		"status", in->status,
		"context", context_json(in), "programs", programs_json(in->res),
		"classes", classes,
		"design", "verdict", design_name(design_overall(per)),
		"per_class", design, "buggy_paths", buggy,
		"reentry", paths,
		"nonconforming", nonconforming_json(in->res, in->known),
		"summary", "async_exits", (json_int_t)in->res->async_exits,
		"steps", (json_int_t)in->res->steps,
		"nonconforming", (json_int_t)in->res->nonconforming,
		"conforming", in->res->nonconforming == 0 && !in->res->unproven &&
			      !strcmp(in->status, "complete"));
	if (doc) {
		json_t *sum = json_object_get(doc, "summary");

		json_object_set_new(sum, "verdict", json_string(run_verdict(in->res)));
		json_object_set_new(sum, "unproven", json_integer((json_int_t)in->res->unproven));
		json_object_set_new(sum, "unproven_why", unproven_json(in->res));
		json_object_set_new(sum, "known_nonconforming",
				    json_integer((json_int_t)in->res->known));
		json_object_set_new(sum, "new_nonconforming", json_integer(
			(json_int_t)(in->res->nonconforming - in->res->known)));
	}
	if (doc && in->known)
		json_object_set_new(doc, "known", known_json(in->known, in->res));
	if (doc && in->res->cls[CLASS_UNTRAPPED].steps)
		json_object_set_new(doc, "emulated_minus_untrapped", emulated_minus_json(in));
	if (doc && in->extra)
		json_object_update(doc, in->extra);
	if (doc && in->kinds) {
		json_t *kj = kinds_json(in);

		json_object_update(doc, kj);
		json_decref(kj);
	}
	if (doc && in->marker)
		json_object_set_new(doc, "gpio", gpio_json(in));
	if (doc && in->error)
		json_object_set_new(doc, "error", json_string(in->error));
	if (doc && in->res->stopped[0])
		json_object_set_new(doc, "stopped", json_string(in->res->stopped));
	if (doc)
		report_identity_add(doc);
	return doc;
}
