# shellcheck shell=bash
# boot_vm IMG ABI PHASE OUTDIR TIMEOUT: boot IMG with kernel ABI (files
# from root_kernel_files in OUTDIR) under QEMU TCG, systemd as init. The
# guest runs PHASE (kecho.e2e= on the command line), writes its report to
# its second serial port (OUTDIR/PHASE.tap) and powers off. The console
# goes to OUTDIR/PHASE.console, with every kernel message (ignore_loglevel:
# Debian's sysctl would keep warnings off the console). With E2E_STREAM=1
# the report is shown live. Returns QEMU's status (124 on timeout).
boot_vm() {
	local img=$1 abi=$2 phase=$3 out=$4 limit=$5 rc=0 qpid
	local tap=$out/$phase.tap console=$out/$phase.console
	: >"$tap"
	: >"$console"
	timeout -k 10 "$limit" qemu-system-x86_64 \
		-machine q35 -accel tcg -cpu max -m 2048 -smp 2 \
		-display none -vga none -nic none -no-reboot -monitor none \
		-kernel "$out/vmlinuz-$abi" -initrd "$out/initrd.img-$abi" \
		-append "root=/dev/vda rw console=ttyS0,115200 ignore_loglevel panic=-1 \
module_blacklist=kvm,kvm_amd,kvm_intel,floppy systemd.show_status=1 \
kecho.e2e=$phase" \
		-drive "file=$img,format=raw,if=virtio" \
		-serial "file:$console" -serial "file:$tap" </dev/null &
	qpid=$!
	if [ "${E2E_STREAM:-0}" = 1 ]; then
		# ends by itself when QEMU does; the port is raw, so \r (progress
		# lines) reaches the terminal as the guest meant it
		tail -n +1 -f --pid="$qpid" "$tap"
	fi
	wait "$qpid" || rc=$?
	return "$rc"
}
