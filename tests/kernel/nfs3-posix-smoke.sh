# POSIX smoke over an NFSv3 mount of the gateway (runs in the kernel-client guest, busybox ash).
# Env: NFS_PORT, EXPORT (the MOUNT path). Prints "KCV-CHECK: name ok|FAIL" per check; exits with the failures.
M=/mnt/n
kcv_time mount kcv_mount_nfs3 "$NFS_PORT" "$NFS_PORT" "$EXPORT" "$M" || { echo "KCV-CHECK: mount FAIL"; exit 100; }
fails=0
check() { name="$1"; shift; if "$@" >/tmp/check.out 2>&1; then echo "KCV-CHECK: $name ok"; else echo "KCV-CHECK: $name FAIL"; cat /tmp/check.out; fails=$((fails + 1)); fi; }

t_write_read() { echo hello > $M/a && [ "$(cat $M/a)" = hello ]; }
t_append() { echo world >> $M/a && [ "$(cat $M/a)" = "$(printf 'hello\nworld')" ]; }
t_truncate() { : > $M/a && [ ! -s $M/a ] && printf 0123456789 > $M/t && truncate -s 4 $M/t && [ "$(cat $M/t)" = 0123 ]; }
t_sparse() { dd if=/dev/zero of=$M/sparse bs=1 count=1 seek=10485759 2>/dev/null && [ "$(stat -c %s $M/sparse)" = 10485760 ]; }
t_rename_within() { echo r > $M/r1 && mv $M/r1 $M/r2 && [ ! -e $M/r1 ] && [ "$(cat $M/r2)" = r ]; }
t_rename_across() { mkdir -p $M/d1 $M/d2 && echo x > $M/d1/f && mv $M/d1/f $M/d2/g && [ "$(cat $M/d2/g)" = x ] && [ ! -e $M/d1/f ]; }
t_rename_over() { echo new > $M/src && echo old > $M/dst && mv -f $M/src $M/dst && [ "$(cat $M/dst)" = new ]; }
t_hardlink() { echo h > $M/h1 && ln $M/h1 $M/h2 && [ "$(stat -c %h $M/h1)" = 2 ] && [ "$(stat -c %i $M/h1)" = "$(stat -c %i $M/h2)" ]; }
t_symlink() { ln -s h1 $M/sl && [ "$(readlink $M/sl)" = h1 ] && [ "$(cat $M/sl)" = h ]; }
t_chmod() { chmod 640 $M/h1 && [ "$(stat -c %a $M/h1)" = 640 ]; }
t_mtime() { touch -d '2001-02-03 04:05:06' $M/h1 && [ "$(date -r $M/h1 +%Y%m%d%H%M%S)" = 20010203040506 ]; }
t_rmdir_nonempty() { mkdir $M/ne && : > $M/ne/f && ! rmdir $M/ne 2>/dev/null && [ -d $M/ne ]; }
t_mkdir_existing() { ! mkdir $M/ne 2>/dev/null; }
t_unlinked_open() { echo still-here > $M/u && exec 3<$M/u && rm $M/u && [ "$(cat <&3)" = still-here ]; exec 3<&-; }
t_big_dir() { mkdir $M/many && i=0; while [ $i -lt 2000 ]; do : > $M/many/f$i; i=$((i + 1)); done; [ "$(ls $M/many | wc -l)" = 2000 ]; }
t_md5_cold() { dd if=/dev/urandom of=/tmp/r bs=1M count=16 2>/dev/null && cp /tmp/r $M/r && sync && echo 3 > /proc/sys/vm/drop_caches && [ "$(md5sum < $M/r)" = "$(md5sum < /tmp/r)" ]; }
make_tree() {
  mkdir -p /tmp/src/lib/sub /tmp/src/doc && cp /kcv/lib.sh /tmp/src/lib/ && cp /kcv/run.sh /tmp/src/
  i=0; while [ $i -lt 40 ]; do head -c $((i * 997)) /dev/urandom > /tmp/src/lib/sub/blob$i; echo "line $i" > /tmp/src/doc/n$i.txt; i=$((i + 1)); done
  ln -s ../run.sh /tmp/src/doc/link && chmod 750 /tmp/src/lib
}
t_cp_a_diff() { make_tree && cp -a /tmp/src $M/tree && diff -r /tmp/src $M/tree && [ "$(readlink $M/tree/doc/link)" = ../run.sh ]; }

for t in write_read append truncate sparse rename_within rename_across rename_over hardlink symlink chmod mtime \
         rmdir_nonempty mkdir_existing unlinked_open big_dir md5_cold cp_a_diff; do
  check "$t" "t_$t"
done
cd / && umount $M || { echo "KCV-CHECK: umount FAIL"; fails=$((fails + 1)); }
exit $fails
