// SPDX-License-Identifier: GPL-2.0
/*
 * A run's identity: what must be equal for two runs' figures to be set
 * against each other.  It is read back from a report's context and
 * programs, so reports written before the report carried it have one too.
 */
#include <stdio.h>
#include <string.h>

#include "lib/identity.h"
#include "lib/names.h"

static const char *const dim_names[ID_MAX] = {
	[ID_BOARD]	= "board",
	[ID_CORE_KIND]	= "core_kind",
	[ID_KVM_MODE]	= "kvm_mode",
	[ID_KERNEL]	= "kernel",
	[ID_PROGRAM]	= "program",
	[ID_REENTRY]	= "reentry",
	[ID_COUNTING]	= "counting",
	[ID_SEED]	= "seed",
};

const char *identity_dim_name(enum id_dim d)
{
	return names_at(dim_names, ID_MAX, d);
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Appends to a dimension's text, "; "-separated. */
static void add(struct identity *id, enum id_dim d, const char *s)
{
	size_t n = strlen(id->v[d]);

	if (!*s || n >= sizeof(id->v[d]) - 1)
		return;
	snprintf(id->v[d] + n, sizeof(id->v[d]) - n, "%s%s", n ? "; " : "", s);
}

static void core_kinds(const json_t *doc, struct identity *id)
{
	const json_t *ctx = json_object_get(doc, "context"), *k;
	size_t i;

	json_array_foreach(json_object_get(doc, "kinds"), i, k)
		add(id, ID_CORE_KIND, str(k, "kind"));
	if (!id->v[ID_CORE_KIND][0])
		add(id, ID_CORE_KIND, str(ctx, "midr"));
}

/*
 * The kernel build: release and version string, and the digests of
 * config and patch when the harness knew them (two builds of one source
 * with one release string can differ in nothing else).
 */
static void kernel(const json_t *ctx, struct identity *id)
{
	static const char *const keys[] = { "config_sha256", "patch_sha256" };
	const json_t *kb = json_object_get(ctx, "kernel_build");
	char buf[96];
	unsigned int i;

	add(id, ID_KERNEL, str(ctx, "kernel_release"));
	add(id, ID_KERNEL, str(ctx, "kernel_version"));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!*str(kb, keys[i]))
			continue;
		snprintf(buf, sizeof(buf), "%s %.12s", keys[i], str(kb, keys[i]));
		add(id, ID_KERNEL, buf);
	}
}

/*
 * The programs as laid out: since schema 1.5 a row whose effect is a
 * register is followed by its log row, so one mix and seed gives other
 * steps than before.
 */
static void programs(const json_t *doc, struct identity *id)
{
	const char *effects = str(json_object_get(doc, "context"), "effects");
	const json_t *p;
	char buf[256];
	size_t i;

	json_array_foreach(json_object_get(doc, "programs"), i, p) {
		snprintf(buf, sizeof(buf), "%s%s%s", str(p, "name"),
			 json_object_get(p, "mix") ? " " : "", str(p, "mix"));
		add(id, ID_PROGRAM, buf);
		if (json_object_get(p, "seed")) {
			snprintf(buf, sizeof(buf), "%lld",
				 (long long)json_integer_value(json_object_get(p, "seed")));
			add(id, ID_SEED, buf);
		}
	}
	snprintf(buf, sizeof(buf), "effects: %s", *effects ? effects : "registers");
	add(id, ID_PROGRAM, buf);
}

/*
 * The re-entry paths a run took after exits to userspace, where the
 * report names them (context.reentry or a top-level reentry); plain
 * re-entry otherwise.
 */
