// SPDX-License-Identifier: GPL-2.0
/* Board file parsing.  Unknown keys are ignored, known ones are checked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "board.h"

void board_defaults(struct board *b)
{
	unsigned int c;

	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "unknown");
	for (c = 0; c < CLASS_MAX; c++)
		class_expect_default(c, &b->expect[c]);
}

#define FAIL(field, ...) do {						\
	int __n = snprintf(err, len, "%s:%s: ", path, field);		\
	snprintf(err + (__n > 0 && (size_t)__n < len ? __n : 0),	\
		 __n > 0 && (size_t)__n < len ? len - __n : len, __VA_ARGS__);	\
	ret = -EINVAL;							\
	goto out;							\
} while (0)

static bool in_range(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 16;
}

/* An exact count, or a range: {"max": B} or {"min": A, "max": B}. */
static int guest_range(const json_t *v, struct class_expect *x)
{
	const json_t *lo = json_object_get(v, "min"), *hi = json_object_get(v, "max");

	if (in_range(v)) {
		x->guest_lo = x->guest_hi = (uint32_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_object(v) || !in_range(hi) || (lo && !in_range(lo)) ||
	    json_object_size(v) != 1u + !!lo)
		return -EINVAL;
	x->guest_lo = lo ? (uint32_t)json_integer_value(lo) : 0;
	x->guest_hi = (uint32_t)json_integer_value(hi);
	return x->guest_lo <= x->guest_hi ? 0 : -EINVAL;
}

static const char *const kvm_modes[] = { "vhe", "nvhe", "protected", NULL };

int board_load(const char *path, struct board *b, char *err, size_t len)
{
	json_t *doc, *v, *cls;
	json_error_t je;
	const char *key;
	char field[96];
	int ret = 0, c;
	unsigned int i;

	board_defaults(b);
	snprintf(b->path, sizeof(b->path), "%s", path);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		snprintf(err, len, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return je.line < 1 ? -ENOENT : -EINVAL;
	}
	if (!json_is_object(doc))
		FAIL("(top)", "a board file is a JSON object");
	v = json_object_get(doc, "name");
	if (!json_is_string(v) || !json_string_length(v) ||
	    json_string_length(v) >= sizeof(b->name))
		FAIL("name", "required, a string of 1 to %zu characters", sizeof(b->name) - 1);
	snprintf(b->name, sizeof(b->name), "%s", json_string_value(v));
	v = json_object_get(doc, "emulated");
	if (!json_is_boolean(v))
		FAIL("emulated", "required, true or false");
	b->emulated = json_is_true(v);
	v = json_object_get(doc, "kvm_mode");
	if (v) {
		for (i = 0; kvm_modes[i]; i++)
			if (json_is_string(v) && !strcmp(json_string_value(v), kvm_modes[i]))
				break;
		if (!kvm_modes[i])
			FAIL("kvm_mode", "must be one of vhe, nvhe, protected");
		snprintf(b->kvm_mode, sizeof(b->kvm_mode), "%s", kvm_modes[i]);
	}
	v = json_object_get(doc, "expect");
	if (v && !json_is_object(v))
		FAIL("expect", "an object keyed by instruction class");
	json_object_foreach(v, key, cls) {
		json_t *gi, *q;

		c = class_from_name(key);
		snprintf(field, sizeof(field), "expect.%s", key);
		if (c < 0)
			FAIL(field, "no such instruction class");
		if (!json_is_object(cls))
			FAIL(field, "an object");
		gi = json_object_get(cls, "guest_instructions");
		if (gi && guest_range(gi, &b->expect[c]))
			FAIL(field, "guest_instructions must be an integer from 0 to 16, "
			     "or {\"min\": A, \"max\": B} with 0 <= A <= B <= 16");
		b->expect[c].board = gi != NULL;
		q = json_object_get(cls, "quirk");
		if (q && !json_is_string(q))
			FAIL(field, "quirk must be a string");
		if (gi && !q)
			FAIL(field, "an expectation other than the default needs a quirk saying why");
		if (q) {
			snprintf(b->quirk[c], sizeof(b->quirk[c]), "%s", json_string_value(q));
			b->expect[c].quirk = b->quirk[c];
		}
	}
out:
	json_decref(doc);
	return ret;
}
