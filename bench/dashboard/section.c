// SPDX-License-Identifier: GPL-2.0
/*
 * One board's section of the dashboard page: the status of each series,
 * every run, the history plots, the comparison against the reference
 * kernel and the distributions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard/html.h"
#include "dashboard/plot.h"
#include "dashboard/section.h"

static const char *const table_metric_names[][2] = {
	{ DASH_METRIC, "host insns" },
	{ "entries", "guest entries" },
};

/* The whole identity of a series, for its label's tooltip. */
static void series_title(FILE *f, const struct dash_kernel *k)
{
	unsigned int d;

	for (d = 0; d < ID_MAX; d++)
		dash_escf(f, "%s%s: %s", d ? "; " : "", identity_dim_name(d), k->id->v[d]);
}

static void kernel_name(FILE *f, const struct dash_kernel *k)
{
	fprintf(f, "<span class=\"swatch\" style=\"background:%s\"></span>", dash_color(k));
	dash_esc(f, k->release);
	fprintf(f, " <span class=\"sub\" title=\"");
	series_title(f, k);
	fprintf(f, "\">");
	dash_escf(f, "%s%s%s", k->verdict, k->label[0] ? ", " : "", k->label);
	fprintf(f, "</span>");
}

static void measured_badge(FILE *f, bool emulated)
{
	fputs(emulated ? "<span class=\"badge emulated\">emulated</span>" :
	      "<span class=\"badge physical\">physical</span>", f);
}

/* The class of a non-conforming count: new (bad), known, or none. */
static const char *nc_class(const struct dash_run *r)
{
	return dash_known_only(r) ? " known" : r->nonconforming ? " bad" : "";
}

/* "flag-based: hvc smc sysreg; none: ..." from design.per_class. */
static void per_class_verdicts(FILE *f, const json_t *doc)
{
	const json_t *per = json_object_get(json_object_get(doc, "design"), "per_class"), *v, *w;
	const char *cls, *other;
	bool first = true, seen;

	json_object_foreach((json_t *)per, cls, v) {
		seen = false;
		json_object_foreach((json_t *)per, other, w) {
			if (other == cls)
				break;
			seen |= json_equal(v, w);
		}
		if (seen || !json_is_string(v))
			continue;
		fprintf(f, "%s", first ? "" : "; ");
		dash_esc(f, json_string_value(v));
		fputc(':', f);
		json_object_foreach((json_t *)per, other, w) {
			if (json_equal(v, w)) {
				fputc(' ', f);
				dash_esc(f, other);
			}
		}
		first = false;
	}
}

static void status_row(FILE *f, const struct dash_board *b, const struct dash_kernel *k)
{
	const struct dash_run *last = k->runs[k->nruns - 1];
	size_t r, bad = 0;
	char day[32];
	bool verdict_bad = !strcmp(k->verdict, "buggy") || !strcmp(k->verdict, "mixed");

	for (r = 0; r < k->nruns; r++)
		bad += dash_run_bad(k->runs[r]);
	fprintf(f, "<tr><td>");
	kernel_name(f, k);
	fprintf(f, "%s<div class=\"sub\">", k == &b->kernels[b->ref] ? " <b>(reference)</b>" : "");
	dash_esc(f, last->version);
	fprintf(f, "</div></td><td><span class=\"%s\">", verdict_bad ? "bad" : "");
	dash_esc(f, k->verdict);
	fprintf(f, "</span><div class=\"sub\">");
	per_class_verdicts(f, last->doc);
	fprintf(f, "</div></td><td class=\"n\">%zu<div class=\"sub\">", k->nruns);
	dash_esc(f, dash_day(day, sizeof(day), k->runs[0]->date));
	fprintf(f, " &ndash; ");
	dash_esc(f, dash_day(day, sizeof(day), last->date));
	fprintf(f, "</div></td><td class=\"nw\">");
	dash_esc(f, last->date);
	fprintf(f, "<div class=\"sub\">seeds");
	for (r = 0; r < k->nruns; r++)
		if (k->runs[r]->seed >= 0)
			fprintf(f, "%s%lld", r ? ", " : " ", (long long)k->runs[r]->seed);
	fprintf(f, "</div></td><td class=\"n\">%lld</td><td class=\"n%s\">%lld</td><td>",
		(long long)last->steps, nc_class(last), (long long)last->nonconforming);
	if (dash_known_only(last)) {
		fprintf(f, "<span class=\"known nw\">known divergences only</span>");
	} else if (dash_run_bad(last)) {
		fprintf(f, "<span class=\"bad\">NOT conforming</span> <span class=\"sub\">");
		dash_esc(f, last->status);
		fprintf(f, "</span>");
	} else {
		fprintf(f, "<span class=\"ok nw\">&#10003; conforming</span>");
	}
	if (bad && (bad > 1 || !dash_run_bad(last)))
		fprintf(f, "<div class=\"bad sub\">%zu of %zu runs not</div>", bad, k->nruns);
	fprintf(f, "</td><td>");
	measured_badge(f, last->emulated);
	fprintf(f, "</td><td class=\"sub\">");
	dash_esc(f, last->git);
	fprintf(f, "</td></tr>\n");
}

