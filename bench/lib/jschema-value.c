// SPDX-License-Identifier: GPL-2.0
/* JSON values as the schema validator types, compares and quotes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jschema-value.h"

void jval_num_fmt(const json_t *v, char *buf, size_t n)
{
	if (json_is_integer(v)) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	}
	snprintf(buf, n, "%.15g", json_real_value(v));
	if (strtod(buf, NULL) != json_real_value(v))
		snprintf(buf, n, "%.17g", json_real_value(v));
}

void jval_fmt(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		snprintf(buf, n, "\"%s\"", json_string_value(v));
	else if (json_is_number(v))
		jval_num_fmt(v, buf, n);
	else
		snprintf(buf, n, "%s", json_is_object(v) ? "{...}" :
			 json_is_array(v) ? "[...]" : json_is_null(v) ? "null" :
			 json_is_true(v) ? "true" : "false");
}

const char *jval_type(const json_t *v)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "object", [JSON_ARRAY] = "array",
		[JSON_STRING] = "string", [JSON_INTEGER] = "integer",
		[JSON_REAL] = "number", [JSON_TRUE] = "boolean",
		[JSON_FALSE] = "boolean", [JSON_NULL] = "null",
	};

	return names[json_typeof(v)];
}

bool jval_type_matches(const json_t *t, const json_t *v)
{
	const char *name = json_string_value(t);

	if (!strcmp(name, "number"))
		return json_is_number(v);
	return !strcmp(name, jval_type(v));
}

int jval_num_cmp(const json_t *a, const json_t *b)
{
	double x = json_number_value(a), y = json_number_value(b);
	json_int_t i = json_integer_value(a), j = json_integer_value(b);

	/* integers compare exactly; doubles would round above 2^53 */
	if (json_is_integer(a) && json_is_integer(b))
		return (i > j) - (i < j);
	return (x > y) - (x < y);
}

bool jval_equal(const json_t *a, const json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return !jval_num_cmp(a, b);
	return json_equal(a, b);
}
