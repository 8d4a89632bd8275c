// SPDX-License-Identifier: GPL-2.0
/*
 * What every exporter writes the same way: safe names, check names, and
 * numbers as text or JSON.  The formats (export.c's LAVA lines, json.c,
 * junit.c) build on these and never on each other.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/priv.h"

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

void export_what(char *buf, size_t len, const struct export_check *c)
{
	export_name_sanitize(buf, len, c->what, false);
	if (c->unit && strlen(buf) + 7 < len)
		strcat(buf, ".median");
}
