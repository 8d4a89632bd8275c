// SPDX-License-Identifier: GPL-2.0
/* The dashboard's model: reports grouped by board and kernel, changes, comparisons. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dashboard-priv.h"
#include "report.h"

/* The metrics of the comparison table. */
static const char *const table_metrics[] = { DASH_METRIC, "entries", NULL };

static const char *str_or(const json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : dflt;
}

json_int_t dash_int(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

const json_t *dash_dist(const json_t *doc, const char *cls, const char *metric)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "classes"), i, c)
		if (!strcmp(str_or(c, "class", ""), cls))
			return json_object_get(json_object_get(c, "metrics"), metric);
	return NULL;
}

struct dashboard *dashboard_new(void)
{
	return calloc(1, sizeof(struct dashboard));
}

static void board_free(struct dash_board *b)
{
	size_t k;

	for (k = 0; k < b->nkernels; k++) {
		free(b->kernels[k].runs);
		free(b->kernels[k].points);
		free(b->kernels[k].note);
		json_decref(b->kernels[k].rows);
	}
	free(b->kernels);
	free(b->classes);
	free(b->changes);
}

void dashboard_free(struct dashboard *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nboards; i++)
		board_free(&d->boards[i]);
	free(d->boards);
	for (i = 0; i < d->nruns; i++) {
		free(d->runs[i].name);
		json_decref(d->runs[i].doc);
	}
	free(d->runs);
	free(d);
}

static json_int_t run_seed(const json_t *doc)
{
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(doc, "programs"), i, p)
		if (json_is_integer(json_object_get(p, "seed")))
			return dash_int(p, "seed");
	return -1;
}

int dashboard_add(struct dashboard *d, const char *name, json_t *doc, char *err, size_t len)
{
	const json_t *ctx = json_object_get(doc, "context");
	const json_t *sum = json_object_get(doc, "summary");
	struct dash_run *r;
	int ret;

	if (d->built)
		return -EBUSY;
	ret = compare_report_check(doc, err, len);
	if (ret)
		return ret == -ENOMEM ? ret : -EINVAL;
	if (d->nruns == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct dash_run *runs = realloc(d->runs, cap * sizeof(*runs));

		if (!runs)
			return -ENOMEM;
		d->runs = runs;
		d->cap = cap;
	}
	r = &d->runs[d->nruns];
	*r = (struct dash_run) {
		.name = strdup(name),
		.doc = json_incref(doc),
		.board = str_or(ctx, "board", "?"),
		.release = str_or(ctx, "kernel_release", "?"),
		.version = str_or(ctx, "kernel_version", ""),
		.date = str_or(ctx, "date", ""),
		.measured_on = str_or(ctx, "measured_on", "?"),
		.git = str_or(ctx, "steplab_git", ""),
		.verdict = str_or(json_object_get(doc, "design"), "verdict", "unknown"),
		.status = str_or(doc, "status", "?"),
		.steps = dash_int(sum, "steps"),
		.nonconforming = dash_int(sum, "nonconforming"),
		.conforming = json_is_true(json_object_get(sum, "conforming")),
		.seed = run_seed(doc),
	};
	r->emulated = !strcmp(r->measured_on, "emulated") ||
		      json_is_true(json_object_get(ctx, "emulated"));
	if (!r->name) {
		json_decref(doc);
		return -ENOMEM;
	}
	d->nruns++;
	return 0;
}

static int kernel_cmp(const struct dash_run *a, const struct dash_run *b)
{
	return strverscmp(a->release, b->release) ?: strcmp(a->verdict, b->verdict);
}

static int run_cmp(const void *x, const void *y)
{
	const struct dash_run *a = *(struct dash_run *const *)x, *b = *(struct dash_run *const *)y;

	return strcmp(a->board, b->board) ?: kernel_cmp(a, b) ?:
	       strcmp(a->date, b->date) ?: strcmp(a->name, b->name);
}

