#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# LAVA's device-type templates (base.jinja2, qemu.jinja2, ...), which ship
# with lava-server, not with the dispatcher: lava-run wants a device
# description already rendered, as a server would render it from a device
# dictionary.  Takes the lava-server package of the installed
# lava-dispatcher's version from Debian's archive, unpacks only its
# device-types/ (nothing is installed) and prints that directory.
#
#   tools/lava/device-types.sh      print the directory of the templates
#
# Cached under $STEPLAB_CACHE/lava/lava-server_VERSION/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/../lib.sh"

ver=$(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null) ||
	die "lava-dispatcher is not installed (make deps installs it)"
dir=$STEPLAB_CACHE/lava/lava-server_$ver
if [ ! -e "$dir/.done" ]; then
	log "downloading lava-server $ver for its device-type templates"
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	(cd "$dir.tmp" && apt-get -o APT::Sandbox::User=root download -qq "lava-server=$ver" >/dev/null) ||
		die "apt-get download lava-server=$ver failed"
	dpkg-deb --fsys-tarfile "$dir.tmp"/lava-server_*.deb |
		tar -C "$dir.tmp" -x --wildcards './usr/share/lava-server/device-types/*'
	[ -f "$dir.tmp/usr/share/lava-server/device-types/qemu.jinja2" ] ||
		die "lava-server $ver holds no device-types/qemu.jinja2"
	rm -rf "$dir" && mkdir -p "$dir"
	mv "$dir.tmp/usr/share/lava-server/device-types" "$dir/device-types"
	rm -rf "$dir.tmp"
	touch "$dir/.done"
fi
echo "$dir/device-types"
