// SPDX-License-Identifier: GPL-2.0
/* The dashboard page: one HTML file, its style inline, nothing fetched. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard/priv.h"

static const char *const table_metric_names[][2] = {
	{ DASH_METRIC, "host insns" },
	{ "entries", "guest entries" },
};

static const char style[] =
":root{color-scheme:light}\n"
"body{margin:0;padding:14px 28px 48px;background:#fafafa;color:#1d1d1f;"
"font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
"h1{font-size:22px;margin:4px 0 2px}\n"
"h2{font-size:19px;margin:30px 0 8px;padding-top:12px;border-top:2px solid #cfcfcf}\n"
"h3{font-size:15px;margin:22px 0 4px}\n"
"p{margin:4px 0 8px}.muted,.sub{color:#5f5f5f}.sub{font-size:12px}\n"
"nav a{margin-right:12px}\n"
"table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums;margin:4px 0}\n"
"th,td{padding:4px 10px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n"
"th{background:#efefef;font-weight:600}td.n,th.n,.nw{text-align:right;white-space:nowrap}\n"
".nw{text-align:left}\n"
"table.cmp{font-size:13px}table.cmp td,table.cmp th{padding:3px 5px;white-space:nowrap}\n"
"table.cmp tr.first td{border-top:1px solid #c8c8c8}\n"
".swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n"
".badge{display:inline-block;padding:0 7px;border-radius:3px;font-size:12px;font-weight:700;"
"vertical-align:middle}\n"
".badge.emulated{background:#fff4ce;color:#7a5200;border:1px solid #e0b000}\n"
".badge.physical{background:#e8f1fb;color:#0b4f8a;border:1px solid #9cc3ea}\n"
".ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:700}\n"
".known{color:#8a4f00;font-weight:700}\n"
".attention{background:#fff;border:1px solid #ddd;border-left:6px solid #c62828;"
"padding:8px 16px;margin:14px 0}\n"
".attention.calm{border-left-color:#2e7d32}.attention ul{margin:6px 0;padding-left:22px}\n"
".attention li{margin:3px 0}\n"
".up .arrow,.sig.up{color:#c62828}.down .arrow,.sig.down{color:#2e7d32}\n"
".sig{font-weight:700}\n"
".hist{display:grid;gap:8px;overflow-x:auto;padding-bottom:4px}\n"
".hist .col{font-weight:600;font-size:13px;align-self:end}\n"
".dist{display:flex;flex-direction:column;gap:8px;overflow-x:auto}\n"
"details{margin:6px 0}summary{cursor:pointer;color:#0b4f8a}\n"
"svg.plot{background:#fff;border:1px solid #dcdcdc;border-radius:3px;display:block}\n"
"svg.plot.changed{outline:2px solid #c62828;outline-offset:-1px}\n"
"svg.plot text{font-size:11px;fill:#333}\n"
"svg.plot text.title{font-size:13px;font-weight:600;fill:#111}\n"
"svg.plot text.head{font-size:12px;font-weight:600;fill:#444}\n"
"svg.plot text.tick{font-size:10px;fill:#6f6f6f}\n"
"svg.plot text.emu{font-weight:700;fill:#9a6700;letter-spacing:.5px}\n"
"svg.plot text.mark{font-size:12px;font-weight:700}\n"
"svg.plot tspan.sub{fill:#6f6f6f}\n"
"svg.plot .grid{stroke:#ececec}svg.plot .line{fill:none;stroke-width:2}\n"
"svg.plot .stripe{fill:#f5f5f5}\n"
"footer{margin-top:36px;color:#5f5f5f;font-size:13px;max-width:1100px}\n";

void dash_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':	fputs("&amp;", f); break;
		case '<':	fputs("&lt;", f); break;
		case '>':	fputs("&gt;", f); break;
		case '"':	fputs("&quot;", f); break;
		case '\'':	fputs("&#39;", f); break;
		default:
			/* C0 controls are not characters an HTML page may hold */
			fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? '?' : *s, f);
		}
	}
}

void dash_escf(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dash_esc(f, buf);
}

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

static bool run_bad(const struct dash_run *r)
{
	return !dash_known_only(r) &&
	       (r->nonconforming > 0 || !r->conforming || strcmp(r->status, "complete"));
}

/* The class of a non-conforming count: new (bad), known, or none. */
static const char *nc_class(const struct dash_run *r)
{
	return dash_known_only(r) ? " known" : r->nonconforming ? " bad" : "";
}

