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
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "lib/context.h"

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

/*
 * The line KVM prints once initialised, per mode: "VHE mode initialized
 * successfully" (VHE), "Hyp mode initialized successfully" (nVHE up to
 * 6.x), "Hyp nVHE mode ..." and "Hyp hVHE mode ..." (later), "Protected
 * nVHE mode ..." (protected).  Every one but 6.1's nVHE line ends in the
 * VHE line, so the word before it decides; a bare substring search would
 * read every mode as VHE.
 */
static const struct {
	const char *line, *mode;
} kvm_mode_lines[] = {
	{ "Protected nVHE mode initialized successfully", "protected" },
	{ "Protected hVHE mode initialized successfully", "protected" },
	{ "Hyp nVHE mode initialized successfully", "nvhe" },
	{ "Hyp hVHE mode initialized successfully", "hvhe" },
	{ "Hyp mode initialized successfully", "nvhe" },
	{ "VHE mode initialized successfully", "vhe" },
};

const char *kvm_mode_from_text(const char *log, const char **line)
{
	unsigned int i;

	for (i = 0; i < sizeof(kvm_mode_lines) / sizeof(kvm_mode_lines[0]); i++) {
		if (strstr(log, kvm_mode_lines[i].line)) {
			if (line)
				*line = kvm_mode_lines[i].line;
			return kvm_mode_lines[i].mode;
		}
	}
	return NULL;
}

static void kvm_mode_from_log(struct run_context *ctx)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	const char *mode, *line;
	char *log;
	int n;

	if (size <= 0)
		return;
	log = malloc(size + 1);
	if (!log)
		return;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size);
	log[n > 0 ? n : 0] = '\0';
	mode = kvm_mode_from_text(log, &line);
	if (mode) {
		snprintf(ctx->kvm_mode, sizeof(ctx->kvm_mode), "%s", mode);
		snprintf(ctx->kvm_mode_from, sizeof(ctx->kvm_mode_from), "kernel log: \"%s\"", line);
	}
	free(log);
}

/*
 * A log that has wrapped since boot no longer holds the line: then the
 * kernel command line says what was asked for (a request KVM may have
 * refused, so the report says where the mode came from).
 */
static void kvm_mode_from_cmdline(struct run_context *ctx)
{
	static const char *const modes[] = { "protected", "nvhe", "none" };
	char line[4096], *p;
	unsigned int i;

	read_line("/proc/cmdline", line, sizeof(line));
	p = strstr(line, "kvm-arm.mode=");
	if (!p)
		return;
	p += strlen("kvm-arm.mode=");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		size_t n = strlen(modes[i]);

		if (!strncmp(p, modes[i], n) && (p[n] == ' ' || !p[n])) {
			snprintf(ctx->kvm_mode, sizeof(ctx->kvm_mode), "%s",
				 i == 2 ? "unknown" : modes[i]);
			snprintf(ctx->kvm_mode_from, sizeof(ctx->kvm_mode_from),
				 "kernel command line kvm-arm.mode=%s (no KVM line in the kernel log)",
				 modes[i]);
			return;
		}
	}
}

static void kvm_mode(struct run_context *ctx)
{
	snprintf(ctx->kvm_mode, sizeof(ctx->kvm_mode), "unknown");
	snprintf(ctx->kvm_mode_from, sizeof(ctx->kvm_mode_from),
		 "no KVM line in the kernel log, no kvm-arm.mode= on the command line");
	kvm_mode_from_log(ctx);
	if (!strcmp(ctx->kvm_mode, "unknown"))
		kvm_mode_from_cmdline(ctx);
}

/*
 * Which exception levels each counter covers, from the arm64 PMU driver's
 * event filter (armv8pmu_set_event_filter) for the attributes steplab
 * opens: host instructions exclude_guest, guest instructions exclude_host,
 * cycles neither, exclude_hv never set.  With VHE the host kernel is EL2
 * and the filter takes EL1 out; without it exclude_hv = 0 puts EL2 in, and
 * KVM's hyp code stops host-only counters from the switch to the guest
 * until the switch back (__pmu_switch_to_guest/__pmu_switch_to_host).
 */
