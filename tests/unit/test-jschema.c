// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/lib/jschema.c: each supported keyword accepts a
 * conforming instance and rejects one that is not, error lines are checked
 * word for word where their wording matters, and the schema-side failures
 * (unsupported keyword, bad $ref, too deep) return their own codes.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "lib/jschema.h"
#include "tap.h"

struct row {
	const char *name;
	const char *schema;
	const char *doc;
	int ret;
	const char *err;	/* exact error line, or NULL to skip the check */
};

#define REPORT_SCHEMA							\
	"{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","	\
	" \"$id\": \"report\", \"title\": \"r\", \"description\": \"d\","	\
	" \"type\": \"object\", \"required\": [\"context\", \"classes\"],"	\
	" \"properties\": {"						\
	"  \"context\": {\"type\": \"object\", \"required\": [\"board\"],"	\
	"   \"properties\": {\"board\": {\"type\": \"string\"}}},"		\
	"  \"classes\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/class\"}}},"	\
	" \"$defs\": {\"class\": {\"type\": \"object\", \"required\": [\"name\", \"steps\"],"	\
	"  \"additionalProperties\": false, \"properties\": {"		\
	"   \"name\": {\"type\": \"string\", \"minLength\": 1},"		\
	"   \"steps\": {\"type\": \"integer\", \"minimum\": 0},"		\
	"   \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}}}"

#define CLASS_OK	"{\"name\": \"ldr\", \"steps\": 4}"