/* The run before @r of @k that holds class @cls. */
static const struct dash_run *run_before(const struct dash_board *b,
					 const struct dash_kernel *k, size_t r, size_t cls)
{
	while (r--)
		if (dash_point(b, k, r, cls)->dist)
			return k->runs[r];
	return NULL;
}

static void change_item(FILE *f, const struct dash_board *b, const struct dash_change *c)
{
	const struct dash_kernel *k = c->kernel;
	const struct dash_point *p = dash_point(b, k, c->run, c->cls);
	const struct dash_run *run = k->runs[c->run], *prev = run_before(b, k, c->run, c->cls);
	const json_t *pd = dash_dist(prev->doc, b->classes[c->cls], DASH_METRIC);
	char s[32], lo[32], hi[32];

	fprintf(f, "<li class=\"change %s\"><span class=\"arrow\">%s</span> <a href=\"#h-%zu-%zu-%zu\">",
		p->change > 0 ? "up" : "down", p->change > 0 ? "&#9650;" : "&#9660;",
		b->index, (size_t)(k - b->kernels), c->cls);
	dash_escf(f, "%s / %s (%s%s%s) / %s", b->name, k->release, k->verdict,
		  k->label[0] ? ", " : "", k->label, b->classes[c->cls]);
	fprintf(f, "</a>: median host instructions per step %s <b>%lld &rarr; %lld</b> on ",
		p->change > 0 ? "rose" : "fell", (long long)dash_int(pd, "median"),
		(long long)dash_int(p->dist, "median"));
	dash_esc(f, run->date);
	if (run->clock_why)
		fprintf(f, " (date not trusted)");
	if (run->seed >= 0)
		fprintf(f, " (seed %lld)", (long long)run->seed);
	fprintf(f, " against ");
	dash_esc(f, prev->date);
	fprintf(f, ": shift %s%s, 95%% interval [%s, %s] <span class=\"sub\">",
		p->s.shift > 0 ? "+" : "", dash_num(s, sizeof(s), p->s.shift),
		dash_num(lo, sizeof(lo), p->s.lo), dash_num(hi, sizeof(hi), p->s.hi));
	dash_escf(f, "%s, %s; ", compare_method_name(p->s.method), run->name);
	if (k->spread[c->cls] >= 0)
		dash_escf(f, "threshold: the interval and the boot-to-boot spread %s of %s",
			  dash_num(s, sizeof(s), k->spread[c->cls]), k->spread_from);
	else
		dash_escf(f, "threshold: the interval only (no boot-to-boot spread recorded)");
	fprintf(f, "</span></li>\n");
}

static void bad_run_item(FILE *f, const struct dash_board *b, const struct dash_kernel *k,
			 const struct dash_run *r)
{
	fprintf(f, "<li class=\"nc\"><span class=\"bad\">&#10007;</span> ");
	dash_escf(f, "%s / %s (%s), %s: ", b->name, k->release, k->verdict, r->date);
	fprintf(f, "<b>%lld non-conforming</b> of %lld steps, status ",
		(long long)r->nonconforming, (long long)r->steps);
	dash_esc(f, r->status);
	fprintf(f, " <span class=\"sub\">");
	dash_esc(f, r->name);
	fprintf(f, "</span></li>\n");
}

static void attention(FILE *f, const struct dashboard *d)
{
	struct dashboard_counts c;
	size_t i, j, k;

	dashboard_counts(d, &c);
	fprintf(f, "<section class=\"attention%s\" id=\"changes\"><strong>",
		c.regressions || c.nonconforming ? "" : " calm");
	fprintf(f, "%zu regression%s, %zu improvement%s between consecutive runs; ",
		c.regressions, c.regressions == 1 ? "" : "s",
		c.improvements, c.improvements == 1 ? "" : "s");
	if (c.nonconforming)
		fprintf(f, "<span class=\"bad\">%zu of %zu runs did not conform or complete</span>",
			c.nonconforming, c.runs);
	else if (c.known)
		fprintf(f, "no run has a new divergence");
	else
		fprintf(f, "all %zu runs conform", c.runs);
	if (c.known)
		fprintf(f, "; <span class=\"known\">%zu of %zu runs only with known divergences</span>",
			c.known, c.runs);
	fprintf(f, ".</strong>\n<ul>\n");
	for (i = 0; i < d->nboards; i++)
		for (j = 0; j < d->boards[i].nchanges; j++)
			change_item(f, &d->boards[i], &d->boards[i].changes[j]);
	for (i = 0; i < d->nboards; i++)
		for (k = 0; k < d->boards[i].nkernels; k++)
			for (j = 0; j < d->boards[i].kernels[k].nruns; j++)
				if (run_bad(d->boards[i].kernels[k].runs[j]))
					bad_run_item(f, &d->boards[i], &d->boards[i].kernels[k],
						     d->boards[i].kernels[k].runs[j]);
	if (!c.regressions && !c.improvements)
		fprintf(f, "<li>No median host instruction count moved beyond its 95%% "
			"interval (and its kernel's boot-to-boot spread, where recorded) between "
			"consecutive runs of a series.</li>\n");
	fprintf(f, "</ul></section>\n");
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
		bad += run_bad(k->runs[r]);
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
	} else if (run_bad(last)) {
		fprintf(f, "<span class=\"bad\">NOT conforming</span> <span class=\"sub\">");
		dash_esc(f, last->status);
		fprintf(f, "</span>");
	} else {
		fprintf(f, "<span class=\"ok nw\">&#10003; conforming</span>");
	}
	if (bad && (bad > 1 || !run_bad(last)))
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
			run_bad(r) ? "bad" : dash_known_only(r) ? "known" : "");
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

