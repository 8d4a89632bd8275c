// SPDX-License-Identifier: GPL-2.0
/*
 * Exporters: from a validated report to the checks every format carries
 * (see export.h), run names, and the LAVA test-shell lines.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/priv.h"
#include "lib/step.h"

static const char *const format_names[EXPORT_FORMAT_MAX] = {
	[EXPORT_LAVA]	= "lava",
	[EXPORT_KCIDB]	= "kcidb",
	[EXPORT_BMF]	= "bmf",
	[EXPORT_JUNIT]	= "junit",
};

int export_format_parse(const char *name)
{
	int i;

	for (i = 0; i < EXPORT_FORMAT_MAX; i++)
		if (name && !strcmp(name, format_names[i]))
			return i;
	return -EINVAL;
}

const char *export_format_name(enum export_format fmt)
{
	return (unsigned int)fmt < EXPORT_FORMAT_MAX ? format_names[fmt] : "?";
}

/* KCIDB: an origin is [a-z0-9_]+, an id is ORIGIN:ANYTHING. */
static bool origin_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return false;
	return true;
}

int export_opts_check(const struct export_opts *o, char *err, size_t len)
{
	const char *colon;

	if (o->origin && !origin_ok(o->origin, strlen(o->origin))) {
		snprintf(err, len, "--origin '%s': an origin is lower-case letters, digits "
			 "and '_' (KCIDB)", o->origin);
		return -EINVAL;
	}
	if (o->build_id) {
		colon = strchr(o->build_id, ':');
		if (!colon || !origin_ok(o->build_id, colon - o->build_id)) {
			snprintf(err, len, "--build-id '%s': a build id is ORIGIN:ID, the "
				 "origin lower-case letters, digits and '_' (KCIDB)", o->build_id);
			return -EINVAL;
		}
	}
	return 0;
}

static struct export_check *check_add(struct export_run *r, enum export_result res,
				      const char *cls, const char *what)
{
	struct export_check *c, *grown;

	if (!(r->n & (r->n + 1))) {	/* n + 1 is a power of two: grow */
		grown = realloc(r->checks, (2 * r->n + 2) * sizeof(*grown));
		if (!grown)
			return NULL;
		r->checks = grown;
	}
	c = &r->checks[r->n++];
	memset(c, 0, sizeof(*c));
	c->result = res;
	c->cls = cls;
	c->what = what;
	return c;
}

static const char *str(const json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "?";
}

static void msg_add(struct export_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void msg_add(struct export_check *c, const char *fmt, ...)
{
	size_t off = strlen(c->message);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->message + off, sizeof(c->message) - off, fmt, ap);
	va_end(ap);
}

static int complete_add(struct export_run *r)
{
	const char *status = json_string_value(json_object_get(r->doc, "status"));
	bool complete = status && !strcmp(status, "complete");
	struct export_check *c;
	const char *why;

	c = check_add(r, complete ? EXPORT_PASS : EXPORT_FAIL, NULL, "complete");
	if (!c)
		return -ENOMEM;
	why = json_string_value(json_object_get(r->doc, status && !strcmp(status, "failed") ?
						"error" : "stopped"));
	msg_add(c, "status %s", status ? status : "?");
	if (!complete && why && *why)
		msg_add(c, ": %s", why);
	return 0;
}

static int conformance_add(struct export_run *r)
{
	const json_t *sum = json_object_get(r->doc, "summary");
	const json_t *nc = json_array_get(json_object_get(json_object_get(r->doc,
						"nonconforming"), "steps"), 0);
	long long steps = json_integer_value(json_object_get(sum, "steps"));
	long long bad = json_integer_value(json_object_get(sum, "nonconforming"));
	struct export_check *c;

	c = check_add(r, json_is_true(json_object_get(sum, "conforming")) ? EXPORT_PASS :
		      EXPORT_FAIL, NULL, "conformance");
	if (!c)
		return -ENOMEM;
	if (c->result == EXPORT_PASS) {
		msg_add(c, "all %lld steps conformed", steps);
		return 0;
	}
	msg_add(c, "%lld of %lld steps did not conform", bad, steps);
	if (nc)
		msg_add(c, "; first: step %lld (%s, %s, pc %s): %s",
			(long long)json_integer_value(json_object_get(nc, "index")),
			str(json_object_get(nc, "class")), str(json_object_get(nc, "row")),
			str(json_object_get(nc, "pc")), str(json_object_get(nc, "evidence")));
	return 0;
}

