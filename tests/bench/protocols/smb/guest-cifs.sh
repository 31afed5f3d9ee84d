# Kernel CIFS small-file workload of tests/bench/protocols/smb/run-smb.sh, run in the qemu guest (busybox
# ash, as root, /kcv/lib.sh sourced): create, stat, read, remove NFILES files of FSIZE bytes in one fresh
# directory with /opt/smallfiles (tests/bench/protocols/smallfiles.c, one process per phase), caches
# dropped before every phase. Env: SMB_PORT, SHARE, SMB_USER, SMB_PASS, NFILES, FSIZE, VERS (default 3.1.1),
# OPTS (extra mount options). Prints KCV-TIME lines (parsed by run-smb.sh); exits non-zero on the first failure.
M=/mnt/x
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
kcv_time mount kcv_mount_cifs "$SMB_PORT" "$SHARE" "$M" "$SMB_USER" "$SMB_PASS" "${VERS:-3.1.1}" "${OPTS:-}" \
  || { echo "KCV-CHECK: mount FAIL"; exit 10; }
grep " $M " /proc/mounts
D=$M/smallfiles
rm -rf "$D"
mkdir "$D" || { echo "KCV-CHECK: mkdir FAIL"; exit 11; }
drop
kcv_time sf-create /opt/smallfiles create "$D" "$NFILES" "$FSIZE" || exit 12
drop
kcv_time sf-stat /opt/smallfiles stat "$D" "$NFILES" || exit 13
drop
kcv_time sf-read /opt/smallfiles read "$D" "$NFILES" "$FSIZE" || exit 14
drop
kcv_time sf-remove /opt/smallfiles remove "$D" "$NFILES" || exit 15
rmdir "$D" || { echo "KCV-CHECK: rmdir FAIL"; exit 16; }
cd / && umount "$M" || { echo "KCV-CHECK: umount FAIL"; exit 17; }
echo "KCV-CHECK: smallfiles ok"
exit 0
