# Scaling workload of tests/bench/protocols/run.sh, in the qemu guest (busybox ash, as root, /kcv/lib.sh
# sourced): the small-file workload run by 1, 4 and 16 concurrent processes, each in its own directory,
# NFILES files in all (NFILES / N each), so the server sees N streams at once for the same total work.
# Env: PROTO (nfs3 or cifs), for nfs3 NFS_PORT MNT_PORT EXPORT, for cifs SMB_PORT SHARE SMB_USER SMB_PASS;
# NFILES, FSIZE, CLIENTS (e.g. "1 4 16"). Prints KCV-TIME scale-N-PHASE lines; exits non-zero on failure.
M=/mnt/x
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
case "$PROTO" in
  nfs3) kcv_mount_nfs3 "$NFS_PORT" "$MNT_PORT" "$EXPORT" "$M" || { echo "KCV-CHECK: mount FAIL"; exit 10; } ;;
  cifs) kcv_mount_cifs "$SMB_PORT" "$SHARE" "$M" "$SMB_USER" "$SMB_PASS" 3.1.1 || { echo "KCV-CHECK: mount FAIL"; exit 10; } ;;
  *) echo "KCV-CHECK: unknown PROTO $PROTO"; exit 9 ;;
esac
# all N processes of one phase, timed together; fails if any of them failed
phase() {  # phase N OP [SIZE]
  _n=$1; _op=$2; _size=$3; _i=0; _pids=""
  while [ $_i -lt "$_n" ]; do
    /opt/smallfiles "$_op" "$M/scale/c$_i" $((NFILES / _n)) $_size &
    _pids="$_pids $!"; _i=$((_i + 1))
  done
  _rc=0
  for _p in $_pids; do wait "$_p" || _rc=1; done
  return $_rc
}
for n in $CLIENTS; do
  rm -rf "$M/scale"; mkdir "$M/scale" || exit 11
  i=0; while [ $i -lt "$n" ]; do mkdir "$M/scale/c$i" || exit 11; i=$((i + 1)); done
  drop; kcv_time "scale-$n-create" phase "$n" create "$FSIZE" || exit 12
  drop; kcv_time "scale-$n-stat" phase "$n" stat || exit 13
  drop; kcv_time "scale-$n-read" phase "$n" read "$FSIZE" || exit 14
  drop; kcv_time "scale-$n-remove" phase "$n" remove || exit 15
  rm -rf "$M/scale"
done
cd / && umount "$M" || { echo "KCV-CHECK: umount FAIL"; exit 25; }
exit 0
