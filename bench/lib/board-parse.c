// SPDX-License-Identifier: GPL-2.0
/*
 * Board file parsing.  Unknown keys are ignored, known ones are checked
 * field by field, in the order a board file lists them, so the first fault
 * gets a message that names its JSON path and the reason; then the whole
 * document goes through the built-in schema, which must agree.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "lib/board-parse.h"
#include "lib/board.h"
#include "lib/jschema.h"
#include "lib/names.h"

extern const char board_schema_json[];

const char *board_schema_text(void)
{
	return board_schema_json;
}

static const char *const gpio_roles[BOARD_GPIO_ROLE_MAX] = {
	[BOARD_GPIO_MARKER]	= "marker",
	[BOARD_GPIO_POWER]	= "power",
	[BOARD_GPIO_RESET]	= "reset",
};

static const char *const kvm_modes[] = { "vhe", "nvhe", "protected" };

/* The index of a string value in @names, or -1. */
static int name_index(const char *const names[], size_t n, const json_t *v)
{
	return json_is_string(v) ? names_find(names, n, json_string_value(v)) : -1;
}

const char *board_gpio_role_name(enum board_gpio_role r)
{
	return names_at(gpio_roles, BOARD_GPIO_ROLE_MAX, r);
}

/* Where a message goes: "file:field: reason". */
struct ctx {
	const char *path;
	char *err;
	size_t len;
};

static int __attribute__((format(printf, 3, 4)))
fail(const struct ctx *c, const char *field, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->len, "%s:%s: ", c->path, field);
	if (n > 0 && (size_t)n < c->len) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->len - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *__attribute__((format(printf, 3, 4)))
