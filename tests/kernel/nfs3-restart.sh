# The kernel client keeps working across a gateway restart: same handles, no ESTALE.
# Env: NFS_PORT, EXPORT. The host restarts the gateway when it reads "RESTART" on the --out channel.
M=/mnt/n
kcv_mount_nfs3 "$NFS_PORT" "$NFS_PORT" "$EXPORT" "$M" || exit 100
mkdir $M/keep && echo before > $M/keep/f || exit 101
ls -l $M/keep > /dev/null
exec 3<$M/keep/f
echo RESTART | kcv_out
# The host restarts the gateway meanwhile; a hard mount retries until it is back.
sleep 12
[ "$(cat $M/keep/f)" = before ] || { echo "KCV-CHECK: read_after_restart FAIL"; exit 1; }
echo "KCV-CHECK: read_after_restart ok"
[ "$(cat <&3)" = before ] || { echo "KCV-CHECK: open_file_after_restart FAIL"; exit 2; }
echo "KCV-CHECK: open_file_after_restart ok"
echo after > $M/keep/g || { echo "KCV-CHECK: create_after_restart FAIL"; exit 3; }
[ "$(ls $M/keep | wc -l)" = 2 ] || { echo "KCV-CHECK: list_after_restart FAIL"; exit 4; }
echo "KCV-CHECK: create_and_list_after_restart ok"
exec 3<&-
umount $M || exit 5
exit 0
