# Kernel-client workloads of tests/bench/protocols/run.sh, run in the qemu guest (busybox ash, as root,
# /kcv/lib.sh sourced). One boot per server per round runs both workloads:
#   2. small files: create, stat, read, remove NFILES files of FSIZE bytes in one fresh directory
#      (/opt/smallfiles, one process per phase), caches dropped before every phase;
#   3. cp -a of the tree in /opt/tree into the mount, then rm -rf of it, caches dropped before each.
# Env: NFS_PORT, MNT_PORT, EXPORT (MOUNT path), NFILES, FSIZE, TREE_ENTRIES (expected `find | wc -l`
# of the copy, the top directory included), VERIFY=1 to diff the copy against the source (untimed).
# Prints KCV-TIME lines (parsed by run.sh) and KCV-CHECK lines; exits non-zero on the first failure.
M=/mnt/x
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
kcv_time mount kcv_mount_nfs3 "$NFS_PORT" "$MNT_PORT" "$EXPORT" "$M" || { echo "KCV-CHECK: mount FAIL"; exit 10; }
grep " $M " /proc/mounts
D=$M/smallfiles
rm -rf "$D" "$M/tree"
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

drop
kcv_time tree-cp cp -a /opt/tree "$M/tree" || exit 20
n=$(find "$M/tree" | wc -l)
if [ "$n" = "$TREE_ENTRIES" ]; then echo "KCV-CHECK: tree-count ok"; else echo "KCV-CHECK: tree-count FAIL ($n, expected $TREE_ENTRIES)"; exit 21; fi
if [ "${VERIFY:-0}" = 1 ]; then
  if diff -r /opt/tree "$M/tree" > /tmp/diff.out 2>&1; then echo "KCV-CHECK: tree-diff ok"
  else echo "KCV-CHECK: tree-diff FAIL"; head -20 /tmp/diff.out; exit 22; fi
fi
drop
kcv_time tree-rm rm -rf "$M/tree" || exit 23
[ -e "$M/tree" ] && { echo "KCV-CHECK: tree-rm FAIL"; exit 24; }
cd / && umount "$M" || { echo "KCV-CHECK: umount FAIL"; exit 25; }
exit 0
