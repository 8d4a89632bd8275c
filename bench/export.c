// SPDX-License-Identifier: GPL-2.0
/*
 * Exporters: from a validated report to the checks every format carries
 * (see export.h), run names, and the LAVA test-shell lines.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-int.h"
#include "step.h"

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

void export_name_sanitize(char *dst, size_t len, const char *src, bool keep_dots)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; src && src[i] && i + 1 < len; i++) {
		char ch = src[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
			  (keep_dots && ch == '.');

		dst[i] = ok ? ch : '_';
	}
	dst[i] = '\0';
	if (!i && len > 1)
		snprintf(dst, len, "_");
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

void export_num(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.17g", v);
}

json_t *export_json_num(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

const char *export_ctx_str(const struct export_run *r, const char *key)
{
	const char *s = json_string_value(json_object_get(r->ctx, key));

	return s ? s : "";
}

void export_prefix(char *buf, size_t len, const struct export_run *r,
		   const struct export_check *c)
{
	char cls[96];

	if (!c->cls) {
		snprintf(buf, len, "steplab.%s", r->name);
		return;
	}
	export_name_sanitize(cls, sizeof(cls), c->cls, false);
	snprintf(buf, len, "steplab.%s.%s", r->name, cls);
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

static enum export_result verdict_result(const char *v, bool *none)
{
	*none = v && !strcmp(v, "none");
	if (!v)
		return EXPORT_UNKNOWN;
	if (!strcmp(v, "flag-based") || !strcmp(v, "early-exit"))
		return EXPORT_PASS;
	if (!strcmp(v, "buggy") || !strcmp(v, "mixed"))
		return EXPORT_FAIL;
	if (*none)
		return EXPORT_SKIP;
	return EXPORT_UNKNOWN;
}

static int run_checks_add(struct export_run *r)
{
	const json_t *doc = r->doc, *sum = json_object_get(doc, "summary");
	const json_t *nc = json_array_get(json_object_get(json_object_get(doc, "nonconforming"),
							  "steps"), 0);
	const json_t *dsg = json_object_get(doc, "design"), *pc, *v;
	const char *status = json_string_value(json_object_get(doc, "status"));
	const char *verdict = json_string_value(json_object_get(dsg, "verdict")), *k;
	json_int_t steps = json_integer_value(json_object_get(sum, "steps"));
	json_int_t bad = json_integer_value(json_object_get(sum, "nonconforming"));
	struct export_check *c;
	size_t off;
	bool none, first;

	c = check_add(r, status && !strcmp(status, "complete") ? EXPORT_PASS : EXPORT_FAIL,
		      NULL, "complete");
	if (!c)
		return -ENOMEM;
	k = json_string_value(json_object_get(doc, status && !strcmp(status, "failed") ?
					      "error" : "stopped"));
	snprintf(c->message, sizeof(c->message), "status %s%s%s", status ? status : "?",
		 k && *k ? ": " : "", k && *k ? k : "");

	c = check_add(r, json_is_true(json_object_get(sum, "conforming")) ? EXPORT_PASS :
		      EXPORT_FAIL, NULL, "conformance");
	if (!c)
		return -ENOMEM;
	if (c->result == EXPORT_PASS)
		snprintf(c->message, sizeof(c->message), "all %lld steps conformed",
			 (long long)steps);
	else
		snprintf(c->message, sizeof(c->message), "%lld of %lld steps did not conform",
			 (long long)bad, (long long)steps);
	if (c->result == EXPORT_FAIL && nc)
		snprintf(c->message + strlen(c->message), sizeof(c->message) - strlen(c->message),
			 "; first: step %lld (%s, %s, pc %s): %s",
			 (long long)json_integer_value(json_object_get(nc, "index")),
			 json_string_value(json_object_get(nc, "class")),
			 json_string_value(json_object_get(nc, "row")),
			 json_string_value(json_object_get(nc, "pc")),
			 json_string_value(json_object_get(nc, "evidence")));

	c = check_add(r, verdict_result(verdict, &none), NULL, "design");
	if (!c)
		return -ENOMEM;
	snprintf(c->message, sizeof(c->message), "design verdict %s%s", verdict ? verdict : "?",
		 none ? ": no emulated class was stepped" : "");
	pc = json_object_get(dsg, "per_class");
	first = true;
	json_object_foreach((json_t *)pc, k, v) {
		off = strlen(c->message);
		snprintf(c->message + off, sizeof(c->message) - off, "%s%s %s",
			 first ? " (" : ", ", k, json_string_value(v));
		first = false;
	}
	if (!first) {
		off = strlen(c->message);
		snprintf(c->message + off, sizeof(c->message) - off, ")");
	}
	return 0;
}
