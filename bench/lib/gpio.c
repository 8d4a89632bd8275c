// SPDX-License-Identifier: GPL-2.0
/* GPIO lines by role, through libgpiod v2. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gpiod.h>

#include "lib/gpio.h"

static int is_gpiochip(const struct dirent *d)
{
	return !strncmp(d->d_name, "gpiochip", 8);
}

/* "line 'power' (offset 1)", or "line 0" for a line given by offset. */
static void line_describe(const struct board_gpio *g, int offset, char *buf, size_t len)
{
	if (!g->line[0])
		snprintf(buf, len, "line %d", g->offset);
	else if (offset >= 0)
		snprintf(buf, len, "line '%s' (offset %d)", g->line, offset);
	else
		snprintf(buf, len, "line '%s'", g->line);
}

/* Opens @path when its chip's label is @label; else NULL, with the label in @got. */
static struct gpiod_chip *chip_open_labelled(const char *path, const char *label,
					     char *got, size_t len)
{
	struct gpiod_chip *c = gpiod_chip_open(path);
	struct gpiod_chip_info *info = c ? gpiod_chip_get_info(c) : NULL;
	const char *l = info ? gpiod_chip_info_get_label(info) : NULL;
	bool match = l && !strcmp(l, label);

	snprintf(got, len, "%s", l ? l : "(cannot open)");
	if (info)
		gpiod_chip_info_free(info);
	if (c && !match) {
		gpiod_chip_close(c);
		c = NULL;
	}
	return c;
}

/*
 * The chip labelled @label among /dev/gpiochip*, in numeric order, its
 * path in @path.  NULL when none is, with the chips seen in @seen.
 */
