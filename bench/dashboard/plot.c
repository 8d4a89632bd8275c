// SPDX-License-Identifier: GPL-2.0
/* The dashboard's plots: inline SVG drawn from the reports' statistics. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dashboard/html.h"
#include "dashboard/plot.h"

#define CHAR_W		6.4	/* an 11px character of the system font, roughly */
#define RED		"#c62828"
#define GREEN		"#2e7d32"

/* Okabe and Ito's colours, told apart with any colour vision. */
static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c564b", "#7f7f7f", "#000000",
};

const char *dash_color(const struct dash_kernel *k)
{
	return palette[k->color % (sizeof(palette) / sizeof(palette[0]))];
}

/* A linear map from values to pixels over an axis of round ticks. */
struct scale {
	double lo, hi, step;
	double p0, p1;
};

/* The smallest of 1, 2 or 5 times a power of ten that cuts @range into at most @ticks. */
static double nice_step(double range, int ticks)
{
	static const double mult[] = { 1, 2, 5 };
	double mag;
	unsigned int i;

	if (!(range > 0 && range < 1e300) || ticks < 1)
		return 1;
	mag = pow(10, floor(log10(range / ticks)));
	for (;; mag *= 10)
		for (i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
			if (range / (mag * mult[i]) <= ticks)
				return mag * mult[i];
}

/* Values are counts: steps below 1 would label the same integer twice. */
static void scale_init(struct scale *s, double lo, double hi, int ticks, double p0, double p1)
{
	if (hi <= lo) {
		double pad = fmax(1, fabs(lo) * 0.002);

		lo -= pad;
		hi += pad;
	}
	s->step = fmax(1, nice_step(hi - lo, ticks));
	s->lo = floor(lo / s->step) * s->step;
	s->hi = ceil(hi / s->step) * s->step;
	if (s->hi <= s->lo)
		s->hi = s->lo + s->step;
	s->p0 = p0;
	s->p1 = p1;
}

static double scale_at(const struct scale *s, double v)
{
	double t = (v - s->lo) / (s->hi - s->lo);

	return s->p0 + fmin(1, fmax(0, t)) * (s->p1 - s->p0);
}

static void svg_open(FILE *f, const char *id, bool changed, const char *plot, double w,
		     double h, const char *label)
{
	fprintf(f, "<svg class=\"plot%s\" xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" "
		"data-plot=\"", changed ? " changed" : "", id);
	dash_esc(f, plot);
	fprintf(f, "\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		"aria-label=\"", w, h, w, h);
	dash_esc(f, label);
	fprintf(f, "\"><title>");
	dash_esc(f, label);
	fprintf(f, "</title>\n");
}

/* Every figure of an emulated board says so where it cannot be missed. */
static void svg_emulated(FILE *f, bool emulated, double w)
{
	if (emulated)
		fprintf(f, "<text class=\"emu\" x=\"%.0f\" y=\"15\" text-anchor=\"end\">"
			"EMULATED</text>\n", w - 8);
}

/*
 * Grid lines and tick labels at every step of @s: a y axis (@vertical)
 * draws its lines from x @a0 to @a1, an x axis from y @a0 to @a1.
 */
static void axis(FILE *f, const struct scale *s, bool vertical, double a0, double a1)
{
	double v, at, x1, x2, y1, y2;
	char buf[32];

	for (v = s->lo; v <= s->hi + s->step / 2; v += s->step) {
		at = scale_at(s, v);
		x1 = vertical ? a0 : at;
		x2 = vertical ? a1 : at;
		y1 = vertical ? at : a0;
		y2 = vertical ? at : a1;
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
			x1, x2, y1, y2, vertical ? a0 - 4 : at, vertical ? at + 3.5 : a1 + 12,
			vertical ? "end" : "middle", dash_num(buf, sizeof(buf), v));
	}
}

/*
 * History: the median of one class run by run, evenly spaced in date
 * order; a triangle where the shift against the previous run has a 95%
 * interval that excludes 0.
 */
#define H_W	300
#define H_H	132
#define H_LEFT	50
#define H_RIGHT	16
#define H_TOP	30
#define H_BOTTOM 22

static double history_x(const struct dash_kernel *k, size_t r)
{
	if (k->nruns < 2)
		return (H_LEFT + H_W - H_RIGHT) / 2.0;
	return H_LEFT + 8 + (double)r / (k->nruns - 1) * (H_W - H_LEFT - H_RIGHT - 16);
}