static int date_cmp(const void *x, const void *y)
{
	const struct dash_run *a = *(struct dash_run *const *)x, *b = *(struct dash_run *const *)y;

	return strcmp(a->date, b->date) ?: strcmp(a->name, b->name);
}

static void runs_table(FILE *f, const struct dash_board *b)
{
	const struct dash_run **runs, *r;
	size_t n = 0, i, k;

	for (k = 0; k < b->nkernels; k++)
		n += b->kernels[k].nruns;
	runs = malloc(n * sizeof(*runs));
	if (!runs)
		return;
	for (n = 0, k = 0; k < b->nkernels; k++)
		for (i = 0; i < b->kernels[k].nruns; i++)
			runs[n++] = b->kernels[k].runs[i];
	qsort(runs, n, sizeof(*runs), date_cmp);
	fprintf(f, "<details><summary>All %zu runs of this board, by date</summary>\n"
		"<table><thead><tr><th>date</th><th>kernel</th><th>design</th><th class=\"n\">seed</th>"
		"<th class=\"n\">steps</th><th class=\"n\">non-conforming</th><th>status</th>"
		"<th>measured on</th><th>steplab</th><th>report</th></tr></thead><tbody>\n", n);
	for (i = 0; i < n; i++) {
		r = runs[i];
		fprintf(f, "<tr><td>");
		dash_esc(f, r->date);
		if (r->clock_why)
			dash_escf(f, " (not trusted: %s)", r->clock_why);
		fprintf(f, "</td><td>");
		dash_esc(f, r->release);
		fprintf(f, "</td><td>");
		dash_esc(f, r->verdict);
		fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
			"<td class=\"n%s\">%lld</td><td class=\"%s\">", (long long)r->seed,
			(long long)r->steps, nc_class(r), (long long)r->nonconforming,
			dash_run_bad(r) ? "bad" : dash_known_only(r) ? "known" : "");
		dash_esc(f, r->status);
		fprintf(f, "</td><td>");
		measured_badge(f, r->emulated);
		fprintf(f, "</td><td class=\"sub\">");
		dash_esc(f, r->git);
		fprintf(f, "</td><td class=\"sub\">");
		dash_esc(f, r->name);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</tbody></table></details>\n");
	free(runs);
}

static void status_table(FILE *f, const struct dash_board *b)
{
	size_t k;

	fprintf(f, "<h3>Conformance and design, latest run of each kernel</h3>\n"
		"<table class=\"status\"><thead><tr><th>kernel</th><th>design verdict</th>"
		"<th class=\"n\">runs</th><th>latest run</th><th class=\"n\">steps</th>"
		"<th class=\"n\">non-conforming</th><th>status</th><th>measured on</th>"
		"<th>steplab</th></tr></thead><tbody>\n");
	for (k = 0; k < b->nkernels; k++)
		status_row(f, b, &b->kernels[k]);
	fprintf(f, "</tbody></table>\n");
	runs_table(f, b);
}

