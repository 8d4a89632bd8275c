// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Schema (the draft 2020-12 subset listed in jschema.h) over Jansson.
 * The schema is walked once on its own, so an unsupported keyword fails even
 * in a branch the document never reaches; then the document is validated up
 * to its first violation. Only regcomp() allocates, and every pattern is
 * freed by the function that compiled it.
 */
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jschema-value.h"
#include "lib/jschema.h"
#include "lib/msg.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What a keyword's own value must look like; checked before any validation. */
enum shape {
	SHAPE_ANY,		/* annotations and const */
	SHAPE_TYPE,		/* a type name or a non-empty array of them */
	SHAPE_ARRAY,
	SHAPE_NUMBER,
	SHAPE_COUNT,		/* a non-negative integer */
	SHAPE_PATTERN,
	SHAPE_STRINGS,
	SHAPE_REF,
	SHAPE_SCHEMA,
	SHAPE_SCHEMA_MAP,
	SHAPE_SCHEMA_LIST,
};

struct jctx {
	const json_t *root;
	char *err;
	size_t errlen;
	const char *prefix;	/* "#" for schema paths, "" for document paths */
	char path[256];		/* truncated, never reallocated */
	size_t pathlen;
	int depth;
};

struct keyword;

struct kwarg {
	const struct keyword *k;
	const json_t *schema;	/* the schema object holding the keyword */
	const json_t *val;	/* the keyword's value */
	const json_t *inst;
};

struct keyword {
	const char *name;
	enum shape shape;
	int (*validate)(struct jctx *c, const struct kwarg *a);
	int arg;		/* variant, read by the validate function */
};

static int check_schema(struct jctx *c, const json_t *schema);
static int validate_schema(struct jctx *c, const json_t *schema,
			   const json_t *inst);

static int __attribute__((format(printf, 3, 4)))
fail(struct jctx *c, int ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->errlen)
		return ret;
	n = snprintf(c->err, c->errlen, "%s%s: ", c->prefix, c->path);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	/* keys in the path and quoted values may hold any character */
	msg_one_line(c->err, c->errlen);
	return ret;
}

/* -ELOOP once @what (the schema, or schema and document) nests too deep. */
static int depth_check(struct jctx *c, const char *what)
{
	if (c->depth < JSCHEMA_MAX_DEPTH)
		return 0;
	return fail(c, -ELOOP, "%s deeper than %d levels", what, JSCHEMA_MAX_DEPTH);
}

/* Appends a JSON pointer token: key escaped per RFC 6901, or idx if no key. */
static size_t path_push(struct jctx *c, const char *tok, size_t idx)
{
	size_t old = c->pathlen, n = c->pathlen;
	char num[24];

	if (!tok) {
		snprintf(num, sizeof(num), "%zu", idx);
		tok = num;
	}
	if (n + 1 < sizeof(c->path))
		c->path[n++] = '/';
	for (; *tok && n + 2 < sizeof(c->path); tok++) {
		if (*tok == '~' || *tok == '/') {
			c->path[n++] = '~';
			c->path[n++] = *tok == '~' ? '0' : '1';
		} else {
			c->path[n++] = *tok;
		}
	}
	c->path[n] = '\0';
	c->pathlen = n;
	return old;
}

static void path_pop(struct jctx *c, size_t old)
{
	c->pathlen = old;
	c->path[old] = '\0';
}

static void str_append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

static int regex_compile(struct jctx *c, regex_t *re, const json_t *val)
{
	char msg[96];
	int rc;

	rc = regcomp(re, json_string_value(val), REG_EXTENDED | REG_NOSUB);
	if (!rc)
		return 0;
	if (rc == REG_ESPACE)
		return fail(c, -ENOMEM, "out of memory compiling pattern");
	regerror(rc, re, msg, sizeof(msg));
	return fail(c, -ENOTSUP, "not a POSIX extended regex: %s", msg);
}

static const json_t *ref_resolve(const json_t *root, const char *ref)
{
	static const char defs[] = "#/$defs/";
	const char *name = ref + sizeof(defs) - 1;

	if (!strcmp(ref, "#"))
		return root;
	if (strncmp(ref, defs, sizeof(defs) - 1) || strpbrk(name, "/~%"))
		return NULL;
	return json_object_get(json_object_get(root, "$defs"), name);
}

static int type_known(struct jctx *c, const json_t *t)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "string", "integer",
	};
	size_t i;

	for (i = 0; json_is_string(t) && i < ARRAY_SIZE(names); i++)
		if (!strcmp(json_string_value(t), names[i]))
			return 0;
	return fail(c, -ENOTSUP, "not a type name or a non-empty array of them");
}

