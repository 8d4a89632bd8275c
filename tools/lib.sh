# SPDX-License-Identifier: GPL-2.0
# Shared helpers for steplab's shell tools.

STEPLAB_CACHE=${STEPLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steplab}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
