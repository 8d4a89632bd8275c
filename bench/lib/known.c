// SPDX-License-Identifier: GPL-2.0
/* Known divergences: loading, validating, matching. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "lib/known.h"
#include "lib/msg.h"
#include "lib/verdict.h"

uint32_t known_version(const char *release)
{
	unsigned int v[3] = { 0, 0, 0 }, i = 0;
	const char *p = release;
	char *end;

	while (i < 3 && *p >= '0' && *p <= '9') {
		unsigned long n = strtoul(p, &end, 10);

		if (n > 255)
			return 0;
		v[i++] = (unsigned int)n;
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	return i >= 2 ? v[0] << 16 | v[1] << 8 | v[2] : 0;
}

static int fail(const char *file, const char *field, char *err, size_t len,
		const char *why)
{
	snprintf(err, len, "%s:%s: %s", file, field, why);
	msg_one_line(err, len);
	return -EINVAL;
}

static int get_str(const json_t *o, const char *key, char *dst, size_t n, bool need,
		   const char *file, const char *field, char *err, size_t len)
{
	const json_t *v = json_object_get(o, key);
	char f[96];

	snprintf(f, sizeof(f), "%s.%s", field, key);
	if (!v && !need) {
		dst[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || !json_string_length(v))
		return fail(file, f, err, len, "a non-empty string");
	if (json_string_length(v) >= n)
		return fail(file, f, err, len, "too long");
	snprintf(dst, n, "%s", json_string_value(v));
	return 0;
}

/* A list of names, each one @lookup knows, into a bit mask. */
static int get_names(const json_t *o, const char *key, int (*lookup)(const char *),
		     uint32_t *mask, const char *file, const char *field, char *err,
		     size_t len)
{
	const json_t *a = json_object_get(o, key), *v;
	char f[96], why[160];
	size_t i;
	int b;

	snprintf(f, sizeof(f), "%s.%s", field, key);
	if (!json_is_array(a) || !json_array_size(a))
		return fail(file, f, err, len, "a non-empty array of names");
	*mask = 0;
	json_array_foreach(a, i, v) {
		b = json_is_string(v) ? lookup(json_string_value(v)) : -1;
		if (b < 0) {
			snprintf(why, sizeof(why), "item %zu: '%.60s' is not a known name", i,
				 json_is_string(v) ? json_string_value(v) : "(not a string)");
			return fail(file, f, err, len, why);
		}
		*mask |= 1u << b;
	}
	return 0;
}

static int get_kernels(const json_t *o, struct known_divergence *d, const char *file,
		       const char *field, char *err, size_t len)
{
	const json_t *k = json_object_get(o, "kernels");
	const char *from = json_string_value(json_object_get(k, "from"));
	const char *before = json_string_value(json_object_get(k, "before"));
	char f[96];

	snprintf(f, sizeof(f), "%s.kernels", field);
	if (!json_is_object(k) || !from || !before)
		return fail(file, f, err, len, "{\"from\": \"X.Y\", \"before\": \"X.Y\"}");
	d->from = known_version(from);
	d->before = known_version(before);
	if (!d->from || !d->before || d->from >= d->before)
		return fail(file, f, err, len, "from and before must be versions X.Y[.Z], from < before");
	return 0;
}

static int parse_one(const json_t *o, struct known_divergence *d, const char *file,
		     size_t i, char *err, size_t len)
{
	char field[48];
	int ret;

	snprintf(field, sizeof(field), "divergences[%zu]", i);
	if (!json_is_object(o))
		return fail(file, field, err, len, "an object");
	ret = get_str(o, "id", d->id, sizeof(d->id), true, file, field, err, len);
	if (!ret)
		ret = get_str(o, "title", d->title, sizeof(d->title), true, file, field, err, len);
	if (!ret)
		ret = get_str(o, "reference", d->reference, sizeof(d->reference), true,
			      file, field, err, len);
	if (!ret)
		ret = get_str(o, "fix", d->fix, sizeof(d->fix), false, file, field, err, len);
	if (!ret)
		ret = get_kernels(o, d, file, field, err, len);
	if (!ret)
		ret = get_names(o, "classes", class_from_name, &d->classes, file, field,
				err, len);
	if (!ret)
		ret = get_names(o, "paths", reentry_from_name, &d->paths, file, field, err, len);
	return ret;
}

int known_load_buffer(const char *name, const char *buf, size_t n,
		      struct known *k, char *err, size_t len)
{
	const json_t *a, *v;
	json_error_t je;
	json_t *doc;
	size_t i;
	int ret = 0;

	memset(k, 0, sizeof(*k));
	snprintf(k->path, sizeof(k->path), "%s", name);
	doc = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		snprintf(err, len, "%s:%d:%d: %s", name, je.line, je.column, je.text);
		msg_one_line(err, len);
		return -EINVAL;
	}
	if (!json_is_object(doc) ||
	    strcmp(json_string_value(json_object_get(doc, "schema")) ?: "", KNOWN_SCHEMA))
		ret = fail(name, "schema", err, len, "must be \"" KNOWN_SCHEMA "\"");
	else if (strncmp(json_string_value(json_object_get(doc, "schema_version")) ?: "", "1.", 2))
		ret = fail(name, "schema_version", err, len, "must be 1.x");
	a = json_object_get(doc, "divergences");
	if (!ret && (!json_is_array(a) || json_array_size(a) > KNOWN_MAX))
		ret = fail(name, "divergences", err, len, "an array of at most 16 entries");
	json_array_foreach(a, i, v) {
		if (ret)
			break;
		ret = parse_one(v, &k->d[i], name, i, err, len);
		k->nr = (unsigned int)i + 1;
	}
	json_decref(doc);
	return ret;
}

int known_load(const char *path, struct known *k, char *err, size_t len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return ret;
	}
	do {
		if (n == cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb || cap > (1u << 20)) {
				free(nb ? nb : buf);
				fclose(f);
				snprintf(err, len, "%s: %s", path, nb ? "larger than 1 MiB" :
					 strerror(ENOMEM));
				return nb ? -EINVAL : -ENOMEM;
			}
			buf = nb;
		}
		n += fread(buf + n, 1, cap - n, f);
	} while (!feof(f) && !ferror(f));
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (ret)
		snprintf(err, len, "%s: read error", path);
	else
		ret = known_load_buffer(path, buf, n, k, err, len);
	free(buf);
	return ret;
}

void known_for_kernel(struct known *k, const char *release)
{
	unsigned int i;

	k->kernel = known_version(release);
	k->applies = 0;
	for (i = 0; i < k->nr; i++)
		if (k->kernel >= k->d[i].from && k->kernel < k->d[i].before)
			k->applies |= 1u << i;
}

int known_match(const struct known *k, const struct step_record *r,
		enum insn_class c)
{
	unsigned int i;

	/* the step ran past its own instruction: on to a second one */
	if (!k || r->row < 0 || r->pc_after == r->pc_expected || r->pc_after == r->pc)
		return -1;
	for (i = 0; i < k->nr; i++)
		if ((k->applies & (1u << i)) && (k->d[i].classes & (1u << c)) &&
		    (k->d[i].paths & (1u << r->path)))
			return (int)i;
	return -1;
}