/* The path already ends at the keyword. */
static int check_keyword(struct jctx *c, const struct keyword *k,
			 const json_t *val)
{
	const char *key;
	size_t i, old;
	json_t *sub;
	regex_t re;
	int ret = 0;

	switch (k->shape) {
	case SHAPE_ANY:
		return 0;
	case SHAPE_TYPE:
		if (!json_is_array(val) || !json_array_size(val))
			return type_known(c, val);
		json_array_foreach((json_t *)val, i, sub)
			if ((ret = type_known(c, sub)))
				break;
		return ret;
	case SHAPE_ARRAY:
		return json_is_array(val) ? 0 : fail(c, -ENOTSUP, "must be an array");
	case SHAPE_NUMBER:
		return json_is_number(val) ? 0 : fail(c, -ENOTSUP, "must be a number");
	case SHAPE_COUNT:
		if (json_is_integer(val) && json_integer_value(val) >= 0)
			return 0;
		return fail(c, -ENOTSUP, "must be a non-negative integer");
	case SHAPE_PATTERN:
		if (!json_is_string(val))
			return fail(c, -ENOTSUP, "must be a string");
		ret = regex_compile(c, &re, val);
		if (!ret)
			regfree(&re);
		return ret;
	case SHAPE_STRINGS:
		json_array_foreach((json_t *)val, i, sub)
			if (!json_is_string(sub))
				break;
		if (json_is_array(val) && i == json_array_size(val))
			return 0;
		return fail(c, -ENOTSUP, "must be an array of strings");
	case SHAPE_REF:
		if (json_is_string(val) && ref_resolve(c->root, json_string_value(val)))
			return 0;
		return fail(c, -ENOTSUP,
			    "only \"#\" and \"#/$defs/NAME\" of the root $defs are supported");
	case SHAPE_SCHEMA:
		return check_schema(c, val);
	case SHAPE_SCHEMA_MAP:
		if (!json_is_object(val))
			return fail(c, -ENOTSUP, "must be an object of schemas");
		json_object_foreach((json_t *)val, key, sub) {
			old = path_push(c, key, 0);
			ret = check_schema(c, sub);
			path_pop(c, old);
			if (ret)
				break;
		}
		return ret;
	case SHAPE_SCHEMA_LIST:
		if (!json_is_array(val) || !json_array_size(val))
			return fail(c, -ENOTSUP, "must be a non-empty array of schemas");
		json_array_foreach((json_t *)val, i, sub) {
			old = path_push(c, NULL, i);
			ret = check_schema(c, sub);
			path_pop(c, old);
			if (ret)
				break;
		}
		return ret;
	}
	return 0;
}

static int v_type(struct jctx *c, const struct kwarg *a)
{
	char want[96] = "";
	json_t *t;
	size_t i;

	if (json_is_string(a->val)) {
		if (jval_type_matches(a->val, a->inst))
			return 0;
		str_append(want, sizeof(want), json_string_value(a->val));
	}
	json_array_foreach((json_t *)a->val, i, t) {
		if (jval_type_matches(t, a->inst))
			return 0;
		str_append(want, sizeof(want), i ? " or " : "");
		str_append(want, sizeof(want), json_string_value(t));
	}
	return fail(c, -EINVAL, "expected %s, got %s", want, jval_type(a->inst));
}

/* enum, and const as an enum of one. */
static int v_enum(struct jctx *c, const struct kwarg *a)
{
	bool is_const = !strcmp(a->k->name, "const");
	size_t i, n = is_const ? 1 : json_array_size(a->val);
	char want[128] = "", one[48];
	const json_t *v;

	for (i = 0; i < n; i++) {
		v = is_const ? a->val : json_array_get(a->val, i);
		if (jval_equal(v, a->inst))
			return 0;
		jval_fmt(v, one, sizeof(one));
		str_append(want, sizeof(want), i ? ", " : "");
		str_append(want, sizeof(want), one);
	}
	jval_fmt(a->inst, one, sizeof(one));
	return fail(c, -EINVAL, "expected %s%s, got %s",
		    is_const ? "const " : "one of ", want, one);
}

/* arg -1/1: minimum/maximum; -2/2: exclusiveMinimum/exclusiveMaximum. */
static int v_bound(struct jctx *c, const struct kwarg *a)
{
	int dir = a->k->arg < 0 ? -1 : 1, cmp;
	bool excl = a->k->arg == -2 || a->k->arg == 2;
	char got[32], lim[32];

	if (!json_is_number(a->inst))
		return 0;
	cmp = jval_num_cmp(a->inst, a->val);
	if (cmp != dir && !(excl && cmp == 0))
		return 0;
	jval_num_fmt(a->inst, got, sizeof(got));
	jval_num_fmt(a->val, lim, sizeof(lim));
	return fail(c, -EINVAL, "%s is %s %s %s", got,
		    excl ? (dir < 0 ? "not above" : "not below") :
			   (dir < 0 ? "below" : "above"),
		    a->k->name, lim);
}

