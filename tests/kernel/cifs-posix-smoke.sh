# POSIX smoke over Linux kernel CIFS mounts of an SMB server (runs in the kernel-client guest, busybox ash).
# One boot, three mounts in turn: vers=3.1.1, vers=3.1.1 with seal (encryption), vers=2.1; every check on each.
# Env: SMB_PORT, SHARE, SMB_USER, SMB_PASS. Prints "KCV-CHECK: <vers>/<name> ok|FAIL" per check;
# exits with the number of failures (a failed mount counts 100; capped at 200).
M=/mnt/s
fails=0
check() { name="$1"; shift; if "$@" >/tmp/check.out 2>&1; then echo "KCV-CHECK: $TAG/$name ok"; else echo "KCV-CHECK: $TAG/$name FAIL"; cat /tmp/check.out; fails=$((fails + 1)); fi; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }

t_write_read() { echo hello > $D/a && [ "$(cat $D/a)" = hello ]; }
t_append() { echo world >> $D/a && [ "$(cat $D/a)" = "$(printf 'hello\nworld')" ]; }
t_truncate() { : > $D/a && [ ! -s $D/a ] && printf 0123456789 > $D/t && truncate -s 4 $D/t && [ "$(cat $D/t)" = 0123 ] \
  && truncate -s 1048576 $D/t && [ "$(stat -c %s $D/t)" = 1048576 ] && [ "$(head -c 4 $D/t)" = 0123 ]; }
t_overwrite_middle() { printf 'aaaaaaaaaa' > $D/o && printf 'XY' | dd of=$D/o bs=1 seek=4 conv=notrunc 2>/dev/null && drop && [ "$(cat $D/o)" = aaaaXYaaaa ]; }
t_rename_within() { echo r > $D/r1 && mv $D/r1 $D/r2 && [ ! -e $D/r1 ] && [ "$(cat $D/r2)" = r ]; }
t_rename_across() { mkdir -p $D/d1 $D/d2 && echo x > $D/d1/f && mv $D/d1/f $D/d2/g && [ "$(cat $D/d2/g)" = x ] && [ ! -e $D/d1/f ]; }
t_rename_over() { echo new > $D/src && echo old > $D/dst && mv -f $D/src $D/dst && [ "$(cat $D/dst)" = new ] && [ ! -e $D/src ]; }
t_rename_dir() { mkdir -p $D/rd/in && echo y > $D/rd/in/f && mv $D/rd $D/rd2 && [ "$(cat $D/rd2/in/f)" = y ] && [ ! -e $D/rd ]; }
t_rmdir_nonempty() { mkdir $D/ne && : > $D/ne/f && ! rmdir $D/ne 2>/dev/null && [ -d $D/ne ]; }
t_mkdir_existing() { ! mkdir $D/ne 2>/dev/null; }
t_unlink() { echo z > $D/z && rm $D/z && [ ! -e $D/z ] && ! cat $D/z 2>/dev/null; }
# SMB: the name goes away (delete-pending, then deleted at the last close) while the open file stays readable
t_delete_open_file() { echo still-here > $D/u && exec 3<$D/u && rm $D/u && [ "$(cat <&3)" = still-here ] && exec 3<&- && [ ! -e $D/u ]; }
t_big_dir() { mkdir $D/many && i=0; while [ $i -lt 2000 ]; do : > $D/many/f$i; i=$((i + 1)); done; drop; [ "$(ls $D/many | wc -l)" = 2000 ] \
  && [ "$(ls $D/many | sort | head -1)" = f0 ] && [ -e $D/many/f1999 ] && rm -r $D/many && [ ! -e $D/many ]; }
t_md5_cold() { dd if=/dev/urandom of=/tmp/r bs=1M count=16 2>/dev/null && cp /tmp/r $D/r && drop && [ "$(md5sum < $D/r)" = "$(md5sum < /tmp/r)" ]; }
t_mtime() { touch -d '2001-02-03 04:05:06' $D/r && drop && [ "$(date -r $D/r +%Y%m%d%H%M%S)" = 20010203040506 ]; }
make_tree() {
  [ -d /tmp/src ] && return 0
  mkdir -p /tmp/src/lib/sub /tmp/src/doc && cp /kcv/lib.sh /tmp/src/lib/ && cp /kcv/run.sh /tmp/src/
  i=0; while [ $i -lt 40 ]; do head -c $((i * 997)) /dev/urandom > /tmp/src/lib/sub/blob$i; echo "line $i" > /tmp/src/doc/n$i.txt; i=$((i + 1)); done
}
t_cp_r_diff() { make_tree && cp -r /tmp/src $D/tree && drop && diff -r /tmp/src $D/tree; }

run_mount() {  # run_mount TAG VERS [opts]
  TAG=$1
  if ! kcv_time "mount-$TAG" kcv_mount_cifs "$SMB_PORT" "$SHARE" "$M" "$SMB_USER" "$SMB_PASS" "$2" "$3"; then
    echo "KCV-CHECK: $TAG/mount FAIL"; fails=$((fails + 100)); return
  fi
  grep " $M " /proc/mounts
  D=$M/$TAG; rm -rf "$D"; mkdir "$D" || { echo "KCV-CHECK: $TAG/mkdir FAIL"; fails=$((fails + 1)); umount $M; return; }
  for t in write_read append truncate overwrite_middle rename_within rename_across rename_over rename_dir \
           rmdir_nonempty mkdir_existing unlink delete_open_file big_dir md5_cold mtime cp_r_diff; do
    check "$t" "t_$t"
  done
  cd / && umount $M || { echo "KCV-CHECK: $TAG/umount FAIL"; fails=$((fails + 1)); }
}

run_mount v3.1.1 3.1.1
run_mount v3.1.1-seal 3.1.1 seal
run_mount v2.1 2.1
echo "KCV-CIFS: done, $fails failure(s)"
# an exit status is 8 bits: never let a count of 256 read as success
[ $fails -gt 200 ] && fails=200
exit $fails
