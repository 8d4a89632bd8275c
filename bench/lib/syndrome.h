/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug exit's syndrome (ESR_ELx), decoded: pure logic the unit tests
 * link without KVM; the vCPU code (host/arch.h) reads the raw value.
 */
#ifndef STEPLAB_SYNDROME_H
#define STEPLAB_SYNDROME_H

#include <stdbool.h>
#include <stdint.h>

struct arch_syndrome {
	uint32_t raw;
	bool step;		/* a software-step exception */
	bool isv;		/* ISS.ISV: an instruction was stepped */
	bool ex;		/* ISS.EX: it was a load-exclusive */
	unsigned int ec;	/* exception class */
};

void arch_decode_syndrome(uint32_t raw, struct arch_syndrome *s);

#endif