/* arg -1/1: minItems/maxItems; -2/2: minLength/maxLength, in code points. */
static int v_count(struct jctx *c, const struct kwarg *a)
{
	bool str = a->k->arg == -2 || a->k->arg == 2;
	json_int_t lim = json_integer_value(a->val);
	const unsigned char *s;
	size_t i, n;

	if (str ? !json_is_string(a->inst) : !json_is_array(a->inst))
		return 0;
	n = str ? 0 : json_array_size(a->inst);
	s = (const unsigned char *)json_string_value(a->inst);
	for (i = 0; str && i < json_string_length(a->inst); i++)
		n += (s[i] & 0xc0) != 0x80;
	if (a->k->arg < 0 ? (json_int_t)n >= lim : (json_int_t)n <= lim)
		return 0;
	return fail(c, -EINVAL, "%s has %zu %s, %s than %s %" JSON_INTEGER_FORMAT,
		    str ? "string" : "array", n, str ? "characters" : "items",
		    a->k->arg < 0 ? "fewer" : "more", a->k->name, lim);
}

static int v_pattern(struct jctx *c, const struct kwarg *a)
{
	regex_t re;
	int ret;

	if (!json_is_string(a->inst))
		return 0;
	ret = regex_compile(c, &re, a->val);
	if (ret)
		return ret;
	if (regexec(&re, json_string_value(a->inst), 0, NULL, 0))
		ret = fail(c, -EINVAL, "string does not match pattern \"%s\"",
			   json_string_value(a->val));
	regfree(&re);
	return ret;
}

static int v_items(struct jctx *c, const struct kwarg *a)
{
	size_t i, old;
	json_t *item;
	int ret = 0;

	json_array_foreach((json_t *)a->inst, i, item) {
		old = path_push(c, NULL, i);
		ret = validate_schema(c, a->val, item);
		path_pop(c, old);
		if (ret)
			break;
	}
	return ret;
}

static int v_required(struct jctx *c, const struct kwarg *a)
{
	json_t *name;
	size_t i;

	if (!json_is_object(a->inst))
		return 0;
	json_array_foreach((json_t *)a->val, i, name)
		if (!json_object_get(a->inst, json_string_value(name)))
			return fail(c, -EINVAL, "missing required property \"%s\"",
				    json_string_value(name));
	return 0;
}

/*
 * arg 0: properties, val maps names to schemas; arg 1: additionalProperties,
 * val is one schema for the names "properties" does not list.
 */
static int v_properties(struct jctx *c, const struct kwarg *a)
{
	const json_t *props = json_object_get(a->schema, "properties");
	bool extra = a->k->arg;
	json_t *child, *sub;
	const char *key;
	size_t old;
	int ret = 0;

	json_object_foreach((json_t *)a->inst, key, child) {
		sub = json_object_get(props, key);
		if (extra == !!sub)
			continue;
		if (extra && json_is_false(a->val))
			return fail(c, -EINVAL, "unexpected property \"%s\"", key);
		old = path_push(c, key, 0);
		ret = validate_schema(c, extra ? a->val : sub, child);
		path_pop(c, old);
		if (ret)
			break;
	}
	return ret;
}

static int v_ref(struct jctx *c, const struct kwarg *a)
{
	return validate_schema(c, ref_resolve(c->root, json_string_value(a->val)),
			       a->inst);
}

/*
 * arg 0: allOf, 1: anyOf, 2: oneOf. allOf reports the failing branch's own
 * error; the others keep branch errors local and quote the first.
 */
static int v_compose(struct jctx *c, const struct kwarg *a)
{
	size_t errlen = c->errlen, i, hit[2] = { 0, 0 }, matches = 0;
	char first[160] = "", branch[160], *err = c->err;
	json_t *sub;
	int ret = 0;

	if (a->k->arg) {
		c->err = branch;
		c->errlen = sizeof(branch);
	}
	json_array_foreach((json_t *)a->val, i, sub) {
		ret = validate_schema(c, sub, a->inst);
		if (ret && (ret != -EINVAL || !a->k->arg))
			break;
		if (ret && !i)
			memcpy(first, branch, sizeof(first));
		if (!ret && matches < 2)
			hit[matches] = i;
		matches += !ret;
		if (a->k->arg && matches >= (size_t)a->k->arg)
			break;
	}
	c->err = err;
	c->errlen = errlen;
	if (!a->k->arg || (ret && ret != -EINVAL)) {
		if (a->k->arg && errlen)
			snprintf(err, errlen, "%s", branch);
		return ret;
	}
	if (!matches)
		return fail(c, -EINVAL, "matches no %s branch (branch 0: %s)",
			    a->k->name, first);
	if (matches > 1)
		return fail(c, -EINVAL, "matches oneOf branches %zu and %zu, expected exactly one",
			    hit[0], hit[1]);
	return 0;
}

