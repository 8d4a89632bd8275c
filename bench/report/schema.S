/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report's JSON Schema, built into the binary so that validation
 * works wherever steplab runs (the emulated board has no results/).
 */
	.section .rodata
	.global	report_schema_json
	.balign	8
report_schema_json:
	.incbin	"results/schema/report.schema.json"
	.byte	0
	.section .note.GNU-stack, "", %progbits