static void reentry(const json_t *doc, struct identity *id)
{
	const json_t *r = json_object_get(json_object_get(doc, "context"), "reentry"), *v;
	char text[sizeof(id->v[0])] = "";
	const char *name;
	size_t i, n = 0;

	if (!r)
		r = json_object_get(doc, "reentry");
	if (json_is_string(r)) {
		add(id, ID_REENTRY, json_string_value(r));
		return;
	}
	/* the paths by name, as a list or as the per-path results' taken ones */
	if (json_is_array(r)) {
		json_array_foreach(r, i, v)
			if (json_is_string(v))
				n += (size_t)snprintf(text + n, n < sizeof(text) ? sizeof(text) - n : 0,
						      "%s%s", n ? "," : "", json_string_value(v));
	} else if (json_is_object(r)) {
		json_object_foreach((json_t *)r, name, v)
			if (json_is_true(json_object_get(v, "taken")))
				n += (size_t)snprintf(text + n, n < sizeof(text) ? sizeof(text) - n : 0,
						      "%s%s", n ? "," : "", name);
	}
	add(id, ID_REENTRY, text[0] ? text : "plain");
}

/*
 * How the counters were read counts too: a read(2) per KVM_RUN is in
 * every window, and tracepoints on at every step are in every step's
 * host figures (schema 1.3; earlier reports read with read(2), the
 * tracepoints always on).
 */
static void reads(const json_t *ctx, struct identity *id)
{
	const json_t *r = json_object_get(ctx, "counter_reads");
	json_int_t every = json_integer_value(json_object_get(r, "tracepoints_every"));

	if (!r) {
		add(id, ID_COUNTING, "read(2), tracepoints on at every step");
		return;
	}
	add(id, ID_COUNTING, !strcmp(str(r, "hardware"), "user") ? "user reads" : "read(2)");
	if (every == 1)
		add(id, ID_COUNTING, "tracepoints on at every step");
}

/* What the host counter covers; before reports said, the mode tells. */
static void counting(const json_t *ctx, struct identity *id)
{
	const json_t *h = json_object_get(json_object_get(ctx, "counting"), "host_instructions");
	const char *mode = str(ctx, "kvm_mode");

	if (h) {
		add(id, ID_COUNTING, str(h, "levels"));
		add(id, ID_COUNTING, str(h, "el2"));
	} else if (!strcmp(mode, "vhe")) {
		add(id, ID_COUNTING, "EL0 EL2; counted, world switch included");
	} else if (!strcmp(mode, "nvhe") || !strcmp(mode, "protected")) {
		add(id, ID_COUNTING, "EL0 EL1 EL2; counted outside the world switch");
	}
	reads(ctx, id);
}

void identity_of(const json_t *doc, struct identity *id)
{
	const json_t *ctx = json_object_get(doc, "context");

	memset(id, 0, sizeof(*id));
	add(id, ID_BOARD, str(ctx, "board"));
	core_kinds(doc, id);
	add(id, ID_KVM_MODE, str(ctx, "kvm_mode"));
	kernel(ctx, id);
	programs(doc, id);
	reentry(doc, id);
	counting(ctx, id);
}

unsigned int identity_diff(const struct identity *a, const struct identity *b)
{
	unsigned int d, mask = 0;

	for (d = 0; d < ID_COMPARED; d++)
		if (strcmp(a->v[d], b->v[d]))
			mask |= 1u << d;
	return mask;
}

void identity_diff_text(const struct identity *a, const struct identity *b, unsigned int mask,
			char *buf, size_t len)
{
	size_t n = 0;
	unsigned int d;

	buf[0] = '\0';
	for (d = 0; d < ID_MAX && n < len; d++)
		if (mask & (1u << d))
			n += (size_t)snprintf(buf + n, len - n, "%s%s '%.80s' vs '%.80s'",
					      n ? ", " : "", dim_names[d], a->v[d], b->v[d]);
}

json_t *identity_json(const struct identity *id)
{
	json_t *o = json_object();
	unsigned int d;

	for (d = 0; d < ID_MAX; d++)
		json_object_set_new(o, dim_names[d], json_string(id->v[d]));
	return o;
}