static bool kernel_has_class(const struct dash_board *b, const struct dash_kernel *k, size_t c)
{
	size_t r;

	for (r = 0; r < k->nruns; r++)
		if (dash_point(b, k, r, c)->dist)
			return true;
	return false;
}

static void history(FILE *f, const struct dash_board *b)
{
	size_t k, c;

	fprintf(f, "<h3>History: median host instructions per step, run by run</h3>\n"
		"<p class=\"muted\">One chart per class and kernel, its runs in date order "
		"(month-day). <span class=\"bad\">&#9650;</span> the median rose beyond the 95%% "
		"Hodges&ndash;Lehmann interval of the shift against the run before, "
		"<span class=\"ok\">&#9660;</span> it fell; each y axis has its own scale. "
		"Hover a point for its numbers.</p>\n"
		"<div class=\"hist\" style=\"grid-template-columns:repeat(%zu,302px)\">\n",
		b->nkernels > 1 ? b->nkernels : 4);
	for (k = 0; k < b->nkernels; k++) {
		/* one kernel: its charts side by side, four to a row */
		fprintf(f, "<div class=\"col\"%s>", b->nkernels > 1 ? "" : " style=\"grid-column:1/-1\"");
		kernel_name(f, &b->kernels[k]);
		fprintf(f, "</div>\n");
	}
	for (c = 0; c < b->nclasses; c++) {
		for (k = 0; k < b->nkernels; k++) {
			if (kernel_has_class(b, &b->kernels[k], c))
				dash_plot_history(f, b, &b->kernels[k], c);
			else
				fprintf(f, "<div class=\"sub\">no %s steps</div>\n", b->classes[c]);
		}
	}
	fprintf(f, "</div>\n");
}

static const json_t *row_find(const json_t *rows, const char *cls, const char *metric)
{
	const json_t *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "class")) ?: "", cls) &&
		    !strcmp(json_string_value(json_object_get(r, "metric")) ?: "", metric) &&
		    !strcmp(json_string_value(json_object_get(r, "scope")) ?: "", "steps"))
			return r;
	return NULL;
}

static void compare_cells(FILE *f, const json_t *row)
{
	const json_t *lo = json_object_get(row, "ci_low"), *hi = json_object_get(row, "ci_high");
	char a[32], b[32], c[32];
	int sig = 0;

	if (!row) {
		fprintf(f, "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>");
		return;
	}
	if (json_is_number(lo) && json_is_number(hi))
		sig = json_number_value(lo) > 0 ? 1 : json_number_value(hi) < 0 ? -1 : 0;
	fprintf(f, "<td class=\"n\">%lld</td><td class=\"n\">%+lld",
		(long long)dash_int(row, "median_b"), (long long)dash_int(row, "diff"));
	if (json_is_number(json_object_get(row, "ratio")))
		fprintf(f, " <span class=\"sub\">(%.3f)</span>",
			json_number_value(json_object_get(row, "ratio")));
	fprintf(f, "</td><td class=\"n%s\">", sig > 0 ? " sig up" : sig < 0 ? " sig down" : "");
	if (json_is_number(json_object_get(row, "hl_shift")))
		fprintf(f, "%s%s [%s, %s]", sig > 0 ? "&#9650; " : sig < 0 ? "&#9660; " : "",
			dash_num(a, sizeof(a), json_number_value(json_object_get(row, "hl_shift"))),
			dash_num(b, sizeof(b), json_number_value(lo)),
			dash_num(c, sizeof(c), json_number_value(hi)));
	else
		fprintf(f, "-");
	fprintf(f, "</td>");
}