static const struct row rows[] = {
	/* type */
	{ "type string accepts a string", "{\"type\": \"string\"}", "\"x\"", 0, NULL },
	{ "type string rejects a number", "{\"type\": \"string\"}", "3", -EINVAL,
	  ": expected string, got integer" },
	{ "type integer accepts 3", "{\"type\": \"integer\"}", "3", 0, NULL },
	{ "type integer rejects the real 3.0", "{\"type\": \"integer\"}", "3.0", -EINVAL,
	  ": expected integer, got number" },
	{ "type number accepts 3", "{\"type\": \"number\"}", "3", 0, NULL },
	{ "type number accepts 2.5", "{\"type\": \"number\"}", "2.5", 0, NULL },
	{ "type number rejects a string", "{\"type\": \"number\"}", "\"2\"", -EINVAL, NULL },
	{ "type boolean accepts false", "{\"type\": \"boolean\"}", "false", 0, NULL },
	{ "type null rejects 0", "{\"type\": \"null\"}", "0", -EINVAL, ": expected null, got integer" },
	{ "type array accepts integer or null", "{\"type\": [\"integer\", \"null\"]}", "null", 0, NULL },
	{ "type array names every choice", "{\"type\": [\"integer\", \"null\"]}", "\"a\"", -EINVAL,
	  ": expected integer or null, got string" },
	/* object keywords */
	{ "required accepts a present key", "{\"required\": [\"a\"]}", "{\"a\": 1}", 0, NULL },
	{ "required rejects a missing key", "{\"required\": [\"a\", \"b\"]}", "{\"a\": 1}", -EINVAL,
	  ": missing required property \"b\"" },
	{ "required ignores non-objects", "{\"required\": [\"a\"]}", "[]", 0, NULL },
	{ "properties accepts matching values", "{\"properties\": {\"a\": {\"type\": \"string\"}}}",
	  "{\"a\": \"x\", \"b\": 2}", 0, NULL },
	{ "properties rejects a mismatching value", "{\"properties\": {\"a\": {\"type\": \"string\"}}}",
	  "{\"a\": 1}", -EINVAL, "/a: expected string, got integer" },
	{ "extra keys accepted without additionalProperties",
	  "{\"type\": \"object\", \"properties\": {\"a\": {}}}",
	  "{\"a\": 1, \"zz\": [1, 2], \"yy\": {\"q\": null}}", 0, NULL },
	{ "additionalProperties false accepts listed keys",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}", "{\"a\": 1}", 0, NULL },
	{ "additionalProperties false rejects other keys",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}", "{\"a\": 1, \"b\": 2}",
	  -EINVAL, ": unexpected property \"b\"" },
	{ "additionalProperties schema accepts",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": \"integer\"}}",
	  "{\"a\": \"s\", \"b\": 2}", 0, NULL },
	{ "additionalProperties schema rejects",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": \"integer\"}}",
	  "{\"a\": 1, \"b\": \"s\"}", -EINVAL, "/b: expected integer, got string" },
	{ "pointer escapes ~ and / in keys", "{\"additionalProperties\": {\"type\": \"string\"}}",
	  "{\"a/b~c\": 1}", -EINVAL, "/a~1b~0c: expected string, got integer" },
	{ "a control byte in a key stays on the line", "{\"additionalProperties\": {\"type\": \"string\"}}",
	  "{\"a\\nb\": 1}", -EINVAL, "/a?b: expected string, got integer" },
	/* array keywords */
	{ "items accepts matching elements", "{\"items\": {\"type\": \"integer\"}}", "[1, 2, 3]", 0, NULL },
	{ "items rejects a bad element with its index", "{\"items\": {\"type\": \"integer\"}}",
	  "[1, 2, 3.5]", -EINVAL, "/2: expected integer, got number" },
	{ "minItems accepts enough items", "{\"minItems\": 2}", "[1, 2]", 0, NULL },
	{ "minItems rejects too few", "{\"minItems\": 2}", "[1]", -EINVAL,
	  ": array has 1 items, fewer than minItems 2" },
	{ "maxItems accepts few enough", "{\"maxItems\": 1}", "[1]", 0, NULL },
	{ "maxItems rejects too many", "{\"maxItems\": 1}", "[1, 2]", -EINVAL, NULL },
	/* values */
	{ "enum accepts a member", "{\"enum\": [\"pass\", \"fail\", 1]}", "\"fail\"", 0, NULL },
	{ "enum compares numbers by value", "{\"enum\": [1]}", "1.0", 0, NULL },
	{ "enum rejects a non-member", "{\"enum\": [\"pass\", \"fail\"]}", "\"skip\"", -EINVAL,
	  ": expected one of \"pass\", \"fail\", got \"skip\"" },
	{ "a quoted newline stays on the line", "{\"enum\": [\"pass\"]}", "\"a\\nb\\u001b\"",
	  -EINVAL, ": expected one of \"pass\", got \"a?b?\"" },
	{ "const accepts equal value", "{\"const\": {\"v\": [1, 2]}}", "{\"v\": [1, 2]}", 0, NULL },
	{ "const rejects other value", "{\"const\": 2}", "3", -EINVAL, ": expected const 2, got 3" },
	{ "minimum accepts the bound itself", "{\"minimum\": 0}", "0", 0, NULL },
	{ "minimum rejects below", "{\"minimum\": 0}", "-1", -EINVAL, ": -1 is below minimum 0" },
	{ "maximum accepts below", "{\"maximum\": 1.5}", "1", 0, NULL },
	{ "maximum rejects above", "{\"maximum\": 1.5}", "1.75", -EINVAL, ": 1.75 is above maximum 1.5" },
	{ "exclusiveMinimum accepts above", "{\"exclusiveMinimum\": 0}", "0.5", 0, NULL },
	{ "exclusiveMinimum rejects the bound", "{\"exclusiveMinimum\": 0}", "0", -EINVAL,
	  ": 0 is not above exclusiveMinimum 0" },
	{ "numeric keywords ignore strings", "{\"minimum\": 5, \"maxLength\": 9}", "\"abc\"", 0, NULL },
	{ "minLength counts code points", "{\"minLength\": 2, \"maxLength\": 2}", "\"\\u00e9\\u00e9\"", 0, NULL },
	{ "minLength rejects short", "{\"minLength\": 2}", "\"a\"", -EINVAL,
	  ": string has 1 characters, fewer than minLength 2" },
	{ "maxLength rejects long", "{\"maxLength\": 2}", "\"abc\"", -EINVAL, NULL },
	{ "pattern accepts a match", "{\"pattern\": \"^[a-z]+-[0-9]+$\"}", "\"rk-3399\"", 0, NULL },
	{ "pattern is unanchored", "{\"pattern\": \"[0-9]\"}", "\"ab1c\"", 0, NULL },
	{ "pattern rejects a mismatch", "{\"pattern\": \"^[a-z]+$\"}", "\"Ab\"", -EINVAL,
	  ": string does not match pattern \"^[a-z]+$\"" },
	/* composition */
	{ "allOf accepts when all match", "{\"allOf\": [{\"type\": \"integer\"}, {\"minimum\": 1}]}", "2", 0, NULL },
	{ "allOf reports the failing branch", "{\"allOf\": [{\"type\": \"integer\"}, {\"minimum\": 1}]}",
	  "0", -EINVAL, ": 0 is below minimum 1" },
	{ "anyOf accepts one match", "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}", "4", 0, NULL },
	{ "anyOf rejects no match", "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
	  "null", -EINVAL, ": matches no anyOf branch (branch 0: : expected string, got null)" },
	{ "oneOf accepts exactly one", "{\"oneOf\": [{\"type\": \"string\"}, {\"minimum\": 3}]}", "5", 0, NULL },
	{ "oneOf rejects two matches", "{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 3}]}", "5",
	  -EINVAL, ": matches oneOf branches 0 and 1, expected exactly one" },
	{ "oneOf rejects no match", "{\"oneOf\": [{\"type\": \"string\"}]}", "5", -EINVAL, NULL },
	{ "boolean schema true accepts", "true", "{\"anything\": [1]}", 0, NULL },
	{ "boolean schema false rejects", "{\"items\": false}", "[1]", -EINVAL,
	  "/0: no value is allowed here" },
	/* $ref */
	{ "$ref to $defs accepts", "{\"$defs\": {\"n\": {\"type\": \"integer\"}}, \"$ref\": \"#/$defs/n\"}",
	  "7", 0, NULL },
	{ "$ref to $defs rejects", "{\"$defs\": {\"n\": {\"type\": \"integer\"}}, \"$ref\": \"#/$defs/n\"}",
	  "\"7\"", -EINVAL, ": expected integer, got string" },
	{ "$ref # recurses through the root",
	  "{\"type\": \"array\", \"items\": {\"anyOf\": [{\"type\": \"integer\"}, {\"$ref\": \"#\"}]}}",
	  "[1, [2, [3, []]]]", 0, NULL },
	/* a report-shaped document */
	{ "report accepted", REPORT_SCHEMA,
	  "{\"context\": {\"board\": \"rk3399\", \"kernel\": \"6.6\"}, \"classes\": [" CLASS_OK "]}", 0, NULL },
	{ "report: nested type error path", REPORT_SCHEMA,
	  "{\"context\": {\"board\": \"b\"}, \"classes\": [" CLASS_OK ", " CLASS_OK ", " CLASS_OK
	  ", {\"name\": \"str\", \"steps\": \"4\"}]}", -EINVAL,
	  "/classes/3/steps: expected integer, got string" },
	{ "report: nested missing property", REPORT_SCHEMA,
	  "{\"context\": {\"cpu\": \"a72\"}, \"classes\": []}", -EINVAL,
	  "/context: missing required property \"board\"" },
	{ "report: deeper items path", REPORT_SCHEMA,
	  "{\"context\": {\"board\": \"b\"}, \"classes\": [{\"name\": \"x\", \"steps\": 1, \"tags\": [\"a\", 2]}]}",
	  -EINVAL, "/classes/0/tags/1: expected string, got integer" },
	{ "report: closed class object", REPORT_SCHEMA,
	  "{\"context\": {\"board\": \"b\"}, \"classes\": [{\"name\": \"x\", \"steps\": 1, \"ns\": 2}]}",
	  -EINVAL, "/classes/0: unexpected property \"ns\"" },
	/* schemas outside the subset */
	{ "annotations are ignored",
	  "{\"$comment\": \"c\", \"default\": 1, \"examples\": [1], \"format\": \"email\", \"deprecated\": true}",
	  "\"not an email\"", 0, NULL },
	{ "unknown keyword is ENOTSUP", "{\"type\": \"object\", \"patternProperties\": {}}", "{}",
	  -ENOTSUP, "#: unsupported keyword \"patternProperties\"" },
	{ "unknown keyword in an unreached branch is ENOTSUP",
	  "{\"anyOf\": [true, {\"properties\": {\"a\": {\"multipleOf\": 2}}}]}", "1",
	  -ENOTSUP, "#/anyOf/1/properties/a: unsupported keyword \"multipleOf\"" },
	{ "unknown keyword in $defs is ENOTSUP", "{\"$defs\": {\"x\": {\"if\": true}}}", "1",
	  -ENOTSUP, "#/$defs/x: unsupported keyword \"if\"" },
	{ "items array form is ENOTSUP", "{\"items\": [{}]}", "[]", -ENOTSUP,
	  "#/items: a schema must be an object or a boolean" },
	{ "external $ref is ENOTSUP", "{\"$ref\": \"other.json#/x\"}", "1", -ENOTSUP, NULL },
	{ "dangling $ref is ENOTSUP", "{\"$ref\": \"#/$defs/none\"}", "1", -ENOTSUP, NULL },
	{ "bad type name is ENOTSUP", "{\"type\": \"int\"}", "1", -ENOTSUP, NULL },
	{ "negative minItems is ENOTSUP", "{\"minItems\": -1}", "[]", -ENOTSUP,
	  "#/minItems: must be a non-negative integer" },
	{ "invalid regex is ENOTSUP", "{\"pattern\": \"a(\"}", "\"a\"", -ENOTSUP, NULL },
	{ "$ref cycle inside anyOf keeps its error", "{\"anyOf\": [{\"$ref\": \"#\"}]}", "1",
	  -ELOOP, ": nesting deeper than 64 levels" },
	{ "$ref cycle is bounded", "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}",
	  "1", -ELOOP, NULL },
};

