// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard page: one HTML file, its style inline, nothing fetched;
 * the header, what needs attention and the footer around the boards'
 * sections, rendered whole and then written all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard/html.h"
#include "dashboard/model.h"
#include "dashboard/section.h"
#include "lib/file.h"

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
				if (dash_run_bad(d->boards[i].kernels[k].runs[j]))
					bad_run_item(f, &d->boards[i], &d->boards[i].kernels[k],
						     d->boards[i].kernels[k].runs[j]);
	if (!c.regressions && !c.improvements)
		fprintf(f, "<li>No median host instruction count moved beyond its 95%% "
			"interval (and its kernel's boot-to-boot spread, where recorded) between "
			"consecutive runs of a series.</li>\n");
	fprintf(f, "</ul></section>\n");
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
		dash_board_section(f, &d->boards[i]);
	footer(f);
	fprintf(f, "</body></html>\n");
	return ferror(f) ? -EIO : 0;
}

int dashboard_write(const struct dashboard *d, const char *path, char *err, size_t len)
{
	char *page = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&page, &n);
	int ret;

	if (!f) {
		snprintf(err, len, "%s: out of memory", path);
		return -ENOMEM;
	}
	ret = dashboard_render(d, f);
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (ret)
		snprintf(err, len, "%s: %s", path, strerror(-ret));
	else
		ret = file_write_atomic(path, page, n, err, len);
	free(page);
	return ret;
}