static int classes_add(struct dash_board *b, const json_t *doc)
{
	const char *name, **cls;
	const json_t *c;
	size_t i, j;

	json_array_foreach(json_object_get(doc, "classes"), i, c) {
		name = str_or(c, "class", "");
		for (j = 0; j < b->nclasses; j++)
			if (!strcmp(b->classes[j], name))
				break;
		if (j < b->nclasses)
			continue;
		cls = realloc(b->classes, (b->nclasses + 1) * sizeof(*cls));
		if (!cls)
			return -ENOMEM;
		b->classes = cls;
		b->classes[b->nclasses++] = name;
	}
	return 0;
}

/* Kernels of the board holding @runs[0..n), all of one board, in order. */
static int board_group(struct dash_board *b, struct dash_run **runs, size_t n)
{
	size_t i, r, start = 0;
	struct dash_kernel *k;

	b->name = runs[0]->board;
	b->kernels = calloc(n, sizeof(*b->kernels));
	if (!b->kernels)
		return -ENOMEM;
	for (i = 1; i <= n; i++) {
		if (i < n && !kernel_cmp(runs[start], runs[i]))
			continue;
		k = &b->kernels[b->nkernels];
		k->release = runs[start]->release;
		k->verdict = runs[start]->verdict;
		k->color = b->nkernels++;
		k->nruns = i - start;
		k->runs = malloc(k->nruns * sizeof(*k->runs));
		if (!k->runs)
			return -ENOMEM;
		memcpy(k->runs, runs + start, k->nruns * sizeof(*k->runs));
		for (r = 0; r < k->nruns; r++)
			k->emulated |= k->runs[r]->emulated;
		start = i;
	}
	for (i = 0; i < n; i++) {
		b->emulated |= runs[i]->emulated;
		if (classes_add(b, runs[i]->doc))
			return -ENOMEM;
	}
	for (i = 0; i < b->nkernels; i++) {
		k = &b->kernels[i];
		k->points = calloc(k->nruns * (b->nclasses ?: 1), sizeof(*k->points));
		if (!k->points)
			return -ENOMEM;
	}
	return 0;
}

