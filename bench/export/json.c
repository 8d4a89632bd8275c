// SPDX-License-Identifier: GPL-2.0
/*
 * KCIDB v5 and Bencher Metric Format: the two JSON exporters.
 *
 * KCIDB facts (kernelci/kcidb-io, kcidb_io/schema/v05_00.py .. v05_03.py):
 * a document is {"version": {"major": 5, "minor": N}, "tests": [...]}; a
 * test needs "id", "origin" and "build_id"; an origin is [a-z0-9_]+ and
 * every id is "ORIGIN:..."; "path" is dot-separated [a-zA-Z0-9_-]+ parts;
 * "status" is one of FAIL ERROR MISS PASS DONE SKIP, DONE for a test that
 * only measured; "number" is {"value", "unit", "prefix"}; free-form extras
 * go under "misc", the environment under "environment" {comment,
 * compatible, misc}.  Minor 0 is written: every field used here exists
 * since 5.0, so any v5 reader takes it.
 *
 * BMF facts (bencher.dev, "Bencher Metric Format"): {"BENCHMARK":
 * {"MEASURE": {"value", "lower_value", "upper_value"}}}, only "value"
 * required; a measure given by name or slug that does not exist yet is
 * created; slugs are at most 64 characters.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/priv.h"

static const char *const kcidb_status[] = {
	[EXPORT_PASS] = "PASS", [EXPORT_FAIL] = "FAIL", [EXPORT_SKIP] = "SKIP",
	[EXPORT_UNKNOWN] = "ERROR", [EXPORT_DONE] = "DONE",
};

/* The context keys a lab would filter on, as the environment's misc. */
static const char *const env_keys[] = {
	"board", "measured_on", "emulated", "kernel_release", "kernel_version",
	"kvm_mode", "midr", "machine", "cpu", "hostname", "steplab_version",
	"steplab_git",
};

static json_t *environment_json(const struct export_run *r)
{
	const char *compat = export_ctx_str(r, "compatible");
	json_t *env, *misc = json_object();
	char comment[384];
	size_t i;

	for (i = 0; i < sizeof(env_keys) / sizeof(env_keys[0]); i++) {
		json_t *v = json_object_get(r->ctx, env_keys[i]);

		if (v)
			json_object_set(misc, env_keys[i], v);
	}
	snprintf(comment, sizeof(comment), "steplab on %s (%s), kernel %s, kvm %s",
		 export_ctx_str(r, "board"), export_ctx_str(r, "measured_on"),
		 export_ctx_str(r, "kernel_release"), export_ctx_str(r, "kvm_mode"));
	env = json_pack("{ss so}", "comment", comment, "misc", misc);
	/* one device-tree compatible value: no spaces (KCIDB's pattern) */
	if (env && *compat && !strchr(compat, ' '))
		json_object_set_new(env, "compatible", json_pack("[s]", compat));
	return env;
}