static int run(const char *schema_text, const char *doc_text, char *err, size_t errlen)
{
	json_t *schema, *doc;
	json_error_t jerr;
	int ret = -EBADMSG;

	schema = json_loads(schema_text, JSON_DECODE_ANY, &jerr);
	if (!schema)
		tap_diag("schema does not parse: %s", jerr.text);
	doc = json_loads(doc_text, JSON_DECODE_ANY, &jerr);
	if (!doc)
		tap_diag("document does not parse: %s", jerr.text);
	if (schema && doc)
		ret = jschema_validate(schema, doc, err, errlen);
	json_decref(schema);
	json_decref(doc);
	return ret;
}

static void test_rows(void)
{
	const struct row *r;
	char err[256];
	size_t i;
	bool ok;
	int ret;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = &rows[i];
		ret = run(r->schema, r->doc, err, sizeof(err));
		ok = ret == r->ret && (!r->err || !strcmp(err, r->err));
		tap_ok(ok, "%s", r->name);
		if (!ok)
			tap_diag("got %d \"%s\", want %d \"%s\"", ret, err, r->ret,
				 r->err ? r->err : "");
	}
}

/* A document nested far deeper than the bound, through a recursive $ref. */
static void test_deep_document(void)
{
	json_t *schema, *doc, *inner;
	char err[256];
	int i, ret;

	schema = json_loads("{\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}", 0, NULL);
	doc = json_array();
	for (i = 0; i < 1000; i++) {
		inner = json_array();
		json_array_append_new(inner, doc);
		doc = inner;
	}
	ret = jschema_validate(schema, doc, err, sizeof(err));
	tap_ok(ret == -ELOOP && strstr(err, "nesting deeper than"),
	       "1000-deep document stops at the depth bound (%d: %.60s)", ret, err);
	json_decref(doc);

	doc = json_loads("[[[[[[[[[[]]]]]]]]]]", 0, NULL);
	ret = jschema_validate(schema, doc, err, sizeof(err));
	tap_ok(ret == 0, "10-deep document within the bound is accepted");
	json_decref(doc);
	json_decref(schema);
}

