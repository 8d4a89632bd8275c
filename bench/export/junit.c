// SPDX-License-Identifier: GPL-2.0
/*
 * JUnit XML, the Jenkins/Ant dialect: <testsuites> holding one <testsuite>
 * per report, one <testcase> per check.  A failing check carries
 * <failure>, an unknown one <error>, a skipped one <skipped>; measurements
 * pass and say their numbers in <system-out>.  Reports hold no time per
 * check, so every time is 0.  tests/data/formats/junit.xsd is the shape.
 */
#include <errno.h>
#include <string.h>

#include "export/priv.h"

/*
 * Escapes for text and attributes alike; control characters XML 1.0 cannot
 * carry become '?', the others it can are written as references so that
 * attribute values keep them.
 */
static void xml_put(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = *s;

		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': case '\r': fprintf(f, "&#%u;", ch); break;
		default:
			fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
		}
	}
}

static void attr_put(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	xml_put(f, value);
	fputc('"', f);
}

struct junit_count {
	size_t tests, failures, errors, skipped;
};

static void run_count(const struct export_run *r, struct junit_count *n)
{
	size_t k;

	for (k = 0; k < r->n; k++) {
		n->tests++;
		n->failures += r->checks[k].result == EXPORT_FAIL;
		n->errors += r->checks[k].result == EXPORT_UNKNOWN;
		n->skipped += r->checks[k].result == EXPORT_SKIP;
	}
}

static void counts_put(FILE *f, const struct junit_count *n)
{
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\"",
		n->tests, n->failures, n->errors, n->skipped);
}

static void properties_put(FILE *f, const struct export_run *r)
{
	static const char *const keys[] = {
		"board", "measured_on", "kernel_release", "kernel_version", "kvm_mode",
		"midr", "compatible", "steplab_version", "steplab_git",
	};
	size_t i;

	fputs("    <properties>\n", f);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_is_string(json_object_get(r->ctx, keys[i])))
			continue;
		fputs("      <property", f);
		attr_put(f, "name", keys[i]);
		attr_put(f, "value", export_ctx_str(r, keys[i]));
		fputs("/>\n", f);
	}
	fputs("    </properties>\n", f);
}

static void testcase_put(FILE *f, const struct export_run *r, const struct export_check *c)
{
	char cls[256], what[96];

	export_prefix(cls, sizeof(cls), r, c);
	export_what(what, sizeof(what), c);
	fputs("    <testcase", f);
	attr_put(f, "classname", cls);
	attr_put(f, "name", what);
	fputs(" time=\"0\"", f);
	switch (c->result) {
	case EXPORT_FAIL:
	case EXPORT_UNKNOWN:
		fprintf(f, ">\n      <%s", c->result == EXPORT_FAIL ? "failure" : "error");
		attr_put(f, "message", c->message);
		attr_put(f, "type", c->result == EXPORT_FAIL ? "fail" : "unknown");
		fputc('>', f);
		xml_put(f, c->message);
		fprintf(f, "</%s>\n    </testcase>\n",
			c->result == EXPORT_FAIL ? "failure" : "error");
		break;
	case EXPORT_SKIP:
		fputs(">\n      <skipped", f);
		attr_put(f, "message", c->message);
		fputs("/>\n    </testcase>\n", f);
		break;
	default:
		fputs(">\n      <system-out>", f);
		xml_put(f, c->message);
		fputs("</system-out>\n    </testcase>\n", f);
	}
}

int export_junit(const struct export_set *s, FILE *f)
{
	struct junit_count all = { 0 }, one;
	char name[192];
	size_t i, k;

	for (i = 0; i < s->n; i++)
		run_count(&s->runs[i], &all);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"steplab\"", f);
	counts_put(f, &all);
	fputs(">\n", f);
	for (i = 0; i < s->n; i++) {
		const struct export_run *r = &s->runs[i];

		memset(&one, 0, sizeof(one));
		run_count(r, &one);
		snprintf(name, sizeof(name), "steplab.%s", r->name);
		fputs("  <testsuite", f);
		attr_put(f, "name", name);
		counts_put(f, &one);
		if (r->date[0])
			attr_put(f, "timestamp", r->date);
		if (json_is_string(json_object_get(r->ctx, "hostname")))
			attr_put(f, "hostname", export_ctx_str(r, "hostname"));
		fputs(">\n", f);
		properties_put(f, r);
		for (k = 0; k < r->n; k++)
			testcase_put(f, r, &r->checks[k]);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	return ferror(f) ? -EIO : 0;
}
