#!/bin/sh
# keechoctl status and health on what DKMS users trip over, on the real
# module files: every installed kernel with headers or not and its kecho
# module, a kernel without headers warned about loudly, Secure Boot (no EFI
# here), a loaded kecho that is not the installed build (its srcversion on
# disk patched) flagged by status and health, and health failing with what
# to install when the running kernel has neither a module nor headers.
. /tests/lib.sh

require_module kecho
require_prog keechoctl

REL=$(uname -r)
KO=$(modinfo -n kecho)
CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
echo "options kecho port=23490" >$CONF
# Another kernel installed without headers (its modules, no build link).
mkdir -p /lib/modules/9.9.9-noheaders/kernel
touch /lib/modules/9.9.9-noheaders/modules.dep

out=$(keechoctl status)
diag "$out"
check "status lists the running kernel with its kecho module" \
	has_line "$out" "kernels: $REL (running): NO HEADERS, kecho $KO"
check "and the kernel without headers" has_line "$out" "         9.9.9-noheaders: NO HEADERS, no kecho module"
check "warns loudly about it, naming the package" contains "$out" \
	"^WARNING: kernel 9.9.9-noheaders has no headers, so DKMS cannot build kecho for it: after booting it kecho will be missing; install linux-headers-9.9.9-noheaders"
check "no warning for the running kernel (its module is there)" \
	sh -c "! printf '%s\n' \"\$1\" | grep -q \"^WARNING: kernel $REL\"" _ "$out"
check "secure boot: none without EFI" has_line "$out" "secure boot: not an EFI system (no Secure Boot)"
json=$(keechoctl status --json)
check "status --json has the kernels" contains "$json" "\"release\":\"9.9.9-noheaders\""
check "and the warnings" contains "$json" "\"warnings\":\\[\"kernel 9.9.9-noheaders"

out=$(keechoctl health 2>&1)
check_eq "health fails while kecho is not loaded" $? 2
check_eq "the plain reason: a module exists for this kernel" "$out" "kecho module is not loaded"

check "keechoctl load" keechoctl load
check "listening on 23490" wait_for "port_listening 23490" 10
loaded=$(cat /sys/module/kecho/srcversion)
check "the loaded srcversion is the file's" test "$loaded" = "$(modinfo -F srcversion "$KO")"
out=$(keechoctl status)
check "no stale-module warning for the same build" \
	sh -c "! printf '%s\n' \"\$1\" | grep -q 'is not the installed build'" _ "$out"

# An upgrade installed a new build while the old one runs: the file's
# srcversion changes (patched in place; the file is not loaded again).
cp "$KO" /tmp/kecho.ko.orig
off=$(strings -t d "$KO" | awk '$2 ~ /^srcversion=/ { print $1 + 11; exit }')
new=$(echo "$loaded" | tr '0-9A-F' 'A-F0-9')
printf '%s' "$new" | dd of="$KO" bs=1 seek="$off" conv=notrunc 2>/dev/null
check_eq "the file now says $new" "$(modinfo -F srcversion "$KO")" "$new"
out=$(keechoctl status)
diag "$out"
check "status flags the stale module" contains "$out" \
	"^WARNING: the loaded kecho (srcversion $loaded) is not the installed build $KO (srcversion $new): reboot or \`keechoctl reload\` to run the new code"
out=$(keechoctl health 2>&1)
check_eq "health still passes (the old code serves)" $? 0
diag "$out"
check "and flags it too" contains "$out" "^warning: the loaded kecho (srcversion $loaded) is not the installed build"
cp /tmp/kecho.ko.orig "$KO"

# The running kernel with no module and no headers: what to install.
check "unload kecho" kecho_unload
mv "$KO" /tmp/kecho.ko.away
out=$(keechoctl health 2>&1)
check_eq "health fails" $? 2
check_eq "and says what to install" "$out" \
	"kecho module is not loaded: no kecho module for the running kernel $REL and no headers to build one: install linux-headers-$REL, then \`dkms autoinstall\`"
out=$(keechoctl status)
check "status warns about the running kernel" contains "$out" "^WARNING: kernel $REL (running) has no headers"
mv /tmp/kecho.ko.away "$KO"
rm -f /tmp/kecho.ko.orig $CONF
rm -rf /lib/modules/9.9.9-noheaders
check "kecho loads again from the restored file" kecho_load port=23490
check "unload" kecho_unload
