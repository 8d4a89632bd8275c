// SPDX-License-Identifier: GPL-2.0
/* The dashboard's model: reports grouped by board and kernel, changes, comparisons. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dashboard/model.h"
#include "report/report.h"

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
		free(b->kernels[k].spread);
		free(b->kernels[k].spread_from);
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
		free(d->runs[i].id);
		free(d->runs[i].series);
		json_decref(d->runs[i].doc);
	}
	free(d->runs);
	free(d->baselines);
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

/* Every dimension of the identity but the board, which groups the page. */
static char *series_key(const struct identity *id)
{
	size_t n = 0, d;
	char *key = malloc(sizeof(id->v));

	if (!key)
		return NULL;
	key[0] = '\0';
	for (d = 0; d < ID_COMPARED; d++)
		if (d != ID_BOARD)
			n += (size_t)snprintf(key + n, sizeof(id->v) - n, "%s\x1f", id->v[d]);
	return key;
}

int dashboard_set_baselines(struct dashboard *d, const char *dir)
{
	free(d->baselines);
	d->baselines = dir ? strdup(dir) : NULL;
	return dir && !d->baselines ? -ENOMEM : 0;
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
		.known = json_integer_value(json_object_get(sum, "known_nonconforming")),
		.conforming = json_is_true(json_object_get(sum, "conforming")),
		.seed = run_seed(doc),
	};
	r->emulated = !strcmp(r->measured_on, "emulated") ||
		      json_is_true(json_object_get(ctx, "emulated"));
	r->mode = str_or(ctx, "kvm_mode", "unknown");
	/* reports of 1.2 and later say whether their date can be believed */
	if (json_is_false(json_object_get(json_object_get(ctx, "clock"), "trusted")))
		r->clock_why = str_or(json_object_get(ctx, "clock"), "why", "");
	r->id = malloc(sizeof(*r->id));
	if (r->id) {
		identity_of(doc, r->id);
		r->series = series_key(r->id);
	}
	if (!r->name || !r->id || !r->series) {
		free(r->name);
		free(r->id);
		free(r->series);
		json_decref(doc);
		return -ENOMEM;
	}
	d->nruns++;
	return 0;
}

static int kernel_cmp(const struct dash_run *a, const struct dash_run *b)
{
	return strverscmp(a->release, b->release) ?: strcmp(a->verdict, b->verdict) ?:
	       strcmp(a->series, b->series);
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

static bool same_release_elsewhere(const struct dash_board *b, const struct dash_kernel *k)
{
	size_t j;

	for (j = 0; j < b->nkernels; j++)
		if (&b->kernels[j] != k && !strcmp(b->kernels[j].release, k->release) &&
		    strcmp(b->kernels[j].id->v[ID_KERNEL], k->id->v[ID_KERNEL]))
			return true;
	return false;
}

/*
 * What tells a board's series apart beyond release and verdict: the
 * dimensions of the identity that vary among them, each series labelled
 * with its values (KVM mode, core kind, programs, re-entry, build).
 */
static void series_labels(struct dash_board *b)
{
	static const enum id_dim shown[] = { ID_KVM_MODE, ID_CORE_KIND, ID_PROGRAM, ID_REENTRY,
					     ID_KERNEL };
	struct dash_kernel *k;
	unsigned int vary = 0, i;
	const char *v;
	size_t j, n;

	for (j = 1; j < b->nkernels; j++)
		vary |= identity_diff(b->kernels[0].id, b->kernels[j].id);
	for (j = 0; j < b->nkernels; j++) {
		k = &b->kernels[j];
		n = 0;
		k->label[0] = '\0';
		for (i = 0; i < sizeof(shown) / sizeof(shown[0]) && n < sizeof(k->label); i++) {
			if (!(vary & (1u << shown[i])))
				continue;
			/* a release tells kernels apart; the build only when releases match */
			if (shown[i] == ID_KERNEL && !same_release_elsewhere(b, k))
				continue;
			v = k->id->v[shown[i]];
			/* of a kernel, what its release does not say: the build's digests */
			if (shown[i] == ID_KERNEL && strstr(v, "config_sha256"))
				v = strstr(v, "config_sha256");
			n += (size_t)snprintf(k->label + n, sizeof(k->label) - n, "%s%s %.60s",
					      n ? ", " : "", shown[i] == ID_KVM_MODE ? "kvm" :
					      identity_dim_name(shown[i]), v);
		}
	}
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
		k->mode = runs[start]->mode;
		k->id = runs[start]->id;
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
	series_labels(b);
	for (i = 0; i < n; i++) {
		b->emulated |= runs[i]->emulated;
		if (classes_add(b, runs[i]->doc))
			return -ENOMEM;
	}
	for (i = 0; i < b->nkernels; i++) {
		k = &b->kernels[i];
		k->points = calloc(k->nruns * (b->nclasses ?: 1), sizeof(*k->points));
		k->spread = malloc((b->nclasses ?: 1) * sizeof(*k->spread));
		if (!k->points || !k->spread)
			return -ENOMEM;
		for (r = 0; r < b->nclasses; r++)
			k->spread[r] = -1;
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

/*
 * The shift of one class's distribution against the same class in an
 * earlier run: a change when its interval clears 0 and, where the boots
 * of this kernel are known to differ by up to @spread, clears that too.
 */
static int point_compare(struct dash_point *p, const json_t *prev, double spread)
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
	if (spread < 0)
		spread = 0;
	p->change = p->s.lo > spread ? 1 : p->s.hi < -spread ? -1 : 0;
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
			ret = prev ? point_compare(p, prev, k->spread[c]) : 0;
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
		/* side by side on the page, never a change */
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

/*
 * The boot-to-boot spread of a series, from the baseline of its board,
 * kernel release and KVM mode: "boot_spread": { CLASS: N } (steplab
 * baseline spread).  A baseline without kvm_mode is of the board's own
 * mode and stands only for a series of the mode in its file name.
 */
static int kernel_spread(struct dash_board *b, struct dash_kernel *k)
{
	char path[4096];
	const char *suffix[2] = { "", k->mode };
	json_t *base, *spread;
	unsigned int i;
	size_t c;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s%s%s.json", b->baselines, b->name, k->release,
			 i ? "." : "", suffix[i]);
		base = json_load_file(path, 0, NULL);
		if (!base)
			continue;
		spread = json_object_get(base, "boot_spread");
		if (strcmp(str_or(base, "kvm_mode", i ? k->mode : ""), k->mode) || !spread) {
			json_decref(base);
			continue;
		}
		for (c = 0; c < b->nclasses; c++)
			if (json_is_number(json_object_get(spread, b->classes[c])))
				k->spread[c] = json_number_value(json_object_get(spread, b->classes[c]));
		json_decref(base);
		k->spread_from = strdup(path);
		return k->spread_from ? 0 : -ENOMEM;
	}
	return 0;
}

static int board_build(struct dash_board *b, const char *reference, char *err, size_t len)
{
	size_t k;
	int ret;

	board_reference(b, reference);
	for (k = 0; k < b->nkernels && b->baselines; k++) {
		ret = kernel_spread(b, &b->kernels[k]);
		if (ret) {
			snprintf(err, len, "%s: %s", b->baselines, strerror(-ret));
			return ret;
		}
	}
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
		d->boards[d->nboards].baselines = d->baselines;
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
		if (dash_known_only(&d->runs[i]))
			c->known++;
		else
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