static void board_section(FILE *f, const struct dash_board *b)
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

static void header(FILE *f, const struct dashboard *d)
{
	const char *first = NULL, *last = NULL;
	struct dashboard_counts c;
	size_t i;

	dashboard_counts(d, &c);
	for (i = 0; i < d->nruns; i++) {
		if (!*d->runs[i].date)
			continue;
		if (!first || strcmp(d->runs[i].date, first) < 0)
			first = d->runs[i].date;
		if (!last || strcmp(d->runs[i].date, last) > 0)
			last = d->runs[i].date;
	}
	fprintf(f, "<header><h1>steplab dashboard</h1>\n<p class=\"muted\">%zu report%s, "
		"%zu board%s, %zu kernel%s", c.runs, c.runs == 1 ? "" : "s", c.boards,
		c.boards == 1 ? "" : "s", c.kernels, c.kernels == 1 ? "" : "s");
	if (first) {
		fprintf(f, ", runs from ");
		dash_esc(f, first);
		fprintf(f, " to ");
		dash_esc(f, last);
	}
	fprintf(f, ".</p>\n<nav>");
	for (i = 0; i < d->nboards; i++) {
		fprintf(f, "<a href=\"#board-%zu\">", i);
		dash_esc(f, d->boards[i].name);
		fprintf(f, "</a>%s", d->boards[i].emulated ?
			"<span class=\"badge emulated\">emulated</span> " : " ");
	}
	fprintf(f, "</nav></header>\n");
}

static void footer(FILE *f)
{
	fprintf(f, "<footer><p>Changes between runs compare the exact per-step histograms of "
		"host instructions that the reports carry: the Hodges&ndash;Lehmann shift of a run "
		"against the run before it in its series (one identity: board, core kind, KVM "
		"mode, kernel build, programs, re-entry paths, counting domain; and the design "
		"verdict) with its distribution-free 95%% interval, or a fixed-seed bootstrap where "
		"the exact method is too costly or a histogram was truncated. A marker means the "
		"interval excludes 0 and, where a baseline records the kernel's boot-to-boot spread, "
		"clears that spread too; each change names the threshold it used. Series that "
		"differ in more than the kernel stand side by side and are never compared. Figures from an emulated board count what the emulator executes; "
		"they describe the kernel's code paths, not hardware timing.</p>\n"
		"<p>steplab %s (%s)</p></footer>\n", STEPLAB_VERSION, STEPLAB_GIT);
}

int dashboard_render(const struct dashboard *d, FILE *f)
{
	struct dashboard_counts c;
	size_t i;

	if (!d->built)
		return -EINVAL;
	dashboard_counts(d, &c);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>steplab dashboard: ");
	for (i = 0; i < d->nboards; i++) {
		fprintf(f, "%s", i ? ", " : "");
		dash_esc(f, d->boards[i].name);
	}
	fprintf(f, " (%zu reports%s)</title>\n<style>\n%s</style></head>\n<body>\n", c.runs,
		c.regressions ? ", regressions" : "", style);
	header(f, d);
	attention(f, d);
	for (i = 0; i < d->nboards; i++)
		board_section(f, &d->boards[i]);
	footer(f);
	fprintf(f, "</body></html>\n");
	return ferror(f) ? -EIO : 0;
}
