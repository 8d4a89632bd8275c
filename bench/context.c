// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement context.  KVM's mode is read from the kernel log (the
 * line KVM prints when it initialises), since arm64 exposes it nowhere
 * else to userspace.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "context.h"

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* device-tree strings are NUL-separated lists */
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '\0')
			buf[i] = ',';
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

static void kvm_mode(char *buf, size_t len)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log;
	int n;

	snprintf(buf, len, "unknown");
	if (size <= 0)
		return;
	log = malloc(size + 1);
	if (!log)
		return;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size);
	if (n > 0) {
		log[n] = '\0';
		if (strstr(log, "VHE mode initialized successfully"))
			snprintf(buf, len, "vhe");
		else if (strstr(log, "Protected nVHE mode initialized successfully"))
			snprintf(buf, len, "protected");
		else if (strstr(log, "Hyp mode initialized successfully"))
			snprintf(buf, len, "nvhe");
	}
	free(log);
}

void context_read(struct run_context *ctx)
{
	struct utsname u;
	char path[128];
	time_t now = time(NULL);

	memset(ctx, 0, sizeof(*ctx));
	if (!uname(&u)) {
		snprintf(ctx->kernel_release, sizeof(ctx->kernel_release), "%s", u.release);
		snprintf(ctx->kernel_version, sizeof(ctx->kernel_version), "%s", u.version);
		snprintf(ctx->machine, sizeof(ctx->machine), "%s", u.machine);
		snprintf(ctx->hostname, sizeof(ctx->hostname), "%s", u.nodename);
	}
	strftime(ctx->date, sizeof(ctx->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	ctx->cpu = sched_getcpu();
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/regs/identification/midr_el1",
		 ctx->cpu < 0 ? 0 : ctx->cpu);
	read_line(path, ctx->midr, sizeof(ctx->midr));
	read_line("/proc/device-tree/compatible", ctx->compatible, sizeof(ctx->compatible));
	kvm_mode(ctx->kvm_mode, sizeof(ctx->kvm_mode));
	/* QEMU's virt machine: the only board steplab knows to be emulated. */
	if (strstr(ctx->compatible, "linux,dummy-virt")) {
		ctx->emulated = true;
		snprintf(ctx->emulated_why, sizeof(ctx->emulated_why),
			 "device tree compatible linux,dummy-virt (QEMU virt)");
	} else if (getenv("STEPLAB_EMULATED")) {
		ctx->emulated = true;
		snprintf(ctx->emulated_why, sizeof(ctx->emulated_why),
			 "STEPLAB_EMULATED is set");
	} else {
		snprintf(ctx->emulated_why, sizeof(ctx->emulated_why),
			 "no sign of emulation");
	}
}
