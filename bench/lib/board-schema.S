/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The board file's JSON Schema, built into the binary so that board files
 * are checked the same way wherever steplab runs.
 */
	.section .rodata
	.global	board_schema_json
	.balign	8
board_schema_json:
	.incbin	"results/schema/board.schema.json"
	.byte	0
	.section .note.GNU-stack, "", %progbits