field_name(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

/* A value the file must give: "missing, " when it does not. */
static const char *missing(const json_t *v)
{
	return v ? "" : "missing, ";
}

/* A string of 1 to size - 1 bytes, copied out. */
static int string_in(const json_t *v, char *out, size_t size)
{
	if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) >= size)
		return -EINVAL;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static bool int_in(const json_t *v, json_int_t lo, json_int_t hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

static bool chars_in(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

/* "0x" and exactly @digits hex digits, as MIDR fields are written. */
static int hex_in(const json_t *v, size_t digits, uint32_t *out)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s || strlen(s) != 2 + digits || strncmp(s, "0x", 2))
		return -EINVAL;
	for (i = 2; s[i]; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
	*out = (uint32_t)strtoul(s + 2, NULL, 16);
	return 0;
}

/* An optional integer member of @obj; *out is left alone when absent. */
static int opt_int(const struct ctx *c, const json_t *obj, const char *prefix,
		   const char *key, json_int_t lo, json_int_t hi, const char *unit,
		   json_int_t *out)
{
	const json_t *v = json_object_get(obj, key);
	char field[64];

	if (!v)
		return 0;
	if (!int_in(v, lo, hi))
		return fail(c, field_name(field, sizeof(field), "%s.%s", prefix, key),
			    "want an integer from %" JSON_INTEGER_FORMAT " to %"
			    JSON_INTEGER_FORMAT "%s", lo, hi, unit);
	*out = json_integer_value(v);
	return 0;
}

static int opt_bool(const struct ctx *c, const json_t *obj, const char *prefix,
		    const char *key, bool *out)
{
	const json_t *v = json_object_get(obj, key);
	char field[64];

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(c, field_name(field, sizeof(field), "%s.%s", prefix, key),
			    "true or false");
	*out = json_is_true(v);
	return 0;
}

/* "schema" and "schema_version": a board file of a major version we read. */
static int parse_identity(const struct ctx *c, const json_t *doc)
{
	const json_t *v = json_object_get(doc, "schema");
	const char *s;
	int major, minor, end = 0;

	if (!json_is_string(v))
		return fail(c, "schema", "%swant \"%s\"", missing(v), BOARD_SCHEMA);
	if (strcmp(json_string_value(v), BOARD_SCHEMA))
		return fail(c, "schema", "'%s' is not '%s'", json_string_value(v), BOARD_SCHEMA);
	v = json_object_get(doc, "schema_version");
	s = json_string_value(v);
	if (!s || sscanf(s, "%d.%d%n", &major, &minor, &end) != 2 || s[end] ||
	    !isdigit((unsigned char)s[0]) || !chars_in(s, "0123456789."))
		return fail(c, "schema_version", "%swant \"MAJOR.MINOR\", like \"%d.0\"",
			    missing(v), BOARD_VERSION_MAJOR);
	if (major != BOARD_VERSION_MAJOR)
		return fail(c, "schema_version", "'%s': this steplab reads major version %d",
			    s, BOARD_VERSION_MAJOR);
	return 0;
}

/* name, soc, compatible: what the board is called and is. */
static int parse_names(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v, *e;
	char field[32];
	size_t i;

	if (string_in(json_object_get(doc, "name"), b->name, sizeof(b->name)))
		return fail(c, "name", "required, a string of 1 to %zu characters",
			    sizeof(b->name) - 1);
	v = json_object_get(doc, "soc");
	if (v && string_in(v, b->soc, sizeof(b->soc)))
		return fail(c, "soc", "a string of 1 to %zu characters", sizeof(b->soc) - 1);
	v = json_object_get(doc, "qemu_cpu");
	if (v && string_in(v, b->qemu_cpu, sizeof(b->qemu_cpu)))
		return fail(c, "qemu_cpu", "a string of 1 to %zu characters",
			    sizeof(b->qemu_cpu) - 1);
	v = json_object_get(doc, "compatible");
	if (!v)
		return 0;
	if (!json_is_array(v) || !json_array_size(v) ||
	    json_array_size(v) > BOARD_MAX_COMPATIBLE)
		return fail(c, "compatible", "an array of 1 to %d device-tree compatible strings "
			    "(leave it out on ACPI machines)", BOARD_MAX_COMPATIBLE);
	json_array_foreach(v, i, e)
		if (string_in(e, b->compatible[i], sizeof(b->compatible[i])))
			return fail(c, field_name(field, sizeof(field), "compatible[%zu]", i),
				    "a string of 1 to %zu characters",
				    sizeof(b->compatible[i]) - 1);
	b->ncompatible = json_array_size(v);
	return 0;
}

static int parse_mode(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v = json_object_get(doc, "emulated");
	int i;

	if (!json_is_boolean(v))
		return fail(c, "emulated", "required, true or false");
	b->emulated = json_is_true(v);
	v = json_object_get(doc, "kvm_mode");
	if (!v)
		return 0;
	i = name_index(kvm_modes, 3, v);
	if (i < 0)
		return fail(c, "kvm_mode", "must be one of vhe, nvhe, protected");
	snprintf(b->kvm_mode, sizeof(b->kvm_mode), "%s", kvm_modes[i]);
	return 0;
}

/* A kind is named once and its MIDR (implementer, part) is used once. */
static int core_unique(const struct ctx *c, const struct board *b, unsigned int i)
{
	const struct board_core *k = &b->cores[i];
	char field[48];
	unsigned int j;

	for (j = 0; j < i; j++) {
		if (!strcmp(b->cores[j].kind, k->kind))
			return fail(c, field_name(field, sizeof(field), "cores[%u].kind", i),
				    "'%s' given twice (also cores[%u])", k->kind, j);
		if (b->cores[j].implementer == k->implementer && b->cores[j].part == k->part)
			return fail(c, field_name(field, sizeof(field), "cores[%u].part", i),
				    "implementer 0x%02x part 0x%03x is already cores[%u] (%s): "
				    "one entry per kind", k->implementer, k->part, j,
				    b->cores[j].kind);
	}
	return 0;
}

#define KIND_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789-_"
#define PMU_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" KIND_CHARS "."

static int parse_core(const struct ctx *c, const json_t *e, unsigned int i, struct board *b)
{
	struct board_core *k = &b->cores[i];
	const json_t *v;
	char f[48];

	if (!json_is_object(e))
		return fail(c, field_name(f, sizeof(f), "cores[%u]", i),
			    "an object with kind, implementer, part, count and pmu");
	v = json_object_get(e, "kind");
	if (string_in(v, k->kind, sizeof(k->kind)) || !chars_in(k->kind, KIND_CHARS) ||
	    !isalnum((unsigned char)k->kind[0]))
		return fail(c, field_name(f, sizeof(f), "cores[%u].kind", i),
			    "%swant a name like \"cortex-a76\" (a-z, 0-9, '-', '_', at most %zu "
			    "characters)", missing(v), sizeof(k->kind) - 1);
	v = json_object_get(e, "implementer");
	if (hex_in(v, 2, &k->implementer))
		return fail(c, field_name(f, sizeof(f), "cores[%u].implementer", i),
			    "%swant a hex string like \"0x41\" (MIDR_EL1 bits 31:24)", missing(v));
	v = json_object_get(e, "part");
	if (hex_in(v, 3, &k->part))
		return fail(c, field_name(f, sizeof(f), "cores[%u].part", i),
			    "%swant a hex string like \"0xd0b\" (MIDR_EL1 bits 15:4)", missing(v));
	v = json_object_get(e, "count");
	if (!int_in(v, 1, 4096))
		return fail(c, field_name(f, sizeof(f), "cores[%u].count", i),
			    "%swant an integer from 1 to 4096", missing(v));
	k->count = (uint32_t)json_integer_value(v);
	v = json_object_get(e, "pmu");
	if (string_in(v, k->pmu, sizeof(k->pmu)) || !chars_in(k->pmu, PMU_CHARS))
		return fail(c, field_name(f, sizeof(f), "cores[%u].pmu", i),
			    "%swant the perf PMU name as /sys/bus/event_source/devices/ lists it, "
			    "like \"armv8_cortex_a76\"", missing(v));
	return core_unique(c, b, i);
}

static int parse_cores(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v = json_object_get(doc, "cores"), *e;
	size_t i;
	int ret;

	if (!json_is_array(v))
		return fail(c, "cores", "required, an array of core kinds "
			    "({kind, implementer, part, count, pmu})");
	if (!json_array_size(v))
		return fail(c, "cores", "no core kinds: the board has no cores");
	if (json_array_size(v) > BOARD_MAX_CORE_KINDS)
		return fail(c, "cores", "at most %d core kinds", BOARD_MAX_CORE_KINDS);
	json_array_foreach(v, i, e) {
		ret = parse_core(c, e, (unsigned int)i, b);
		if (ret)
			return ret;
		b->ncores++;
	}
	return 0;
}

/* A line name, or an offset on the chip. */
static int line_name_or_offset(const json_t *v, struct board_gpio *g)
{
	if (json_is_string(v))
		return string_in(v, g->line, sizeof(g->line));
	if (!int_in(v, 0, 65535))
		return -EINVAL;
	g->offset = (int)json_integer_value(v);
	return 0;
}

static int parse_gpio_line(const struct ctx *c, const json_t *e, unsigned int i,
			   unsigned int seen[], struct board *b)
{
	struct board_gpio *g;
	const json_t *v;
	json_int_t settle = 0;
	char f[48], at[16];
	int r, ret;

	snprintf(at, sizeof(at), "gpio[%u]", i);
	if (!json_is_object(e))
		return fail(c, at, "an object with role, chip and line");
	v = json_object_get(e, "role");
	r = name_index(gpio_roles, BOARD_GPIO_ROLE_MAX, v);
	if (r < 0)
		return fail(c, field_name(f, sizeof(f), "%s.role", at),
			    "%swant one of marker, power, reset", missing(v));
	g = &b->gpio[r];
	if (g->present)
		return fail(c, field_name(f, sizeof(f), "%s.role", at),
			    "'%s' given twice (also gpio[%u])", gpio_roles[r], seen[r]);
	seen[r] = i;
	v = json_object_get(e, "chip");
	if (string_in(v, g->chip, sizeof(g->chip)))
		return fail(c, field_name(f, sizeof(f), "%s.chip", at),
			    "%swant the chip's label as gpiodetect prints it, 1 to %zu characters",
			    missing(v), sizeof(g->chip) - 1);
	v = json_object_get(e, "line");
	if (line_name_or_offset(v, g))
		return fail(c, field_name(f, sizeof(f), "%s.line", at),
			    "%swant a line name (1 to %zu characters) or an offset (an integer "
			    "from 0 to 65535)", missing(v), sizeof(g->line) - 1);
	g->present = true;
	ret = opt_bool(c, e, at, "active_low", &g->active_low);
	if (!ret)
		ret = opt_int(c, e, at, "settle_ms", 0, 60000, " (milliseconds)", &settle);
	g->settle_ms = (uint32_t)settle;
	return ret;
}

static int parse_gpio(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v = json_object_get(doc, "gpio"), *e;
	unsigned int seen[BOARD_GPIO_ROLE_MAX] = { 0 };
	size_t i;
	int ret;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(c, "gpio", "an array of lines ({role, chip, line, active_low, settle_ms})");
	json_array_foreach(v, i, e) {
		ret = parse_gpio_line(c, e, (unsigned int)i, seen, b);
		if (ret)
			return ret;
		b->ngpio++;
	}
	return 0;
}

/*
 * An exact count, a range ({"max": B} or {"min": A, "max": B}), or a count
 * per guest entry ({"per_entry": N}: the step's entries plus N).
 */
static int guest_range(const json_t *v, struct class_expect *x)
{
	const json_t *lo = json_object_get(v, "min"), *hi = json_object_get(v, "max");
	const json_t *pe = json_object_get(v, "per_entry");

	x->per_entry = false;
	if (int_in(v, 0, 16)) {
		x->guest_lo = x->guest_hi = (int32_t)json_integer_value(v);
		return 0;
	}
	if (pe) {
		if (!int_in(pe, -2, 2) || json_object_size(v) != 1)
			return -EINVAL;
		x->guest_lo = x->guest_hi = (int32_t)json_integer_value(pe);
		x->per_entry = true;
		return 0;
	}
	if (!json_is_object(v) || !int_in(hi, 0, 16) || (lo && !int_in(lo, 0, 16)) ||
	    json_object_size(v) != 1u + !!lo)
		return -EINVAL;
	x->guest_lo = lo ? (int32_t)json_integer_value(lo) : 0;
	x->guest_hi = (int32_t)json_integer_value(hi);
	return x->guest_lo <= x->guest_hi ? 0 : -EINVAL;
}

static int parse_class(const struct ctx *c, const char *key, const json_t *cls,
		       struct board *b)
{
	const json_t *gi, *q;
	char field[96];
	int k = class_from_name(key);

	snprintf(field, sizeof(field), "expect.%s", key);
	if (k < 0)
		return fail(c, field, "no such instruction class");
	if (!json_is_object(cls))
		return fail(c, field, "an object");
	gi = json_object_get(cls, "guest_instructions");
	if (gi && guest_range(gi, &b->expect[k]))
		return fail(c, field, "guest_instructions must be an integer from 0 to 16, or "
			    "{\"min\": A, \"max\": B} with 0 <= A <= B <= 16, "
			    "or {\"per_entry\": N} with -2 <= N <= 2");
	b->expect[k].board = gi != NULL;
	q = json_object_get(cls, "quirk");
	if (q && !json_is_string(q))
		return fail(c, field, "quirk must be a string");
	if (gi && !q)
		return fail(c, field, "an expectation other than the default needs a quirk saying why");
	if (q) {
		snprintf(b->quirk[k], sizeof(b->quirk[k]), "%s", json_string_value(q));
		b->expect[k].quirk = b->quirk[k];
	}
	return 0;
}

static int parse_expect(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v = json_object_get(doc, "expect");
	const char *key;
	json_t *cls;
	int ret;

	if (v && !json_is_object(v))
		return fail(c, "expect", "an object keyed by instruction class");
	json_object_foreach((json_t *)v, key, cls) {
		ret = parse_class(c, key, cls, b);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_checklist(const struct ctx *c, const json_t *doc, struct board *b)
{
	const json_t *v = json_object_get(doc, "checklist");
	struct board_checklist *t = &b->checklist;
	json_int_t steps = t->conformance_steps, hz = t->min_counter_hz;
	json_int_t paranoid = t->max_perf_event_paranoid;
	int ret;

	if (!v)
		return 0;
	if (!json_is_object(v))
		return fail(c, "checklist", "an object of thresholds");
	ret = opt_int(c, v, "checklist", "conformance_steps", 1, 1000000000, "", &steps);
	if (!ret)
		ret = opt_int(c, v, "checklist", "min_counter_hz", 1, 10000000000LL, " (Hz)", &hz);
	if (!ret)
		ret = opt_int(c, v, "checklist", "max_perf_event_paranoid", -1, 4, "", &paranoid);
	if (!ret)
		ret = opt_bool(c, v, "checklist", "require_perf_user_access",
			       &t->require_perf_user_access);
	if (!ret)
		ret = opt_bool(c, v, "checklist", "require_kvm_tracepoints",
			       &t->require_kvm_tracepoints);
	t->conformance_steps = (uint64_t)steps;
	t->min_counter_hz = (uint64_t)hz;
	t->max_perf_event_paranoid = (int)paranoid;
	return ret;
}

/*
 * "/cores/1/part" becomes "cores[1].part", walking @doc to tell arrays from
 * objects.  The schema only descends into keys it names, none of which
 * needs a JSON pointer escape.
 */
static void pointer_to_field(const json_t *doc, char *ptr, char *out, size_t len)
{
	char *tok, *save = NULL;
	size_t n = 0;

	snprintf(out, len, "(top)");
	for (tok = strtok_r(ptr, "/", &save); tok && n < len; tok = strtok_r(NULL, "/", &save)) {
		if (json_is_array(doc)) {
			n += snprintf(out + n, len - n, "[%s]", tok);
			doc = json_array_get(doc, strtoul(tok, NULL, 10));
		} else {
			n += snprintf(out + n, len - n, "%s%s", n ? "." : "", tok);
			doc = json_object_get(doc, tok);
		}
	}
}

static int check_schema(const struct ctx *c, const json_t *doc)
{
	char msg[384], field[128], *sep;
	json_error_t je;
	json_t *sch;
	int ret;

	sch = json_loads(board_schema_json, 0, &je);
	if (!sch) {
		fail(c, "(schema)", "the built-in schema does not load: %s", je.text);
		return -ENOTSUP;
	}
	ret = jschema_validate(sch, doc, msg, sizeof(msg));
	json_decref(sch);
	if (!ret)
		return 0;
	if (ret != -EINVAL && ret != -ELOOP) {
		fail(c, "(schema)", "the built-in schema: %s", msg);
		return ret;
	}
	sep = strstr(msg, ": ");
	if (!sep)
		return fail(c, "(top)", "%s", msg);
	*sep = '\0';
	pointer_to_field(doc, msg, field, sizeof(field));
	return fail(c, field, "%s", sep + 2);
}

static int parse_doc(const struct ctx *c, const json_t *doc, struct board *b)
{
	int (*const steps[])(const struct ctx *, const json_t *, struct board *) = {
		parse_names, parse_mode, parse_cores, parse_gpio, parse_expect, parse_checklist,
	};
	unsigned int i;
	int ret;

	if (!json_is_object(doc))
		return fail(c, "(top)", "a board file is a JSON object");
	ret = parse_identity(c, doc);
	for (i = 0; !ret && i < sizeof(steps) / sizeof(steps[0]); i++)
		ret = steps[i](c, doc, b);
	return ret ? ret : check_schema(c, doc);
}

int board_parse(const char *path, const json_t *doc, struct board *b, char *err, size_t len)
{
	const struct ctx c = { .path = path, .err = err, .len = len };

	return parse_doc(&c, doc, b);
}
