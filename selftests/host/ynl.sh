#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi/sbxfw.yaml, the family's YNL spec, against the kernel's own YNL
# tools: the spec passes the genetlink-legacy schema, and every constant
# of the uapi header that the YNL generator makes from it has the same
# name and value in uapi/linux/sbxfw.h, as have the structs' sizes. The
# tools and schemas come from Debian's linux-source-6.12, unpacked once into
# $YNL_DIR, where selftests/net/ynl.sh (in the VM) finds them too.
source "$(dirname "$0")/../net/lib.sh"

tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | head -n1)
if [ -z "$tarball" ]; then
	t_fail "the kernel's YNL tools are available" \
		"linux-source-6.12 is not installed (selftests/vm/install-deps.sh)"
	t_done
fi
if [ ! -f "$YNL_DIR/tools/net/ynl/cli.py" ] || [ "$tarball" -nt "$YNL_DIR/tools/net/ynl/cli.py" ]; then
	rm -rf "$YNL_DIR"
	mkdir -p "$YNL_DIR"
	top=$(tar -tf "$tarball" | head -n1 | cut -d/ -f1)
	if ! tar -xf "$tarball" -C "$YNL_DIR" --strip-components=1 \
		"$top/tools/net/ynl" "$top/Documentation/netlink"; then
		rm -rf "$YNL_DIR"
		t_fail "the kernel's YNL tools are available" "cannot unpack them from $tarball"
		t_done
	fi
fi
t_ok "the kernel's YNL tools are available"

# The generator finds its schema next to the spec's directory and the
# kernel's root by its MAINTAINERS file: give it that layout.
work=$(mktemp -d)
trap 'rm -rf "$work"; ns_cleanup' EXIT
mkdir -p "$work/netlink/specs" "$work/gen/linux"
touch "$work/MAINTAINERS"
cp "$SBXFW_SRC/uapi/sbxfw.yaml" "$work/netlink/specs/"
cp "$YNL_DIR/Documentation/netlink/genetlink-legacy.yaml" "$work/netlink/"

t_run "the spec passes the genetlink-legacy schema" \
	"$YNL_PYTHON" "$YNL_DIR/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$work/netlink/specs/sbxfw.yaml" -o "$work/gen/linux/sbxfw.h"

# Prints every constant of the generated header with its value, and the
# sizes of the structs the spec declares, compiled against header dir $1.
constants_program() {
	local names
	names=$(grep -oE '\b_*SBXFW_[A-Z0-9_]+\b' "$work/gen/linux/sbxfw.h" |
		grep -v '^_UAPI_' | sort -u)
	echo '#include <stdio.h>'
	echo '#include <linux/sbxfw.h>'
	echo 'int main(void) {'
	for name in $names; do
		case $name in
		SBXFW_GENL_NAME) echo "printf(\"%s %s\\n\", \"$name\", $name);" ;;
		*) echo "printf(\"%s %lld\\n\", \"$name\", (long long)($name));" ;;
		esac
	done
	echo 'return 0; }'
}

if [ -s "$work/gen/linux/sbxfw.h" ]; then
	constants_program >"$work/constants.c"
	if out=$(gcc -std=c11 -Wall -Werror -I "$work/gen" -o "$work/gen.bin" "$work/constants.c" 2>&1) &&
		out=$(gcc -std=c11 -Wall -Werror -I "$SBXFW_SRC/uapi" -o "$work/uapi.bin" "$work/constants.c" 2>&1); then
		"$work/gen.bin" >"$work/spec.out"
		"$work/uapi.bin" >"$work/uapi.out"
		t_run "the spec's constants match uapi/linux/sbxfw.h" \
			diff -u "$work/spec.out" "$work/uapi.out"
	else
		t_fail "the spec's constants match uapi/linux/sbxfw.h" "$out"
	fi
else
	t_fail "the spec's constants match uapi/linux/sbxfw.h" "no header was generated"
fi

# Struct sizes: the spec's members add up to the header's sizeof.
sizes() {
	"$YNL_PYTHON" - "$SBXFW_SRC/uapi/sbxfw.yaml" <<'PY'
import sys, yaml
sizes = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
for d in yaml.safe_load(open(sys.argv[1]))["definitions"]:
    if d["type"] == "struct":
        size = sum(m.get("len", 0) if m["type"] == "binary" else sizes[m["type"]]
                   for m in d["members"])
        print(d["enum-name"].replace("-", "_"), size)
PY
}
struct_check() {
	local name size got
	while read -r name size; do
		printf '#include <linux/sbxfw.h>\n_Static_assert(sizeof(struct %s) == %s, "%s");\n' \
			"$name" "$size" "$name" >"$work/size.c"
		got=$(gcc -std=c11 -fsyntax-only -I "$SBXFW_SRC/uapi" "$work/size.c" 2>&1) ||
			{ echo "struct $name: the spec says $size bytes"; echo "$got"; return 1; }
	done < <(sizes)
}
t_run "the spec's structs have the header's sizes" struct_check
t_done