static int change_add(struct dash_board *b, const struct dash_kernel *k, size_t run, size_t cls)
{
	struct dash_change *c = realloc(b->changes, (b->nchanges + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	b->changes = c;
	b->changes[b->nchanges++] = (struct dash_change) { k, run, cls };
	return 0;
}

/* The shift of one class's distribution against the same class in an earlier run. */
static int point_compare(struct dash_point *p, const json_t *prev)
{
	struct compare_hist ha, hb;
	int ret;

	ret = compare_hist_from_json(prev, &ha);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = compare_hist_from_json(p->dist, &hb);
	if (ret) {
		compare_hist_free(&ha);
		return ret == -ENOENT ? 0 : ret;
	}
	ret = compare_shift_estimate(&ha, &hb, NULL, &p->s);
	compare_hist_free(&hb);
	compare_hist_free(&ha);
	if (ret)
		return ret == -ENODATA ? 0 : ret;
	p->compared = true;
	p->change = p->s.lo > 0 ? 1 : p->s.hi < 0 ? -1 : 0;
	return 0;
}

/* Each run against the latest earlier run of the same kernel holding the class. */
static int kernel_history(struct dash_board *b, struct dash_kernel *k, char *err, size_t len)
{
	const json_t *prev;
	struct dash_point *p;
	size_t c, r;
	int ret;

	for (c = 0; c < b->nclasses; c++) {
		prev = NULL;
		for (r = 0; r < k->nruns; r++) {
			p = dash_point(b, k, r, c);
			p->dist = dash_dist(k->runs[r]->doc, b->classes[c], DASH_METRIC);
			if (!p->dist)
				continue;
			ret = prev ? point_compare(p, prev) : 0;
			if (!ret && p->change)
				ret = change_add(b, k, r, c);
			if (ret) {
				snprintf(err, len, "%s: %s %s against the run before: %s",
					 k->runs[r]->name, b->classes[c], DASH_METRIC, strerror(-ret));
				return ret;
			}
			prev = p->dist;
		}
	}
	return 0;
}

static int kernel_compare(struct dash_board *b, struct dash_kernel *k, char *err, size_t len)
{
	const struct dash_kernel *ref = &b->kernels[b->ref];
	const json_t *da = ref->runs[ref->nruns - 1]->doc, *db = k->runs[k->nruns - 1]->doc;
	char why[256];
	int ret;

	if (k == ref)
		return 0;
	if (compare_check_compatible(da, db, why, sizeof(why))) {
		k->note = strdup(why);
		return k->note ? 0 : -ENOMEM;
	}
	k->rows = json_array();
	if (!k->rows)
		return -ENOMEM;
	ret = compare_rows_build(da, db, table_metrics, NULL, k->rows, why, sizeof(why));
	if (ret)
		snprintf(err, len, "%s against %s: %s", k->runs[k->nruns - 1]->name,
			 ref->runs[ref->nruns - 1]->name, why);
	return ret;
}

static void board_reference(struct dash_board *b, const char *reference)
{
	size_t k;

	b->ref = 0;
	for (k = 0; reference && k < b->nkernels; k++) {
		if (!strcmp(b->kernels[k].release, reference)) {
			b->ref = k;
			return;
		}
	}
}

static int board_build(struct dash_board *b, const char *reference, char *err, size_t len)
{
	size_t k;
	int ret;

	board_reference(b, reference);
	for (k = 0; k < b->nkernels; k++) {
		ret = kernel_history(b, &b->kernels[k], err, len) ?:
		      kernel_compare(b, &b->kernels[k], err, len);
		if (ret)
			return ret;
	}
	return 0;
}

static bool reference_known(const struct dashboard *d, const char *reference)
{
	size_t i;

	for (i = 0; i < d->nruns; i++)
		if (!strcmp(d->runs[i].release, reference))
			return true;
	return false;
}

static int group(struct dashboard *d, struct dash_run **sorted)
{
	size_t i, start = 0;
	int ret;

	for (i = 0; i < d->nruns; i++)
		sorted[i] = &d->runs[i];
	qsort(sorted, d->nruns, sizeof(*sorted), run_cmp);
	d->boards = calloc(d->nruns, sizeof(*d->boards));
	if (!d->boards)
		return -ENOMEM;
	for (i = 1; i <= d->nruns; i++) {
		if (i < d->nruns && !strcmp(sorted[start]->board, sorted[i]->board))
			continue;
		d->boards[d->nboards].index = d->nboards;
		ret = board_group(&d->boards[d->nboards++], sorted + start, i - start);
		if (ret)
			return ret;
		start = i;
	}
	return 0;
}

int dashboard_build(struct dashboard *d, const char *reference, char *err, size_t len)
{
	struct dash_run **sorted;
	size_t i;
	int ret;

	if (d->built)
		return -EBUSY;
	if (!d->nruns) {
		snprintf(err, len, "no reports");
		return -ENODATA;
	}
	if (reference && !reference_known(d, reference)) {
		snprintf(err, len, "no report of kernel '%s'", reference);
		return -ENOENT;
	}
	sorted = malloc(d->nruns * sizeof(*sorted));
	if (!sorted) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	ret = group(d, sorted);
	free(sorted);
	if (ret) {
		snprintf(err, len, "out of memory");
		return ret;
	}
	for (i = 0; i < d->nboards; i++) {
		ret = board_build(&d->boards[i], reference, err, len);
		if (ret)
			return ret;
	}
	d->built = true;
	return 0;
}

void dashboard_counts(const struct dashboard *d, struct dashboard_counts *c)
{
	const struct dash_change *ch;
	const struct dash_board *b;
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->runs = d->nruns;
	c->boards = d->nboards;
	for (i = 0; i < d->nruns; i++)
		c->nonconforming += d->runs[i].nonconforming > 0 || !d->runs[i].conforming;
	for (i = 0; i < d->nboards; i++) {
		b = &d->boards[i];
		c->kernels += b->nkernels;
		for (j = 0; j < b->nchanges; j++) {
			ch = &b->changes[j];
			if (dash_point(b, ch->kernel, ch->run, ch->cls)->change > 0)
				c->regressions++;
			else
				c->improvements++;
		}
	}
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
