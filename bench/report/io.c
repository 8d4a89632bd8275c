// SPDX-License-Identifier: GPL-2.0
/* Reports as files: written all or nothing, loaded, validated against the schema. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/file.h"
#include "lib/jschema.h"
#include "lib/msg.h"
#include "report/report.h"

extern const char report_schema_json[];

const char *report_schema_text(void)
{
	return report_schema_json;
}

int report_write(const char *path, const json_t *doc, char *err, size_t len)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	size_t n;
	int ret;

	if (!text) {
		snprintf(err, len, "%s: out of memory", path);
		return -ENOMEM;
	}
	/* one more line feed: a text file ends with one */
	n = strlen(text);
	text[n] = '\n';
	ret = file_write_atomic(path, text, n + 1, err, len);
	free(text);
	return ret;
}

static int load_error(const char *name, const json_error_t *je, char *err, size_t len)
{
	if (je->line < 1)
		snprintf(err, len, "%s: %s", name, je->text);
	else
		snprintf(err, len, "%s:%d:%d: %s", name, je->line, je->column, je->text);
	msg_one_line(err, len);
	return -EINVAL;
}

int report_load(const char *path, json_t **doc, char *err, size_t len)
{
	json_error_t je;

	*doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	return *doc ? 0 : load_error(path, &je, err, len);
}

int report_load_buffer(const char *name, const char *buf, size_t buflen,
		       json_t **doc, char *err, size_t len)
{
	json_error_t je;

	*doc = json_loadb(buf, buflen, JSON_REJECT_DUPLICATES, &je);
	return *doc ? 0 : load_error(name, &je, err, len);
}

int report_load_valid(const char *path, json_t **doc, char *err, size_t len)
{
	int ret = report_load(path, doc, err, len);
	char why[512];

	if (ret)
		return ret;
	ret = report_validate(*doc, why, sizeof(why));
	if (ret) {
		snprintf(err, len, "%s:%s", path, why);
		json_decref(*doc);
		*doc = NULL;
	}
	return ret;
}

int report_open(const char *path, json_t **doc)
{
	char err[512];
	int ret = report_load_valid(path, doc, err, sizeof(err));

	if (ret)
		fprintf(stderr, "%s\n", err);
	return ret;
}

int report_validate(const json_t *doc, char *err, size_t len)
{
	const char *schema, *ver;
	json_t *sch;
	json_error_t je;
	int major, ret;

	if (json_unpack((json_t *)doc, "{s:s, s:s}", "schema", &schema,
			"schema_version", &ver)) {
		snprintf(err, len, "schema, schema_version: missing; not a steplab report");
		return -EINVAL;
	}
	if (strcmp(schema, REPORT_SCHEMA)) {
		snprintf(err, len, "schema: '%s' is not '%s'", schema, REPORT_SCHEMA);
		msg_one_line(err, len);
		return -EINVAL;
	}
	if (sscanf(ver, "%d.", &major) != 1 || major != REPORT_VERSION_MAJOR) {
		snprintf(err, len, "schema_version: '%s': this steplab reads major version %d",
			 ver, REPORT_VERSION_MAJOR);
		msg_one_line(err, len);
		return -EINVAL;
	}
	sch = json_loads(report_schema_json, 0, &je);
	if (!sch) {
		snprintf(err, len, "built-in schema: %s", je.text);
		return -EINVAL;
	}
	ret = jschema_validate(sch, doc, err, len);
	json_decref(sch);
	return ret;
}
