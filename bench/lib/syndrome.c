// SPDX-License-Identifier: GPL-2.0
/*
 * ESR_ELx decoding for debug exits.  Pure arithmetic, built on every host
 * so the verdict logic is testable away from arm64.
 */
#include "lib/syndrome.h"

#define ESR_ELx_EC_SHIFT	26
#define ESR_ELx_EC_SOFTSTP_LOW	0x32
#define ESR_ELx_ISS_ISV		(1u << 24)
#define ESR_ELx_ISS_EX		(1u << 6)

void arch_decode_syndrome(uint32_t raw, struct arch_syndrome *s)
{
	s->raw = raw;
	s->ec = raw >> ESR_ELx_EC_SHIFT;
	s->step = s->ec == ESR_ELx_EC_SOFTSTP_LOW;
	s->isv = s->step && (raw & ESR_ELx_ISS_ISV);
	s->ex = s->isv && (raw & ESR_ELx_ISS_EX);
}