/* Validated in table order, so "type" is reported before finer keywords. */
static const struct keyword keywords[] = {
	{ "type",		SHAPE_TYPE,		v_type,		0 },
	{ "enum",		SHAPE_ARRAY,		v_enum,		0 },
	{ "const",		SHAPE_ANY,		v_enum,		0 },
	{ "minimum",		SHAPE_NUMBER,		v_bound,	-1 },
	{ "exclusiveMinimum",	SHAPE_NUMBER,		v_bound,	-2 },
	{ "maximum",		SHAPE_NUMBER,		v_bound,	1 },
	{ "exclusiveMaximum",	SHAPE_NUMBER,		v_bound,	2 },
	{ "minItems",		SHAPE_COUNT,		v_count,	-1 },
	{ "maxItems",		SHAPE_COUNT,		v_count,	1 },
	{ "minLength",		SHAPE_COUNT,		v_count,	-2 },
	{ "maxLength",		SHAPE_COUNT,		v_count,	2 },
	{ "pattern",		SHAPE_PATTERN,		v_pattern,	0 },
	{ "required",		SHAPE_STRINGS,		v_required,	0 },
	{ "properties",		SHAPE_SCHEMA_MAP,	v_properties,	0 },
	{ "additionalProperties", SHAPE_SCHEMA,		v_properties,	1 },
	{ "items",		SHAPE_SCHEMA,		v_items,	0 },
	{ "$ref",		SHAPE_REF,		v_ref,		0 },
	{ "allOf",		SHAPE_SCHEMA_LIST,	v_compose,	0 },
	{ "anyOf",		SHAPE_SCHEMA_LIST,	v_compose,	1 },
	{ "oneOf",		SHAPE_SCHEMA_LIST,	v_compose,	2 },
	{ "$defs",		SHAPE_SCHEMA_MAP,	NULL,		0 },
	/* annotations */
	{ .name = "$schema" }, { .name = "$id" }, { .name = "title" },
	{ .name = "description" }, { .name = "$comment" }, { .name = "default" },
	{ .name = "examples" }, { .name = "format" }, { .name = "deprecated" },
};

static const struct keyword *keyword_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(keywords[i].name, name))
			return &keywords[i];
	return NULL;
}

static int check_schema(struct jctx *c, const json_t *schema)
{
	const struct keyword *k;
	const char *key;
	json_t *val;
	size_t old;
	int ret;

	ret = depth_check(c, "schema nests");
	if (ret)
		return ret;
	if (json_is_boolean(schema))
		return 0;
	if (!json_is_object(schema))
		return fail(c, -ENOTSUP, "a schema must be an object or a boolean");
	c->depth++;
	json_object_foreach((json_t *)schema, key, val) {
		k = keyword_find(key);
		if (!k) {
			ret = fail(c, -ENOTSUP, "unsupported keyword \"%s\"", key);
			break;
		}
		old = path_push(c, key, 0);
		ret = check_keyword(c, k, val);
		path_pop(c, old);
		if (ret)
			break;
	}
	c->depth--;
	return ret;
}

static int validate_schema(struct jctx *c, const json_t *schema,
			   const json_t *inst)
{
	struct kwarg a = { .schema = schema, .inst = inst };
	size_t i;
	int ret;

	ret = depth_check(c, "nesting");
	if (ret)
		return ret;
	if (json_is_false(schema))
		return fail(c, -EINVAL, "no value is allowed here");
	c->depth++;
	for (i = 0; !ret && i < ARRAY_SIZE(keywords); i++) {
		a.k = &keywords[i];
		a.val = json_object_get(schema, a.k->name);
		if (a.k->validate && a.val)
			ret = a.k->validate(c, &a);
	}
	c->depth--;
	return ret;
}

int jschema_validate(const json_t *schema, const json_t *doc,
		     char *err, size_t errlen)
{
	struct jctx c = {
		.root = schema,
		.err = err,
		.errlen = err ? errlen : 0,
		.prefix = "#",
	};
	int ret;

	if (c.errlen)
		err[0] = '\0';
	if (!schema || !doc) {
		if (c.errlen)
			snprintf(err, errlen, "schema or document is NULL");
		return -EINVAL;
	}
	ret = check_schema(&c, schema);
	if (ret)
		return ret;
	c.prefix = "";
	return validate_schema(&c, schema, doc);
}
