/* SPDX-License-Identifier: GPL-2.0 */
/* A report document's class by name, for the unit tests that alter one. */
#ifndef STEPLAB_REPORT_DOC_H
#define STEPLAB_REPORT_DOC_H

#include <string.h>
#include <jansson.h>

static inline json_t *class_get(json_t *doc, const char *name)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "classes"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "class")), name))
			return c;
	return NULL;
}

#endif
