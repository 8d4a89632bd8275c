/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON Schema validator for a documented subset of draft 2020-12, over
 * Jansson, so steplab can check its reports against
 * results/schema/report.schema.json without Python.
 *
 * Supported subset:
 *   type                 string or array of strings; "integer" matches only
 *                        Jansson integers, so a real with an integral value
 *                        (3.0) is a number but not an integer
 *   properties, required, additionalProperties (boolean or schema)
 *   items                a single schema (the array form is rejected)
 *   minItems, maxItems, minLength, maxLength
 *                        non-negative integers; lengths count code points
 *   enum, const          a number compares by value (1 equals 1.0); arrays
 *                        and objects compare with json_equal(), where a
 *                        nested 1 and 1.0 differ
 *   minimum, maximum, exclusiveMinimum, exclusiveMaximum
 *   pattern              POSIX extended regex (regcomp REG_EXTENDED), searched
 *                        unanchored as JSON Schema requires; ECMA-262 syntax
 *                        such as \d or lookahead is not available, and
 *                        matching stops at an embedded NUL
 *   $ref                 "#" or "#/$defs/NAME" only, resolved from the root
 *   $defs, anyOf, oneOf, allOf
 *   boolean schemas      true accepts anything, false rejects anything
 * Ignored annotations: $schema, $id, title, description, $comment, default,
 * examples, format (not asserted), deprecated.
 *
 * The whole schema is checked before the document is looked at, so a
 * keyword outside the subset is reported even where the document would
 * never reach it.
 */
#ifndef STEPLAB_JSCHEMA_H
#define STEPLAB_JSCHEMA_H

#include <stddef.h>
#include <jansson.h>

/* Nesting bound, counted over schema and document levels and $ref hops. */
#define JSCHEMA_MAX_DEPTH	64

/**
 * jschema_validate() - check a JSON document against a schema
 * @schema: root schema; "#" and "#/$defs/NAME" resolve against it
 * @doc: the instance to validate
 * @err: buffer for a one-line explanation, may be NULL when @errlen is 0
 * @errlen: size of @err; the text is truncated to fit
 *
 * Return:
 *   0         the document conforms; @err is set to ""
 *   -EINVAL   the document does not conform; @err reads
 *             "<json-pointer>: <reason>", e.g.
 *             "/classes/3/steps: expected integer, got string" (the root
 *             is the empty pointer, so a root error starts with ": ");
 *             also returned, with the reason only, for a NULL argument
 *   -ENOTSUP  the schema uses a keyword outside the subset, a keyword in a
 *             form the subset does not take, or a $ref that does not
 *             resolve; @err reads "#<schema-pointer>: <reason>"
 *   -ELOOP    schema or document nesting (or a $ref cycle) goes deeper
 *             than JSCHEMA_MAX_DEPTH
 *   -ENOMEM   a regular expression could not be compiled for lack of memory
 */
int jschema_validate(const json_t *schema, const json_t *doc,
		     char *err, size_t errlen);

#endif
