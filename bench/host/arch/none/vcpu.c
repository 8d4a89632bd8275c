// SPDX-License-Identifier: GPL-2.0
/*
 * Hosts that cannot run the arm64 guest: every vCPU operation fails, and
 * arch_unsupported() says why, so `steplab run` can point at the emulated
 * board instead.
 */
#include <errno.h>
#include <sys/utsname.h>

#include "host/arch.h"

const char *arch_unsupported(void)
{
	return "needs an arm64 host with /dev/kvm";
}

const char *arch_name(void)
{
	static struct utsname u;

	return uname(&u) ? "unknown" : u.machine;
}

int arch_vcpu_init(struct vm *vm, struct vcpu *v, uint64_t entry)
{
	(void)vm; (void)v; (void)entry;
	return -ENOSYS;
}

int arch_get_pc(struct vcpu *v, uint64_t *pc)
{
	(void)v; (void)pc;
	return -ENOSYS;
}

int arch_set_pc(struct vcpu *v, uint64_t pc)
{
	(void)v; (void)pc;
	return -ENOSYS;
}

int arch_get_return(struct vcpu *v, uint64_t *addr)
{
	(void)v; (void)addr;
	return -ENOSYS;
}

int arch_set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
	(void)v; (void)n; (void)val;
	return -ENOSYS;
}

int arch_smccc_forward(struct vm *vm, uint32_t fn)
{
	(void)vm; (void)fn;
	return -ENOSYS;
}

int arch_get_id_reg(struct vcpu *v, uint64_t *val)
{
	(void)v; (void)val;
	return -ENOSYS;
}

int arch_get_psci_version(struct vcpu *v, uint64_t *val)
{
	(void)v; (void)val;
	return -ENOSYS;
}

uint64_t arch_counter_now(void)
{
	return 0;
}

uint64_t arch_counter_hz(void)
{
	return 0;
}

uint32_t arch_debug_syndrome(const struct kvm_run *run)
{
	(void)run;
	return 0;
}