static void compare_row(FILE *f, const struct dash_board *b, size_t c, unsigned int m)
{
	const struct dash_kernel *ref = &b->kernels[b->ref];
	const json_t *rd = dash_dist(ref->runs[ref->nruns - 1]->doc, b->classes[c],
				     table_metric_names[m][0]);
	size_t k;

	fprintf(f, "<tr%s><td>%s", m ? "" : " class=\"first\"", m ? "" : "<b>");
	if (!m)
		dash_esc(f, b->classes[c]);
	fprintf(f, "%s</td><td>%s</td><td class=\"n\">", m ? "" : "</b>", table_metric_names[m][1]);
	if (rd)
		fprintf(f, "%lld", (long long)dash_int(rd, "median"));
	else
		fprintf(f, "-");
	fprintf(f, "</td>");
	for (k = 0; k < b->nkernels; k++)
		if (k != b->ref)
			compare_cells(f, row_find(b->kernels[k].rows, b->classes[c],
						  table_metric_names[m][0]));
	fprintf(f, "</tr>\n");
}

static void comparison(FILE *f, const struct dash_board *b)
{
	const struct dash_kernel *ref = &b->kernels[b->ref];
	unsigned int m;
	size_t k, c;

	fprintf(f, "<h3>Latest run of each kernel against the reference</h3>\n");
	if (b->nkernels < 2) {
		fprintf(f, "<p class=\"muted\">One kernel on this board: nothing to compare.</p>\n");
		return;
	}
	fprintf(f, "<p class=\"muted\">Reference: ");
	dash_escf(f, "%s (%s), its run of %s", ref->release, ref->verdict,
		  ref->runs[ref->nruns - 1]->date);
	fprintf(f, ". Medians per step of host instructions (host insns) and guest entries; "
		"diff and shift are kernel minus reference, ratio kernel over reference; the "
		"shift is the Hodges&ndash;Lehmann estimate with its 95%% interval, marked where "
		"the interval excludes 0.</p>\n");
	for (k = 0; k < b->nkernels; k++) {
		if (!b->kernels[k].note)
			continue;
		fprintf(f, "<p class=\"bad\">");
		dash_escf(f, "%s (%s) not compared: %s", b->kernels[k].release,
			  b->kernels[k].verdict, b->kernels[k].note);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<table class=\"cmp\"><thead><tr><th rowspan=\"2\">class</th>"
		"<th rowspan=\"2\">metric</th><th class=\"n\">");
	kernel_name(f, ref);
	fprintf(f, "</th>");
	for (k = 0; k < b->nkernels; k++) {
		if (k == b->ref)
			continue;
		fprintf(f, "<th colspan=\"3\">");
		kernel_name(f, &b->kernels[k]);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n<tr><th class=\"n\">median</th>");
	for (k = 1; k < b->nkernels; k++)
		fprintf(f, "<th class=\"n\">median</th><th class=\"n\">diff (ratio)</th>"
			"<th class=\"n\">shift [95%% interval]</th>");
	fprintf(f, "</tr></thead><tbody>\n");
	for (c = 0; c < b->nclasses; c++)
		for (m = 0; m < sizeof(table_metric_names) / sizeof(table_metric_names[0]); m++)
			compare_row(f, b, c, m);
	fprintf(f, "</tbody></table>\n");
}

static void distributions(FILE *f, const struct dash_board *b)
{
	size_t c;

	fprintf(f, "<h3>Step-cost distributions, latest run of each kernel</h3>\n"
		"<p class=\"muted\">Per class and kernel: box from p10 to p90, bar at the median "
		"(its value on the right), whisker from the minimum to p99, &#9656; where the "
		"maximum lies beyond p99. Hover a row for every statistic.</p>\n"
		"<div class=\"dist\">\n");
	for (c = 0; c < b->nclasses; c++)
		dash_plot_distributions(f, b, c);
	fprintf(f, "</div>\n");
}

void dash_board_section(FILE *f, const struct dash_board *b)
{
	fprintf(f, "<section class=\"board\" id=\"board-%zu\">\n<h2>Board ", b->index);
	dash_esc(f, b->name);
	if (b->emulated)
		fprintf(f, " <span class=\"badge emulated\">EMULATED: these figures come from "
			"an emulator, not from hardware</span>");
	fprintf(f, "</h2>\n");
	status_table(f, b);
	history(f, b);
	comparison(f, b);
	distributions(f, b);
	fprintf(f, "</section>\n");
}
