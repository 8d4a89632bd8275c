/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints by name, and a kvm:kvm_exit event that signals the thread.
 */
#ifndef STEPLAB_TRACEFS_H
#define STEPLAB_TRACEFS_H

#include <stddef.h>
#include <stdint.h>

/* The id of tracepoint @sys:@name in tracefs (either mount), or -ENOENT. */
int tracepoint_id(const char *sys, const char *name, uint64_t *id);

/*
 * A kvm:kvm_exit event on the calling thread that, once armed, sends it
 * @sig at the next guest exit and disarms itself: a signal that is
 * pending exactly where KVM decides whether to re-enter the guest.
 * Returns the event's fd, or -errno with the reason in @why.
 */
int exit_signal_open(int sig, char *why, size_t len);
int exit_signal_arm(int fd);
int exit_signal_disarm(int fd);

#endif