static void test_deep_schema(void)
{
	json_t *schema, *outer, *doc = json_array();
	char err[256];
	int i, ret;

	schema = json_true();
	for (i = 0; i < 200; i++) {
		outer = json_object();
		json_object_set_new(outer, "items", schema);
		schema = outer;
	}
	ret = jschema_validate(schema, doc, err, sizeof(err));
	tap_ok(ret == -ELOOP && !strncmp(err, "#/items/items", 13),
	       "200-deep schema is refused (%d: %.40s)", ret, err);
	json_decref(schema);
	json_decref(doc);
}

static void test_buffers(void)
{
	const char *schema = "{\"required\": [\"a_rather_long_property_name\"]}";
	char err[16], big[64];
	json_t *s, *d;

	tap_ok(run(schema, "{}", err, sizeof(err)) == -EINVAL &&
	       strlen(err) == sizeof(err) - 1, "error is truncated to the buffer");
	tap_ok(run(schema, "{}", NULL, 0) == -EINVAL, "NULL error buffer is allowed");
	memset(big, 'x', sizeof(big));
	tap_ok(run(schema, "{\"a_rather_long_property_name\": 0}", big, sizeof(big)) == 0 &&
	       big[0] == '\0', "error buffer is cleared on success");

	s = json_object();
	d = json_object();
	tap_ok(jschema_validate(NULL, d, big, sizeof(big)) == -EINVAL,
	       "NULL schema is EINVAL");
	tap_ok(jschema_validate(s, NULL, big, sizeof(big)) == -EINVAL,
	       "NULL document is EINVAL");
	json_decref(s);
	json_decref(d);
}

/* The same schema object validates many documents; nothing is retained. */
static void test_reuse(void)
{
	json_t *schema, *doc;
	int i, bad = 0;

	schema = json_loads("{\"items\": {\"pattern\": \"^s[0-9]+$\"}}", 0, NULL);
	doc = json_loads("[\"s1\", \"s22\", \"s333\"]", 0, NULL);
	for (i = 0; i < 1000; i++)
		bad += jschema_validate(schema, doc, NULL, 0) != 0;
	tap_ok(!bad, "1000 validations with patterns all pass");
	json_decref(schema);
	json_decref(doc);
}

int main(void)
{
	test_rows();
	test_deep_document();
	test_deep_schema();
	test_buffers();
	test_reuse();
	return tap_done();
}