static const struct counting_domain domains[][3] = {
	[KVM_MODE_VHE] = {
		{ "host_instructions", "EL0 EL2", "counted, world switch included",
		  "the host kernel and KVM run at EL2; EL1 is the guest's and filtered out; host EL0 counting is paused while the guest runs" },
		{ "guest_instructions", "EL0 EL1", "not counted",
		  "exclude_host: KVM enables the counter only while the guest runs" },
		{ "cycles", "EL0 EL1 EL2", "counted", "no filter: host and guest" },
	},
	[KVM_MODE_NVHE] = {
		{ "host_instructions", "EL0 EL1 EL2", "counted outside the world switch",
		  "the host kernel runs at EL1 and KVM's hyp code at EL2 (exclude_hv = 0 sets the EL2 filter bit); hyp stops host-only counters from the switch to the guest to the switch back, so the world switch itself is not in the count" },
		{ "guest_instructions", "EL0 EL1", "not counted",
		  "exclude_host: hyp enables the counter only while the guest runs" },
		{ "cycles", "EL0 EL1 EL2", "counted", "no filter: host, hyp and guest" },
	},
};

static void context_counting(struct run_context *ctx)
{
	int m = !strcmp(ctx->kvm_mode, "vhe") ? KVM_MODE_VHE :
		!strcmp(ctx->kvm_mode, "nvhe") || !strcmp(ctx->kvm_mode, "protected") ||
		!strcmp(ctx->kvm_mode, "hvhe") ?
		KVM_MODE_NVHE : -1;

	ctx->ncounting = 0;
	if (m < 0)
		return;
	memcpy(ctx->counting, domains[m], sizeof(domains[m]));
	ctx->ncounting = 3;
}

/* Before this, a clock is unset (1970) or wrong by years. */
#define PLAUSIBLE_EPOCH	1704067200	/* 2024-01-01 */

/*
 * Whether the date can be believed: set by the emulated board's harness
 * from the host (STEPLAB_CLOCK_FROM), kept by NTP (adjtimex), or neither.
 */
static void context_clock(struct run_context *ctx, time_t now)
{
	const char *from = getenv("STEPLAB_CLOCK_FROM");
	struct timex tx = { .modes = 0 };
	int st = adjtimex(&tx);
	bool synced = st >= 0 && st != TIME_ERROR && !(tx.status & STA_UNSYNC);

	ctx->clock_trusted = false;
	if (now < PLAUSIBLE_EPOCH) {
		snprintf(ctx->clock_why, sizeof(ctx->clock_why),
			 "the clock reads %s: nothing set it (no RTC, no NTP, no harness)", ctx->date);
	} else if (from && *from) {
		ctx->clock_trusted = true;
		snprintf(ctx->clock_why, sizeof(ctx->clock_why), "%s", from);
	} else if (synced) {
		ctx->clock_trusted = true;
		snprintf(ctx->clock_why, sizeof(ctx->clock_why), "synchronised (adjtimex: NTP)");
	} else {
		snprintf(ctx->clock_why, sizeof(ctx->clock_why),
			 "not synchronised (adjtimex): the date may be off");
	}
}

/*
 * What the harness knows of the kernel it booted (tools/qemu-board):
 * "key value" lines in the file STEPLAB_KERNEL_BUILD names, e.g. the
 * source package and the digests of config and patch of a kernel built
 * by tools/build-kernel.sh.
 */
static void context_kernel_build(struct run_context *ctx)
{
	const char *path = getenv("STEPLAB_KERNEL_BUILD");
	char line[256], *sp;
	FILE *f;

	ctx->nbuild = 0;
	if (!path || !(f = fopen(path, "r")))
		return;
	while (ctx->nbuild < CONTEXT_MAX_BUILD && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		sp = strchr(line, ' ');
		if (!sp || sp == line)
			continue;
		*sp = '\0';
		if (strlen(line) >= sizeof(ctx->build[0].key))
			continue;
		memcpy(ctx->build[ctx->nbuild].key, line, strlen(line) + 1);
		snprintf(ctx->build[ctx->nbuild].value, sizeof(ctx->build[0].value), "%.159s", sp + 1);
		ctx->nbuild++;
	}
	fclose(f);
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
	kvm_mode(ctx);
	context_counting(ctx);
	context_clock(ctx, now);
	context_kernel_build(ctx);
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
	/* the CPU model the emulator was given, when its harness says */
	snprintf(ctx->emulated_cpu, sizeof(ctx->emulated_cpu), "%s",
		 ctx->emulated && getenv("STEPLAB_QEMU_CPU") ? getenv("STEPLAB_QEMU_CPU") : "");
}