static void history_scale(const struct dash_board *b, const struct dash_kernel *k, size_t cls,
			  struct scale *s)
{
	double lo = INFINITY, hi = -INFINITY, m;
	const struct dash_point *p;
	size_t r;

	for (r = 0; r < k->nruns; r++) {
		p = dash_point(b, k, r, cls);
		if (!p->dist)
			continue;
		m = (double)dash_int(p->dist, "median");
		lo = fmin(lo, m);
		hi = fmax(hi, m);
	}
	if (lo > hi)
		lo = hi = 0;
	/* room above and below the extremes for the markers */
	m = (hi - lo) * 0.15;
	scale_init(s, lo - m, hi + m, 3, H_H - H_BOTTOM, H_TOP);
}

static void point_title(FILE *f, const struct dash_kernel *k, size_t r,
			const struct dash_point *p)
{
	const struct dash_run *run = k->runs[r];
	char s[32], lo[32], hi[32];

	fprintf(f, "<title>");
	dash_escf(f, "%s, %s", run->date, run->name);
	if (run->seed >= 0)
		fprintf(f, ", seed %lld", (long long)run->seed);
	fprintf(f, "\nmedian %lld", (long long)dash_int(p->dist, "median"));
	if (p->compared)
		fprintf(f, "\nagainst the run before: shift %s, 95%% interval [%s, %s] (%s)",
			dash_num(s, sizeof(s), p->s.shift), dash_num(lo, sizeof(lo), p->s.lo),
			dash_num(hi, sizeof(hi), p->s.hi), compare_method_name(p->s.method));
	fprintf(f, "</title>");
}

static void history_marker(FILE *f, const struct dash_board *b, const struct dash_kernel *k,
			   size_t r, size_t cls, double x, double y)
{
	const struct dash_point *p = dash_point(b, k, r, cls);
	bool up = p->change > 0;
	const char *color = up ? RED : GREEN;
	char s[32];

	fprintf(f, "<g class=\"%s\" data-board=\"", up ? "regression" : "improvement");
	dash_esc(f, b->name);
	fprintf(f, "\" data-kernel=\"");
	dash_esc(f, k->release);
	fprintf(f, "\" data-class=\"");
	dash_esc(f, b->classes[cls]);
	fprintf(f, "\" data-run=\"");
	dash_esc(f, k->runs[r]->name);
	fprintf(f, "\">");
	point_title(f, k, r, p);
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
		"stroke-dasharray=\"3 3\" stroke-width=\"1.5\"/>", x, x, H_TOP - 6,
		H_H - H_BOTTOM, color);
	if (up)
		fprintf(f, "<path d=\"M%.1f %.1fl7 11h-14z\" fill=\"%s\"/>", x, y - 8, color);
	else
		fprintf(f, "<path d=\"M%.1f %.1fl7 -11h-14z\" fill=\"%s\"/>", x, y + 8, color);
	fprintf(f, "<text class=\"mark\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		"style=\"fill:%s\">%s%s</text></g>\n", x - 9, y + (up ? -4 : 9), color,
		up ? "+" : "", dash_num(s, sizeof(s), p->s.shift));
}

static void history_line(FILE *f, const struct dash_board *b, const struct dash_kernel *k,
			 size_t cls, const struct scale *s)
{
	const struct dash_point *p;
	bool open = false;
	size_t r;

	for (r = 0; r < k->nruns; r++) {
		p = dash_point(b, k, r, cls);
		if (!p->dist) {
			if (open)
				fprintf(f, "\"/>\n");
			open = false;
			continue;
		}
		if (!open)
			fprintf(f, "<polyline class=\"line\" stroke=\"%s\" points=\"", dash_color(k));
		fprintf(f, "%s%.1f,%.1f", open ? " " : "", history_x(k, r),
			scale_at(s, (double)dash_int(p->dist, "median")));
		open = true;
	}
	if (open)
		fprintf(f, "\"/>\n");
}

static void history_days(FILE *f, const struct dash_kernel *k)
{
	size_t r, every = (k->nruns + 7) / 8;
	char day[32];

	for (r = 0; r < k->nruns; r++) {
		if (r % every && r != k->nruns - 1)
			continue;
		fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			history_x(k, r), H_H - 6);
		dash_esc(f, dash_day(day, sizeof(day), k->runs[r]->date));
		fprintf(f, "</text>");
	}
	fputc('\n', f);
}