/* flag-based and early-exit pass, buggy and mixed fail, none skips. */
static enum export_result verdict_result(const char *v)
{
	if (!strcmp(v, "flag-based") || !strcmp(v, "early-exit"))
		return EXPORT_PASS;
	if (!strcmp(v, "buggy") || !strcmp(v, "mixed"))
		return EXPORT_FAIL;
	if (!strcmp(v, "none"))
		return EXPORT_SKIP;
	return EXPORT_UNKNOWN;
}

static int design_add(struct export_run *r)
{
	const json_t *dsg = json_object_get(r->doc, "design");
	const json_t *pc = json_object_get(dsg, "per_class"), *v;
	const char *verdict = str(json_object_get(dsg, "verdict")), *k;
	struct export_check *c;
	bool first = true;

	c = check_add(r, verdict_result(verdict), NULL, "design");
	if (!c)
		return -ENOMEM;
	msg_add(c, "design verdict %s", verdict);
	if (c->result == EXPORT_SKIP)
		msg_add(c, ": no emulated class was stepped");
	json_object_foreach((json_t *)pc, k, v) {
		msg_add(c, "%s%s %s", first ? " (" : ", ", k, str(v));
		first = false;
	}
	if (!first)
		msg_add(c, ")");
	return 0;
}

static bool number_get(const json_t *d, const char *key, double *v)
{
	const json_t *x = json_object_get(d, key);

	if (!json_is_number(x))
		return false;
	*v = json_number_value(x);
	return true;
}

static int metric_add(struct export_run *r, const json_t *cls, const char *metric,
		      const char *unit)
{
	const json_t *d = json_object_get(json_object_get(cls, "metrics"), metric);
	const json_t *ctr = json_object_get(json_object_get(r->ctx, "counters"), metric);
	const char *name = json_string_value(json_object_get(cls, "class"));
	struct export_check *c;
	char a[32], b[32], v[32];

	c = check_add(r, d ? EXPORT_DONE : EXPORT_SKIP, name, metric);
	if (!c)
		return -ENOMEM;
	c->unit = unit;
	if (!d) {
		if (json_is_false(json_object_get(ctr, "available")))
			msg_add(c, "counter unavailable: %s",
				json_string_value(json_object_get(ctr, "reason")) ?: "no reason given");
		else if (!json_integer_value(json_object_get(cls, "steps")))
			msg_add(c, "no steps of this class ran");
		else
			msg_add(c, "not in the report");
		return 0;
	}
	c->measure = true;
	c->dist = d;
	number_get(d, "median", &c->value);
	c->bounds = "p10/p90";
	if (!number_get(d, "p10", &c->lower) || !number_get(d, "p90", &c->upper)) {
		c->bounds = "min/max";
		number_get(d, "min", &c->lower);
		number_get(d, "max", &c->upper);
	}
	export_num(v, sizeof(v), c->value);
	export_num(a, sizeof(a), c->lower);
	export_num(b, sizeof(b), c->upper);
	msg_add(c, "median %s %s (%s %s/%s, n %lld)", v, unit, c->bounds, a, b,
		(long long)json_integer_value(json_object_get(d, "n")));
	return 0;
}

static bool metric_known(const char *name)
{
	unsigned int m;

	for (m = 0; m < M_MAX; m++)
		if (!strcmp(name, metric_name(m)))
			return true;
	return false;
}

/*
 * Every metric steplab measures, skipped or not, then any the report adds.
 * Context switches and page faults are counted on request only
 * (run --count-perturbations): exported where a report has them.
 */
