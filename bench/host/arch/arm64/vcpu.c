// SPDX-License-Identifier: GPL-2.0
/* arm64 vCPU bring-up and register access through ONE_REG. */
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <asm/kvm.h>

#include "abi.h"
#include "host/arch.h"

#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(x))
#define REG_PC		CORE_REG(regs.pc)
#define REG_PSTATE	CORE_REG(regs.pstate)
#define REG_X(n)	(CORE_REG(regs.regs[0]) + 2 * (n))
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_ID_AA64PFR0	ARM64_SYS_REG(3, 0, 0, 4, 0)

/* EL1h, D/A/I/F masked, MMU off: the state a VMM hands a fresh vCPU. */
#define PSTATE_EL1H_MASKED	0x3c5

const char *arch_unsupported(void)
{
	return NULL;
}

const char *arch_name(void)
{
	return "arm64";
}

int arch_vcpu_init(struct vm *vm, struct vcpu *v, uint64_t entry)
{
	struct kvm_vcpu_init init = { 0 };
	static const struct { uint64_t id, val; } regs[] = {
		{ REG_PSTATE, PSTATE_EL1H_MASKED },
		{ REG_VBAR_EL1, GUEST_VECTORS },
		{ REG_X(13), GUEST_MMIO_BASE },
		{ REG_X(14), GUEST_DATA },
		{ REG_X(6), GUEST_K },
	};
	unsigned int i;
	int ret;

	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		return -errno;
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init))
		return -errno;
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		ret = vcpu_set_reg(v, regs[i].id, regs[i].val);
		if (ret)
			return ret;
	}
	return arch_set_pc(v, entry);
}

int arch_get_pc(struct vcpu *v, uint64_t *pc)
{
	return vcpu_get_reg(v, REG_PC, pc);
}

int arch_set_pc(struct vcpu *v, uint64_t pc)
{
	return vcpu_set_reg(v, REG_PC, pc);
}

int arch_get_return(struct vcpu *v, uint64_t *addr)
{
	return vcpu_get_reg(v, CORE_REG(elr_el1), addr);
}

int arch_set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
	if (n > 30)
		return -EINVAL;
	return vcpu_set_reg(v, REG_X(n), val);
}

/* Linux 6.4's UAPI, for builds against older headers. */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0
#define KVM_SMCCC_FILTER_FWD_TO_USER	2
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#endif

int arch_smccc_forward(struct vm *vm, uint32_t fn)
{
	struct kvm_smccc_filter f = {
		.base = fn, .nr_functions = 1, .action = KVM_SMCCC_FILTER_FWD_TO_USER,
	};
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL, .attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uintptr_t)&f,
	};

	return ioctl(vm->fd, KVM_SET_DEVICE_ATTR, &attr) ? -errno : 0;
}

int arch_get_id_reg(struct vcpu *v, uint64_t *val)
{
	return vcpu_get_reg(v, REG_ID_AA64PFR0, val);
}

int arch_get_psci_version(struct vcpu *v, uint64_t *val)
{
	return vcpu_get_reg(v, KVM_REG_ARM_PSCI_VERSION, val);
}

uint64_t arch_counter_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) :: "memory");
	return v;
}

uint64_t arch_counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

uint32_t arch_debug_syndrome(const struct kvm_run *run)
{
	return run->debug.arch.hsr;
}