void dash_plot_history(FILE *f, const struct dash_board *b, const struct dash_kernel *k,
		       size_t cls)
{
	char id[64], plot[512], label[512];
	const struct dash_point *p;
	bool changed = false;
	struct scale s;
	double x, y;
	size_t r;

	snprintf(id, sizeof(id), "h-%zu-%zu-%zu", b->index, (size_t)(k - b->kernels), cls);
	snprintf(plot, sizeof(plot), "history/%s/%s/%s/%s", b->name, k->release, k->verdict,
		 b->classes[cls]);
	snprintf(label, sizeof(label), "%s on %s (%s), board %s: median host instructions "
		 "per step, run by run%s", b->classes[cls], k->release, k->verdict, b->name,
		 k->emulated ? " (emulated)" : "");
	for (r = 0; r < k->nruns && !changed; r++)
		changed = dash_point(b, k, r, cls)->change;
	svg_open(f, id, changed, plot, H_W, H_H, label);
	history_scale(b, k, cls, &s);
	fprintf(f, "<text class=\"title\" x=\"8\" y=\"15\">");
	dash_esc(f, b->classes[cls]);
	fprintf(f, "</text>");
	svg_emulated(f, k->emulated, H_W);
	axis(f, &s, true, H_LEFT, H_W - H_RIGHT);
	history_line(f, b, k, cls, &s);
	for (r = 0; r < k->nruns; r++) {
		p = dash_point(b, k, r, cls);
		if (!p->dist)
			continue;
		x = history_x(k, r);
		y = scale_at(&s, (double)dash_int(p->dist, "median"));
		fprintf(f, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">",
			x, y, dash_color(k));
		point_title(f, k, r, p);
		fprintf(f, "</circle>\n");
		if (p->change)
			history_marker(f, b, k, r, cls, x, y);
	}
	history_days(f, k);
	fprintf(f, "</svg>\n");
}

/*
 * Distributions: per kernel, its latest run, one row in each metric's
 * panel: whisker min to p99, box p10 to p90, a bar at the median, and a
 * small triangle at the right edge when the maximum lies beyond p99.
 */
static const struct {
	const char *metric, *label;
} panels[] = {
	{ DASH_METRIC, "host instructions per step" },
	{ "time_ns", "time in KVM_RUN per step (ns)" },
	{ "entries", "guest entries per step" },
};

#define D_TOP	44
#define D_ROW	22
#define D_PLOT	210
#define D_VALUE	64
#define D_GAP	18

static const json_t *latest_dist(const struct dash_board *b, const struct dash_kernel *k,
				 size_t cls, const char *metric)
{
	return dash_dist(k->runs[k->nruns - 1]->doc, b->classes[cls], metric);
}

static void dist_row(FILE *f, const struct dash_kernel *k, const json_t *m,
		     const struct scale *s, double y)
{
	double lo = scale_at(s, (double)dash_int(m, "min"));
	double p99 = scale_at(s, (double)dash_int(m, "p99"));
	double b0 = scale_at(s, (double)dash_int(m, "p10"));
	double b1 = scale_at(s, (double)dash_int(m, "p90"));
	double med = scale_at(s, (double)dash_int(m, "median"));
	const char *c = dash_color(k);

	fprintf(f, "<g class=\"box\"><title>");
	dash_escf(f, "%s (%s), %s\n", k->release, k->verdict, k->runs[k->nruns - 1]->date);
	fprintf(f, "n %lld, min %lld, p10 %lld, median %lld, p90 %lld, p99 %lld, max %lld, "
		"mode %lld (%.1f%%)</title>", (long long)dash_int(m, "n"),
		(long long)dash_int(m, "min"), (long long)dash_int(m, "p10"),
		(long long)dash_int(m, "median"), (long long)dash_int(m, "p90"),
		(long long)dash_int(m, "p99"), (long long)dash_int(m, "max"),
		(long long)dash_int(m, "mode"),
		100 * json_number_value(json_object_get(m, "mode_fraction")));
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
		lo, p99, y, y, c);
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
		lo, lo, y - 4, y + 4, c);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\" "
		"fill-opacity=\"0.3\" stroke=\"%s\"/>", b0, y - 6, fmax(1, b1 - b0), c, c);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"16\" fill=\"%s\"/>",
		med - 1.5, y - 8, c);
	if (dash_int(m, "max") > dash_int(m, "p99"))
		fprintf(f, "<path d=\"M%.1f %.1fl6 4l-6 4z\" fill=\"#888\"/>", s->p1 + 2, y - 4);
	fprintf(f, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">%lld</text></g>\n",
		s->p1 + 12, y + 4, (long long)dash_int(m, "median"));
}

