/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the step engine needs from the architecture: vCPU bring-up, the
 * registers the catalog names, and the meaning of a debug exit.  The
 * arm64 implementation lives in bench/host/arch/arm64/; other hosts link
 * bench/host/arch/none/, which says why it cannot step.
 */
#ifndef STEPLAB_ARCH_H
#define STEPLAB_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "host/kvm.h"
#include "lib/syndrome.h"

/* A description of the debug exit, decoded from its syndrome. */

/* Returns NULL when this build can step guests, else why not. */
const char *arch_unsupported(void);
const char *arch_name(void);

/* Initialises the vCPU: target, PSCI 0.2, entry state, VBAR, guests/abi.h's registers. */
int arch_vcpu_init(struct vm *vm, struct vcpu *v, uint64_t entry);

int arch_get_pc(struct vcpu *v, uint64_t *pc);
int arch_set_pc(struct vcpu *v, uint64_t pc);
/* Where the guest's last exception returns to (ELR_EL1). */
int arch_get_return(struct vcpu *v, uint64_t *addr);
int arch_set_gpr(struct vcpu *v, unsigned int n, uint64_t val);
/*
 * Asks KVM to forward the SMCCC function @fn, called by SMC, to userspace
 * (KVM_EXIT_HYPERCALL); before the vCPU first runs.  -errno when this
 * kernel cannot (no SMCCC filter before Linux 6.4).
 */
int arch_smccc_forward(struct vm *vm, uint32_t fn);
/* The register an SMCCC call takes its function id in and returns in. */
#define ARCH_SMCCC_REG	0
/* The ID register the sysreg rows read, as KVM reports it for the vCPU. */
int arch_get_id_reg(struct vcpu *v, uint64_t *val);
/* The PSCI version KVM implements for the vCPU (function result). */
int arch_get_psci_version(struct vcpu *v, uint64_t *val);

/*
 * The architected virtual counter, read from userspace between fences so
 * the read cannot move across the KVM_RUN it brackets; and its frequency.
 */
uint64_t arch_counter_now(void);
uint64_t arch_counter_hz(void);

/* Decodes a debug exit's syndrome (pure: usable on any host). */
uint32_t arch_debug_syndrome(const struct kvm_run *run);

#endif