static int metrics_add(struct export_run *r, const json_t *cls)
{
	const json_t *v, *ms = json_object_get(cls, "metrics");
	const char *k;
	unsigned int m;
	int ret;

	for (m = 0; m < M_MAX; m++) {
		if ((m == M_CSWITCHES || m == M_FAULTS) && !json_object_get(ms, metric_name(m)))
			continue;
		ret = metric_add(r, cls, metric_name(m), metric_unit(m));
		if (ret)
			return ret;
	}
	json_object_foreach(json_object_get(cls, "metrics"), k, v) {
		if (metric_known(k))
			continue;
		ret = metric_add(r, cls, k, "count");
		if (ret)
			return ret;
	}
	return 0;
}

static int class_add(struct export_run *r, const json_t *cls)
{
	const char *name = json_string_value(json_object_get(cls, "class"));
	const json_t *dsg = json_object_get(cls, "design");
	long long steps = json_integer_value(json_object_get(cls, "steps"));
	long long ok = json_integer_value(json_object_get(cls, "conforming"));
	struct export_check *c;

	c = check_add(r, !steps ? EXPORT_SKIP : ok == steps ? EXPORT_PASS : EXPORT_FAIL,
		      name, "conformance");
	if (!c)
		return -ENOMEM;
	if (!steps)
		msg_add(c, "no steps of this class ran");
	else if (ok == steps)
		msg_add(c, "all %lld steps conformed", steps);
	else
		msg_add(c, "%lld of %lld steps did not conform", steps - ok, steps);

	if (json_is_true(json_object_get(cls, "emulated"))) {
		const char *verdict = str(json_object_get(dsg, "verdict"));

		c = check_add(r, verdict_result(verdict), name, "design");
		if (!c)
			return -ENOMEM;
		msg_add(c, "design verdict %s: %s", verdict,
			str(json_object_get(dsg, "evidence")));
	}
	return metrics_add(r, cls);
}