static void dist_panel(FILE *f, const struct dash_board *b, size_t cls, unsigned int pi,
		       double x0, double h)
{
	double lo = INFINITY, hi = -INFINITY;
	const json_t *m;
	struct scale s;
	size_t k;

	for (k = 0; k < b->nkernels; k++) {
		m = latest_dist(b, &b->kernels[k], cls, panels[pi].metric);
		if (!m)
			continue;
		lo = fmin(lo, (double)dash_int(m, "min"));
		hi = fmax(hi, fmax((double)dash_int(m, "p99"), (double)dash_int(m, "median")));
	}
	if (lo > hi)
		return;
	scale_init(&s, lo, hi, 3, x0 + 6, x0 + D_PLOT - 6);
	fprintf(f, "<text class=\"head\" x=\"%.1f\" y=\"%d\">%s</text>\n", x0, D_TOP - 10,
		panels[pi].label);
	axis(f, &s, false, D_TOP - 4, h - 20);
	for (k = 0; k < b->nkernels; k++) {
		m = latest_dist(b, &b->kernels[k], cls, panels[pi].metric);
		if (m)
			dist_row(f, &b->kernels[k], m, &s, D_TOP + k * D_ROW + D_ROW / 2.0);
	}
}

static double kernel_label_width(const struct dash_board *b)
{
	size_t k, n, most = 0;

	for (k = 0; k < b->nkernels; k++) {
		n = strlen(b->kernels[k].release) + strlen(b->kernels[k].verdict) + 3;
		most = n > most ? n : most;
	}
	return fmax(140, most * CHAR_W + 16);
}

void dash_plot_distributions(FILE *f, const struct dash_board *b, size_t cls)
{
	double lw = kernel_label_width(b), h = D_TOP + b->nkernels * D_ROW + 26, w;
	char id[64], plot[512], label[512];
	bool emulated = false;
	unsigned int pi;
	size_t k;

	w = lw + (sizeof(panels) / sizeof(panels[0])) * (D_PLOT + D_VALUE + D_GAP);
	for (k = 0; k < b->nkernels; k++)
		emulated |= b->kernels[k].runs[b->kernels[k].nruns - 1]->emulated;
	snprintf(id, sizeof(id), "d-%zu-%zu", b->index, cls);
	snprintf(plot, sizeof(plot), "distribution/%s/%s", b->name, b->classes[cls]);
	snprintf(label, sizeof(label), "%s, board %s: step costs of each kernel's latest run%s",
		 b->classes[cls], b->name, emulated ? " (emulated)" : "");
	svg_open(f, id, false, plot, w, h, label);
	fprintf(f, "<text class=\"title\" x=\"8\" y=\"15\">");
	dash_esc(f, b->classes[cls]);
	fprintf(f, "</text>");
	svg_emulated(f, emulated, w);
	for (k = 0; k < b->nkernels; k++) {
		double y = D_TOP + k * D_ROW;

		if (k % 2)
			fprintf(f, "<rect class=\"stripe\" x=\"0\" y=\"%.1f\" width=\"%.0f\" "
				"height=\"%d\"/>", y, w, D_ROW);
		fprintf(f, "<text x=\"8\" y=\"%.1f\"><tspan fill=\"%s\">&#9632;</tspan> ",
			y + D_ROW / 2.0 + 4, dash_color(&b->kernels[k]));
		dash_esc(f, b->kernels[k].release);
		fprintf(f, " <tspan class=\"sub\">");
		dash_esc(f, b->kernels[k].verdict);
		fprintf(f, "</tspan></text>\n");
	}
	for (pi = 0; pi < sizeof(panels) / sizeof(panels[0]); pi++)
		dist_panel(f, b, cls, pi, lw + pi * (D_PLOT + D_VALUE + D_GAP), h);
	fprintf(f, "</svg>\n");
}
