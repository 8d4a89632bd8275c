/* SPDX-License-Identifier: GPL-2.0 */
/* JSON values as jschema.c types, compares and quotes them in its messages. */
#ifndef STEPLAB_JSCHEMA_VALUE_H
#define STEPLAB_JSCHEMA_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* A number as written: integers exactly, reals in as few digits as round-trip. */
void jval_num_fmt(const json_t *v, char *buf, size_t n);
/* A value for a message: strings quoted, numbers as above, containers elided. */
void jval_fmt(const json_t *v, char *buf, size_t n);
/* The JSON Schema type name of @v ("integer" for Jansson integers). */
const char *jval_type(const json_t *v);
/* @v is of the type named by the string @t ("number" takes integers too). */
bool jval_type_matches(const json_t *t, const json_t *v);
/* -1, 0 or 1; two integers compare exactly. */
int jval_num_cmp(const json_t *a, const json_t *b);
/* Numbers by value (1 equals 1.0), everything else as json_equal() does. */
bool jval_equal(const json_t *a, const json_t *b);

#endif