static struct gpiod_chip *chip_by_label(const char *label, char *path, size_t plen,
					char *seen, size_t slen)
{
	struct gpiod_chip *chip = NULL;
	struct dirent **ents;
	size_t used = 0;
	char got[64];
	int i, n;

	seen[0] = '\0';
	n = scandir("/dev", &ents, is_gpiochip, versionsort);
	for (i = 0; i < n; i++) {
		if (!chip && snprintf(path, plen, "/dev/%s", ents[i]->d_name) < (int)plen) {
			chip = chip_open_labelled(path, label, got, sizeof(got));
			if (!chip && used < slen)
				used += snprintf(seen + used, slen - used, "%s%s: %s",
						 used ? ", " : "", ents[i]->d_name, got);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return chip;
}

/* The line's offset on @chip, or -errno with the reason in err. */
static int line_offset(struct gpiod_chip *chip, const struct board_gpio *g,
		       const char *path, char *err, size_t len)
{
	struct gpiod_chip_info *info;
	size_t nlines;
	int off, e;

	if (g->line[0]) {
		off = gpiod_chip_get_line_offset_from_name(chip, g->line);
		if (off >= 0)
			return off;
		e = errno;
		if (e != ENOENT) {
			snprintf(err, len, "chip '%s' (%s): looking up line '%s': %s",
				 g->chip, path, g->line, strerror(e));
			return -e;
		}
		snprintf(err, len, "chip '%s' (%s) has no line named '%s'", g->chip, path, g->line);
		return -ENOENT;
	}
	info = gpiod_chip_get_info(chip);
	if (!info) {
		e = errno;
		snprintf(err, len, "chip '%s' (%s): reading its info: %s", g->chip, path,
			 strerror(e));
		return -e;
	}
	nlines = gpiod_chip_info_get_num_lines(info);
	gpiod_chip_info_free(info);
	if ((size_t)g->offset >= nlines) {
		snprintf(err, len, "chip '%s' (%s) has %zu lines: no line %d", g->chip, path,
			 nlines, g->offset);
		return -ENOENT;
	}
	return g->offset;
}

static struct gpiod_line_request *request_output(struct gpiod_chip *chip, unsigned int offset,
						 bool active_low, bool value,
						 const char *consumer)
{
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	struct gpiod_line_request *req = NULL;
	int saved;

	if (!s || !lc || !rc) {
		errno = ENOMEM;
		goto out;
	}
	gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
	gpiod_line_settings_set_active_low(s, active_low);
	gpiod_line_settings_set_output_value(s, value ? GPIOD_LINE_VALUE_ACTIVE :
						    GPIOD_LINE_VALUE_INACTIVE);
	if (gpiod_line_config_add_line_settings(lc, &offset, 1, s))
		goto out;
	gpiod_request_config_set_consumer(rc, consumer);
	req = gpiod_chip_request_lines(chip, rc, lc);
out:
	saved = errno;
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(s);
	errno = saved;
	return req;
}

/* Why a request failed, with the holder's name for a busy line. */
static void request_failed(struct gpiod_chip *chip, const struct board_gpio *g,
			   const char *path, unsigned int offset, int e, char *err, size_t len)
{
	struct gpiod_line_info *info = NULL;
	const char *holder = NULL;
	char what[64];

	line_describe(g, (int)offset, what, sizeof(what));
	if (e != EBUSY) {
		snprintf(err, len, "chip '%s' (%s) %s: requesting it as an output: %s", g->chip,
			 path, what, strerror(e));
		return;
	}
	info = gpiod_chip_get_line_info(chip, offset);
	holder = info ? gpiod_line_info_get_consumer(info) : NULL;
	snprintf(err, len, "chip '%s' (%s) %s: busy, held by %s%s%s", g->chip, path, what,
		 holder ? "'" : "", holder ? holder : "another user", holder ? "'" : "");
	if (info)
		gpiod_line_info_free(info);
}

int gpio_line_open(struct gpio_line *l, const struct board_gpio *g, const char *consumer,
		   bool value, char *err, size_t len)
{
	struct gpiod_chip *chip;
	char seen[256], what[64];
	int off, ret = 0;

	memset(l, 0, sizeof(*l));
	if (!g || !g->present || !g->chip[0] || (!g->line[0] && g->offset < 0)) {
		snprintf(err, len, "no GPIO line given (a chip label and a line name or offset)");
		return -EINVAL;
	}
	chip = chip_by_label(g->chip, l->path, sizeof(l->path), seen, sizeof(seen));
	if (!chip) {
		line_describe(g, -1, what, sizeof(what));
		snprintf(err, len, "no GPIO chip labelled '%s' for %s (%s)", g->chip, what,
			 seen[0] ? seen : "no /dev/gpiochip* here");
		return -ENODEV;
	}
	off = line_offset(chip, g, l->path, err, len);
	if (off < 0) {
		ret = off;
		goto out;
	}
	l->req = request_output(chip, (unsigned int)off, g->active_low, value, consumer);
	if (!l->req) {
		ret = -errno;
		request_failed(chip, g, l->path, (unsigned int)off, -ret, err, len);
		goto out;
	}
	snprintf(l->chip, sizeof(l->chip), "%s", g->chip);
	snprintf(l->name, sizeof(l->name), "%s", g->line);
	l->offset = (unsigned int)off;
	l->active_low = g->active_low;
	l->settle_ms = g->settle_ms;
	l->value = value;
out:
	/* the request keeps its own file descriptor */
	gpiod_chip_close(chip);
	return ret;
}

int gpio_line_set(struct gpio_line *l, bool value)
{
	if (!l->req)
		return -EBADF;
	if (gpiod_line_request_set_value(l->req, l->offset, value ? GPIOD_LINE_VALUE_ACTIVE :
							    GPIOD_LINE_VALUE_INACTIVE))
		return errno ? -errno : -EIO;
	l->value = value;
	return 0;
}

int gpio_line_toggle(struct gpio_line *l)
{
	int ret = gpio_line_set(l, !l->value);

	if (!ret)
		l->toggles++;
	return ret;
}

void gpio_line_settle(const struct gpio_line *l)
{
	struct timespec ts = {
		.tv_sec = l->settle_ms / 1000,
		.tv_nsec = (long)(l->settle_ms % 1000) * 1000000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void gpio_line_close(struct gpio_line *l)
{
	if (l->req)
		gpiod_line_request_release(l->req);
	l->req = NULL;
}

int marker_open(const struct board *b, struct marker *m, char *err, size_t len)
{
	const struct board_gpio *g = board_gpio_get(b, BOARD_GPIO_MARKER);

	memset(m, 0, sizeof(*m));
	if (!g) {
		snprintf(err, len, "board %s names no marker line (a gpio entry with role marker)",
			 b->name[0] ? b->name : "(defaults)");
		return -ENOENT;
	}
	return gpio_line_open(&m->line, g, "steplab-marker", false, err, len);
}

int marker_toggle(struct marker *m)
{
	int ret = gpio_line_toggle(&m->line);

	if (!ret) {
		m->toggles++;
		return 0;
	}
	if (!m->failed++)
		m->error = ret;
	return ret;
}

void marker_close(struct marker *m)
{
	gpio_line_close(&m->line);
}
