#!/bin/sh
# Assembles FreeSWITCH's configuration for the stack, exactly as freeswitch-conf/README.md tells
# an operator to do by hand: the image's stock tree, minus the stock profiles, users and
# listeners that would clash with ours (same ports, published passwords), plus freeswitch-conf/,
# plus the include of hotline-vars.xml at the end of vars.xml. Run by the one-shot `fs-conf`
# service into the `freeswitch-conf` volume before FreeSWITCH starts; rebuilt from scratch at
# every start, so a change to freeswitch-conf/ in the repository is all an operator edits.
set -eu

stock="${FS_STOCK_CONF:-/etc/freeswitch}"
ours="${HOTLINE_FS_CONF:-/hotline/freeswitch-conf}"
target="${FS_TARGET:-/target}"

[ -f "$stock/vars.xml" ] || { echo "fs-conf: no stock configuration at $stock (set FS_STOCK_CONF)" >&2; exit 1; }
[ -f "$ours/hotline-vars.xml" ] || { echo "fs-conf: freeswitch-conf/ is not mounted at $ours" >&2; exit 1; }

find "$target" -mindepth 1 -delete
cp -a "$stock/." "$target/"

# The stock profiles on our ports, and the stock users (ids 1000-1019, password 1234).
rm -rf "$target/sip_profiles/internal.xml" "$target/sip_profiles/internal-ipv6.xml" \
       "$target/sip_profiles/external.xml" "$target/sip_profiles/external-ipv6.xml" \
       "$target/sip_profiles/external" \
       "$target/directory/default/brian.xml" "$target/directory/default/example.com.xml" \
       "$target/directory/default/skinny-example.xml"
i=1000
while [ "$i" -le 1019 ]; do rm -f "$target/directory/default/$i.xml"; i=$((i + 1)); done

cp -a "$ours/." "$target/"
rm -f "$target/README.md"

# Our variables last, so they win over the stock ones (inside vars.xml's <include>).
if ! grep -q 'data="hotline-vars.xml"' "$target/vars.xml"; then
  sed -i 's|</include>[[:space:]]*$|  <X-PRE-PROCESS cmd="include" data="hotline-vars.xml"/>\n</include>|' "$target/vars.xml"
fi
grep -q 'data="hotline-vars.xml"' "$target/vars.xml" || { echo "fs-conf: could not include hotline-vars.xml in vars.xml" >&2; exit 1; }
mkdir -p "$target/dialplan"
echo "fs-conf: assembled $(find "$target" -type f | wc -l) files from $stock and freeswitch-conf/"
