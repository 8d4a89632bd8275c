// SPDX-License-Identifier: GPL-2.0
/* /dev/kvm, one VM, one memslot, one vCPU. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host/kvm.h"

int kvm_open(struct vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return -errno;
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		close(vm->kvm_fd);
		vm->kvm_fd = -1;
		return -EPROTO;
	}
	return 0;
}

int kvm_check_cap(struct vm *vm, long cap)
{
	int fd = vm->fd >= 0 ? vm->fd : vm->kvm_fd;
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? -errno : ret;
}

int vm_create(struct vm *vm, uint64_t ram_gpa, size_t ram_size)
{
	struct kvm_userspace_memory_region region;
	int ret;

	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return -errno;
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		ret = -errno;
		goto err_vm;
	}
	vm->ram_size = ram_size;
	vm->ram_gpa = ram_gpa;
	region = (struct kvm_userspace_memory_region) {
		.slot = 0,
		.guest_phys_addr = ram_gpa,
		.memory_size = ram_size,
		.userspace_addr = (uintptr_t)vm->ram,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		ret = -errno;
		goto err_ram;
	}
	return 0;

err_ram:
	munmap(vm->ram, ram_size);
	vm->ram = NULL;
err_vm:
	close(vm->fd);
	vm->fd = -1;
	return ret;
}

void vm_destroy(struct vm *vm)
{
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	memset(vm, 0, sizeof(*vm));
	vm->fd = vm->kvm_fd = -1;
}

int vcpu_create(struct vm *vm, struct vcpu *v)
{
	int size, ret;

	memset(v, 0, sizeof(*v));
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		return -errno;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (v->fd < 0)
		return -errno;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		ret = -errno;
		close(v->fd);
		v->fd = -1;
		v->run = NULL;
		return ret;
	}
	v->run_size = size;
	return 0;
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

int __vcpu_run(struct vcpu *v)
{
	return ioctl(v->fd, KVM_RUN, 0) ? -errno : 0;
}

int vcpu_get_reg(struct vcpu *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &reg) ? -errno : 0;
}

int vcpu_set_reg(struct vcpu *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &reg) ? -errno : 0;
}

int vcpu_set_guest_debug(struct vcpu *v, uint32_t control)
{
	struct kvm_guest_debug dbg = { .control = control };

	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &dbg) ? -errno : 0;
}

int vcpu_set_signal_mask(struct vcpu *v, const sigset_t *set)
{
	/* the kernel's sigset: 64 signals, the first word of glibc's */
	union {
		struct kvm_signal_mask m;
		uint8_t b[sizeof(struct kvm_signal_mask) + 8];
	} k = { .m.len = 8 };

	if (!set)
		return ioctl(v->fd, KVM_SET_SIGNAL_MASK, NULL) ? -errno : 0;
	memcpy(k.m.sigset, set, 8);
	return ioctl(v->fd, KVM_SET_SIGNAL_MASK, &k) ? -errno : 0;
}