/* Distinguishes runs that carry no date: FNV-1a over the report. */
static void run_key(char *buf, size_t len, const struct export_run *r)
{
	char *text;
	uint64_t h = 0xcbf29ce484222325ull;
	const char *p;

	if (r->date[0]) {
		snprintf(buf, len, "%s/%s", r->name, r->date);
		return;
	}
	text = json_dumps(r->doc, JSON_SORT_KEYS | JSON_COMPACT);
	for (p = text; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	free(text);
	snprintf(buf, len, "%s/undated-%016llx", r->name, (unsigned long long)h);
}

static json_t *test_misc(const struct export_run *r, const struct export_check *c)
{
	static const char *const dist_keys[] = {
		"n", "min", "p10", "median", "p90", "p99", "max", "mode", "mode_fraction",
	};
	json_t *misc = json_pack("{ss ss}", "run", r->name, "check", c->what);
	size_t i;

	if (!misc)
		return NULL;
	if (c->cls)
		json_object_set_new(misc, "class", json_string(c->cls));
	if (c->measure) {
		json_object_set_new(misc, "statistic", json_string("median"));
		json_object_set_new(misc, "bounds", json_string(c->bounds));
		for (i = 0; i < sizeof(dist_keys) / sizeof(dist_keys[0]); i++) {
			json_t *v = json_object_get(c->dist, dist_keys[i]);

			if (v)
				json_object_set(misc, dist_keys[i], v);
		}
	}
	return misc;
}

static json_t *kcidb_test(const struct export_set *s, const struct export_run *r,
			  const struct export_check *c, const char *build, const char *key,
			  json_t *env)
{
	char path[256], cls[96], what[96], id[640];
	json_t *t;

	export_what(what, sizeof(what), c);
	export_name_sanitize(cls, sizeof(cls), c->cls, false);
	snprintf(path, sizeof(path), "steplab.%s%s%s", c->cls ? cls : "", c->cls ? "." : "",
		 what);
	snprintf(id, sizeof(id), "%s:%s/%s", s->origin, key, path);
	t = json_pack("{ss ss ss ss ss ss}", "id", id, "build_id", build, "origin", s->origin,
		      "path", path, "status", kcidb_status[c->result], "comment", c->message);
	if (!t)
		return NULL;
	if (r->date[0])
		json_object_set_new(t, "start_time", json_string(r->date));
	json_object_set(t, "environment", env);
	if (c->measure)
		json_object_set_new(t, "number", json_pack("{so ss}", "value",
				    export_json_num(c->value), "unit", c->unit));
	json_object_set_new(t, "misc", test_misc(r, c));
	return t;
}

static int kcidb_run(const struct export_set *s, const struct export_run *r, json_t *tests)
{
	char build[512], key[256];
	json_t *env = environment_json(r), *t;
	size_t k;
	int ret = 0;

	if (!env)
		return -ENOMEM;
	if (s->build_id)
		snprintf(build, sizeof(build), "%s", s->build_id);
	else
		snprintf(build, sizeof(build), "%s:%s", s->origin,
			 *export_ctx_str(r, "kernel_release") ?
			 export_ctx_str(r, "kernel_release") : "unknown");
	run_key(key, sizeof(key), r);
	for (k = 0; k < r->n && !ret; k++) {
		t = kcidb_test(s, r, &r->checks[k], build, key, env);
		if (!t || json_array_append_new(tests, t))
			ret = -ENOMEM;
	}
	json_decref(env);
	return ret;
}

static int json_out(json_t *doc, FILE *f)
{
	int ret;

	ret = json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17));
	if (!ret && fputc('\n', f) == EOF)
		ret = -1;
	json_decref(doc);
	return ret ? -EIO : 0;
}

int export_kcidb(const struct export_set *s, FILE *f)
{
	json_t *tests = json_array(), *doc;
	size_t i;
	int ret;

	doc = json_pack("{s{sisi} so}", "version", "major", EXPORT_KCIDB_MAJOR,
			"minor", EXPORT_KCIDB_MINOR, "tests", tests);
	if (!doc)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		ret = kcidb_run(s, &s->runs[i], tests);
		if (ret) {
			json_decref(doc);
			return ret;
		}
	}
	return json_out(doc, f);
}

/* A measure's slug: the metric's name in kebab case. */
static void measure_slug(char *buf, size_t len, const char *metric)
{
	char *p;

	export_name_sanitize(buf, len, metric, false);
	for (p = buf; *p; p++)
		*p = *p == '_' ? '-' : tolower((unsigned char)*p);
}

int export_bmf(const struct export_set *s, FILE *f)
{
	json_t *doc = json_object(), *bench, *m;
	char name[256], slug[64];
	size_t i, k;

	if (!doc)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		const struct export_run *r = &s->runs[i];

		for (k = 0; k < r->n; k++) {
			const struct export_check *c = &r->checks[k];

			if (!c->measure)
				continue;
			export_prefix(name, sizeof(name), r, c);
			bench = json_object_get(doc, name);
			if (!bench) {
				bench = json_object();
				if (json_object_set_new(doc, name, bench))
					goto err_nomem;
			}
			measure_slug(slug, sizeof(slug), c->what);
			m = json_pack("{so so so}", "value", export_json_num(c->value),
				      "lower_value", export_json_num(c->lower),
				      "upper_value", export_json_num(c->upper));
			if (!m || json_object_set_new(bench, slug, m))
				goto err_nomem;
		}
	}
	return json_out(doc, f);

err_nomem:
	json_decref(doc);
	return -ENOMEM;
}