static int run_checks_add(struct export_run *r)
{
	const json_t *cls;
	size_t i;
	int ret;

	ret = complete_add(r);
	if (!ret)
		ret = conformance_add(r);
	if (!ret)
		ret = design_add(r);
	json_array_foreach(json_object_get(r->doc, "classes"), i, cls) {
		if (ret)
			break;
		ret = class_add(r, cls);
	}
	return ret;
}

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), as KCIDB and xs:dateTime take it. */
static bool rfc3339_ok(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return false;
	s += i;
	if (*s == '.') {
		if (!(s[1] >= '0' && s[1] <= '9'))
			return false;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (!strcmp(s, "Z"))
		return true;
	return (*s == '+' || *s == '-') && strlen(s) == 6 && s[1] >= '0' && s[1] <= '9' &&
	       s[2] >= '0' && s[2] <= '9' && s[3] == ':' && s[4] >= '0' && s[4] <= '9' &&
	       s[5] >= '0' && s[5] <= '9';
}

static bool name_taken(const struct export_set *s, size_t i)
{
	size_t j;

	for (j = 0; j < s->n; j++)
		if (j != i && !strcmp(s->runs[i].name, s->runs[j].name))
			return true;
	return false;
}

/* board; board-KERNEL when boards repeat; then -N (1-based) if still not unique */
static void runs_name(struct export_set *s)
{
	char kr[64];
	size_t i, off;

	for (i = 0; i < s->n; i++)
		export_name_sanitize(s->runs[i].name, sizeof(s->runs[i].name),
				     export_ctx_str(&s->runs[i], "board"), false);
	for (i = 0; i < s->n; i++)
		s->runs[i].clash = name_taken(s, i);
	for (i = 0; i < s->n; i++) {
		if (!s->runs[i].clash)
			continue;
		export_name_sanitize(kr, sizeof(kr),
				     export_ctx_str(&s->runs[i], "kernel_release"), false);
		off = strlen(s->runs[i].name);
		snprintf(s->runs[i].name + off, sizeof(s->runs[i].name) - off, "-%s", kr);
	}
	for (i = 0; i < s->n; i++)
		s->runs[i].clash = name_taken(s, i);
	for (i = 0; i < s->n; i++) {
		if (!s->runs[i].clash)
			continue;
		off = strlen(s->runs[i].name);
		snprintf(s->runs[i].name + off, sizeof(s->runs[i].name) - off, "-%zu", i + 1);
	}
}

int export_set_build(struct export_set *s, const struct export_opts *o,
		     json_t *const *docs, size_t n)
{
	const char *date;
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->origin = o && o->origin ? o->origin : EXPORT_ORIGIN_DEFAULT;
	s->build_id = o ? o->build_id : NULL;
	s->runs = calloc(n ? n : 1, sizeof(*s->runs));
	if (!s->runs)
		return -ENOMEM;
	s->n = n;
	for (i = 0; i < n; i++) {
		struct export_run *r = &s->runs[i];

		r->doc = docs[i];
		r->ctx = json_object_get(docs[i], "context");
		date = export_ctx_str(r, "date");
		if (rfc3339_ok(date) && strlen(date) < sizeof(r->date))
			snprintf(r->date, sizeof(r->date), "%s", date);
		ret = run_checks_add(r);
		if (ret) {
			export_set_free(s);
			return ret;
		}
	}
	runs_name(s);
	return 0;
}

void export_set_free(struct export_set *s)
{
	size_t i;

	for (i = 0; s->runs && i < s->n; i++)
		free(s->runs[i].checks);
	free(s->runs);
	memset(s, 0, sizeof(*s));
}

/*
 * LAVA: one lava-test-case line per check, a script a test shell runs.
 * Names and units keep to [A-Za-z0-9_.-] (LAVA: no whitespace in a name),
 * so nothing needs quoting.
 */
int export_lava(const struct export_set *s, FILE *f)
{
	static const char *const res[] = {
		[EXPORT_PASS] = "pass", [EXPORT_FAIL] = "fail", [EXPORT_SKIP] = "skip",
		[EXPORT_UNKNOWN] = "unknown", [EXPORT_DONE] = "pass",
	};
	char prefix[256], what[96], num[32], unit[64];
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		const struct export_run *r = &s->runs[i];

		for (k = 0; k < r->n; k++) {
			const struct export_check *c = &r->checks[k];

			export_prefix(prefix, sizeof(prefix), r, c);
			export_what(what, sizeof(what), c);
			fprintf(f, "lava-test-case %s.%s --result %s", prefix, what,
				res[c->result]);
			if (c->measure) {
				export_num(num, sizeof(num), c->value);
				export_name_sanitize(unit, sizeof(unit), c->unit, true);
				fprintf(f, " --measurement %s --units %s", num, unit);
			}
			fputc('\n', f);
		}
	}
	return 0;
}

int export_write(enum export_format fmt, const struct export_opts *o,
		 json_t *const *docs, size_t n, FILE *f, char *err, size_t len)
{
	static int (*const writers[EXPORT_FORMAT_MAX])(const struct export_set *, FILE *) = {
		[EXPORT_LAVA] = export_lava, [EXPORT_KCIDB] = export_kcidb,
		[EXPORT_BMF] = export_bmf, [EXPORT_JUNIT] = export_junit,
	};
	struct export_set s;
	int ret;

	if ((unsigned int)fmt >= EXPORT_FORMAT_MAX) {
		snprintf(err, len, "no such format");
		return -EINVAL;
	}
	if (o) {
		ret = export_opts_check(o, err, len);
		if (ret)
			return ret;
	}
	ret = export_set_build(&s, o, docs, n);
	if (ret) {
		snprintf(err, len, "out of memory");
		return ret;
	}
	ret = writers[fmt](&s, f);
	export_set_free(&s);
	if (!ret && (fflush(f) || ferror(f)))
		ret = -EIO;
	if (ret)
		snprintf(err, len, "%s", ret == -ENOMEM ? "out of memory" : "write failed");
	return ret;
}
