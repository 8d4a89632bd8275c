/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest VM steplab needs: one memslot, one vCPU, its run page.
 * __name() returns -errno; nothing here prints.
 */
#ifndef STEPLAB_KVM_H
#define STEPLAB_KVM_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <linux/kvm.h>

struct vm {
	int kvm_fd;
	int fd;
	void *ram;
	size_t ram_size;
	uint64_t ram_gpa;
};

struct vcpu {
	int fd;
	struct kvm_run *run;
	size_t run_size;
};

int kvm_open(struct vm *vm);
/* Checks a capability; returns its value (0: absent) or -errno. */
int kvm_check_cap(struct vm *vm, long cap);
int vm_create(struct vm *vm, uint64_t ram_gpa, size_t ram_size);
void vm_destroy(struct vm *vm);

int vcpu_create(struct vm *vm, struct vcpu *v);
void vcpu_destroy(struct vcpu *v);
int __vcpu_run(struct vcpu *v);
int vcpu_get_reg(struct vcpu *v, uint64_t id, uint64_t *val);
int vcpu_set_reg(struct vcpu *v, uint64_t id, uint64_t val);
int vcpu_set_guest_debug(struct vcpu *v, uint32_t control);
/* The signal mask KVM_RUN runs with (KVM_SET_SIGNAL_MASK); NULL: the thread's. */
int vcpu_set_signal_mask(struct vcpu *v, const sigset_t *set);

#endif
