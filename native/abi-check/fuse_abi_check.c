/*
 * fuse_abi_check: prints, one "name=value" per line, the C layout of every linux/fuse.h struct and the
 * value of every constant that src/Gateway.Fuse declares by hand (Abi/FuseStructs.cs, Abi/FuseFlags.cs,
 * Native/FuseNative.cs). tests/Gateway.Fuse.Tests/Protocol/FuseAbiTests.cs builds it (make fuse), runs
 * it and compares every line with the C# side. Same format as abi_check.c.
 *
 * The installed header may be older than the kernel (Debian's is 7.38; passthrough came in 7.40). For
 * the few 7.40+ fields the mirrors use, the check prints the offset of the older header's field that
 * occupies the same bytes (fuse_open_out.padding became backing_id, fuse_init_out.unused[0] became
 * max_stack_depth), and declares struct fuse_backing_map as 7.40 documents it when the header lacks it.
 */
#define _GNU_SOURCE
#include <linux/fuse.h>
#include <linux/ioctl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>

#include <linux/stat.h>

#if FUSE_KERNEL_MINOR_VERSION < 39
/* 7.39 (FUSE_STATX): fuse_statx is struct statx bit for bit, so its layout is checked through struct
 * statx below; the in/out wrappers are declared here as 7.39 documents them. */
struct fuse_statx_in {
    uint32_t getattr_flags;
    uint32_t reserved;
    uint64_t fh;
    uint32_t sx_flags;
    uint32_t sx_mask;
};
struct fuse_statx_out {
    uint64_t attr_valid;
    uint32_t attr_valid_nsec;
    uint32_t flags;
    uint64_t spare[2];
    struct statx stat;
};
#define FUSE_STATX_STRUCT statx
#else
#define FUSE_STATX_STRUCT fuse_statx
#endif

#if FUSE_KERNEL_MINOR_VERSION < 40
struct fuse_backing_map {
    int32_t fd;
    uint32_t flags;
    uint64_t padding;
};
#define FUSE_PASSTHROUGH (1ULL << 37)
#define FOPEN_PASSTHROUGH (1 << 7)
#define FUSE_DEV_IOC_BACKING_OPEN _IOW(FUSE_DEV_IOC_MAGIC, 1, struct fuse_backing_map)
#define FUSE_DEV_IOC_BACKING_CLOSE _IOW(FUSE_DEV_IOC_MAGIC, 2, uint32_t)
#define OPEN_OUT_BACKING_ID padding
#define INIT_OUT_MAX_STACK_DEPTH unused[0]
#else
#define OPEN_OUT_BACKING_ID backing_id
#define INIT_OUT_MAX_STACK_DEPTH max_stack_depth
#endif

#define SIZE(s) printf("sizeof.%s=%zu\n", #s, sizeof(struct s))
#define FIELD(s, f)                                                          \
    do {                                                                     \
        printf("offsetof.%s.%s=%zu\n", #s, #f, offsetof(struct s, f));       \
        printf("sizeof.%s.%s=%zu\n", #s, #f, sizeof(((struct s *)0)->f));    \
    } while (0)
/* A field known by another name in an older header: printed under its new name. */
#define FIELD_AS(s, f, name)                                                   \
    do {                                                                       \
        printf("offsetof.%s.%s=%zu\n", #s, name, offsetof(struct s, f));       \
        printf("sizeof.%s.%s=%zu\n", #s, name, sizeof(((struct s *)0)->f));    \
    } while (0)
#define CONST(c) printf("%s=%lld\n", #c, (long long)(c))

int main(void)
{
    printf("header.minor=%d\n", FUSE_KERNEL_MINOR_VERSION);

    SIZE(fuse_in_header);
    FIELD(fuse_in_header, len); FIELD(fuse_in_header, opcode); FIELD(fuse_in_header, unique);
    FIELD(fuse_in_header, nodeid); FIELD(fuse_in_header, uid); FIELD(fuse_in_header, gid);
    FIELD(fuse_in_header, pid); FIELD(fuse_in_header, total_extlen); FIELD(fuse_in_header, padding);

    SIZE(fuse_out_header);
    FIELD(fuse_out_header, len); FIELD(fuse_out_header, error); FIELD(fuse_out_header, unique);

    SIZE(fuse_attr);
    FIELD(fuse_attr, ino); FIELD(fuse_attr, size); FIELD(fuse_attr, blocks); FIELD(fuse_attr, atime);
    FIELD(fuse_attr, mtime); FIELD(fuse_attr, ctime); FIELD(fuse_attr, atimensec); FIELD(fuse_attr, mtimensec);
    FIELD(fuse_attr, ctimensec); FIELD(fuse_attr, mode); FIELD(fuse_attr, nlink); FIELD(fuse_attr, uid);
    FIELD(fuse_attr, gid); FIELD(fuse_attr, rdev); FIELD(fuse_attr, blksize); FIELD(fuse_attr, flags);

    SIZE(fuse_entry_out);
    FIELD(fuse_entry_out, nodeid); FIELD(fuse_entry_out, generation); FIELD(fuse_entry_out, entry_valid);
    FIELD(fuse_entry_out, attr_valid); FIELD(fuse_entry_out, entry_valid_nsec); FIELD(fuse_entry_out, attr_valid_nsec);
    FIELD(fuse_entry_out, attr);

    SIZE(fuse_attr_out);
    FIELD(fuse_attr_out, attr_valid); FIELD(fuse_attr_out, attr_valid_nsec); FIELD(fuse_attr_out, dummy); FIELD(fuse_attr_out, attr);

    FIELD(fuse_init_in, major); FIELD(fuse_init_in, minor); FIELD(fuse_init_in, max_readahead);
    FIELD(fuse_init_in, flags); FIELD(fuse_init_in, flags2);

    SIZE(fuse_init_out);
    FIELD(fuse_init_out, major); FIELD(fuse_init_out, minor); FIELD(fuse_init_out, max_readahead);
    FIELD(fuse_init_out, flags); FIELD(fuse_init_out, max_background); FIELD(fuse_init_out, congestion_threshold);
    FIELD(fuse_init_out, max_write); FIELD(fuse_init_out, time_gran); FIELD(fuse_init_out, max_pages);
    FIELD(fuse_init_out, map_alignment); FIELD(fuse_init_out, flags2);
    FIELD_AS(fuse_init_out, INIT_OUT_MAX_STACK_DEPTH, "max_stack_depth");

    SIZE(fuse_forget_in); FIELD(fuse_forget_in, nlookup);
    SIZE(fuse_forget_one); FIELD(fuse_forget_one, nodeid); FIELD(fuse_forget_one, nlookup);
    SIZE(fuse_batch_forget_in); FIELD(fuse_batch_forget_in, count); FIELD(fuse_batch_forget_in, dummy);
    SIZE(fuse_getattr_in); FIELD(fuse_getattr_in, getattr_flags); FIELD(fuse_getattr_in, dummy); FIELD(fuse_getattr_in, fh);

    SIZE(fuse_setattr_in);
    FIELD(fuse_setattr_in, valid); FIELD(fuse_setattr_in, padding); FIELD(fuse_setattr_in, fh); FIELD(fuse_setattr_in, size);
    FIELD(fuse_setattr_in, lock_owner); FIELD(fuse_setattr_in, atime); FIELD(fuse_setattr_in, mtime); FIELD(fuse_setattr_in, ctime);
    FIELD(fuse_setattr_in, atimensec); FIELD(fuse_setattr_in, mtimensec); FIELD(fuse_setattr_in, ctimensec); FIELD(fuse_setattr_in, mode);
    FIELD(fuse_setattr_in, unused4); FIELD(fuse_setattr_in, uid); FIELD(fuse_setattr_in, gid); FIELD(fuse_setattr_in, unused5);

    SIZE(fuse_mknod_in); FIELD(fuse_mknod_in, mode); FIELD(fuse_mknod_in, rdev); FIELD(fuse_mknod_in, umask); FIELD(fuse_mknod_in, padding);
    SIZE(fuse_mkdir_in); FIELD(fuse_mkdir_in, mode); FIELD(fuse_mkdir_in, umask);
    SIZE(fuse_rename_in); FIELD(fuse_rename_in, newdir);
    SIZE(fuse_rename2_in); FIELD(fuse_rename2_in, newdir); FIELD(fuse_rename2_in, flags); FIELD(fuse_rename2_in, padding);
    SIZE(fuse_link_in); FIELD(fuse_link_in, oldnodeid);
    SIZE(fuse_open_in); FIELD(fuse_open_in, flags); FIELD(fuse_open_in, open_flags);
    SIZE(fuse_create_in); FIELD(fuse_create_in, flags); FIELD(fuse_create_in, mode); FIELD(fuse_create_in, umask); FIELD(fuse_create_in, open_flags);
    SIZE(fuse_open_out); FIELD(fuse_open_out, fh); FIELD(fuse_open_out, open_flags); FIELD_AS(fuse_open_out, OPEN_OUT_BACKING_ID, "backing_id");
    SIZE(fuse_release_in); FIELD(fuse_release_in, fh); FIELD(fuse_release_in, flags); FIELD(fuse_release_in, release_flags); FIELD(fuse_release_in, lock_owner);
    SIZE(fuse_flush_in); FIELD(fuse_flush_in, fh); FIELD(fuse_flush_in, unused); FIELD(fuse_flush_in, padding); FIELD(fuse_flush_in, lock_owner);
    SIZE(fuse_read_in); FIELD(fuse_read_in, fh); FIELD(fuse_read_in, offset); FIELD(fuse_read_in, size); FIELD(fuse_read_in, read_flags);
    FIELD(fuse_read_in, lock_owner); FIELD(fuse_read_in, flags); FIELD(fuse_read_in, padding);
    SIZE(fuse_write_in); FIELD(fuse_write_in, fh); FIELD(fuse_write_in, offset); FIELD(fuse_write_in, size); FIELD(fuse_write_in, write_flags);
    FIELD(fuse_write_in, lock_owner); FIELD(fuse_write_in, flags); FIELD(fuse_write_in, padding);
    SIZE(fuse_write_out); FIELD(fuse_write_out, size); FIELD(fuse_write_out, padding);
    SIZE(fuse_kstatfs); FIELD(fuse_kstatfs, blocks); FIELD(fuse_kstatfs, bfree); FIELD(fuse_kstatfs, bavail); FIELD(fuse_kstatfs, files);
    FIELD(fuse_kstatfs, ffree); FIELD(fuse_kstatfs, bsize); FIELD(fuse_kstatfs, namelen); FIELD(fuse_kstatfs, frsize); FIELD(fuse_kstatfs, padding);
    SIZE(fuse_fsync_in); FIELD(fuse_fsync_in, fh); FIELD(fuse_fsync_in, fsync_flags); FIELD(fuse_fsync_in, padding);
    CONST(FUSE_COMPAT_SETXATTR_IN_SIZE); FIELD(fuse_setxattr_in, size); FIELD(fuse_setxattr_in, flags);
    SIZE(fuse_getxattr_in); FIELD(fuse_getxattr_in, size); FIELD(fuse_getxattr_in, padding);
    SIZE(fuse_getxattr_out); FIELD(fuse_getxattr_out, size); FIELD(fuse_getxattr_out, padding);
    SIZE(fuse_file_lock); FIELD(fuse_file_lock, start); FIELD(fuse_file_lock, end); FIELD(fuse_file_lock, type); FIELD(fuse_file_lock, pid);
    SIZE(fuse_lk_in); FIELD(fuse_lk_in, fh); FIELD(fuse_lk_in, owner); FIELD(fuse_lk_in, lk); FIELD(fuse_lk_in, lk_flags); FIELD(fuse_lk_in, padding);
    SIZE(fuse_access_in); FIELD(fuse_access_in, mask); FIELD(fuse_access_in, padding);
    SIZE(fuse_interrupt_in); FIELD(fuse_interrupt_in, unique);
    SIZE(fuse_fallocate_in); FIELD(fuse_fallocate_in, fh); FIELD(fuse_fallocate_in, offset); FIELD(fuse_fallocate_in, length);
    FIELD(fuse_fallocate_in, mode); FIELD(fuse_fallocate_in, padding);
    SIZE(fuse_lseek_in); FIELD(fuse_lseek_in, fh); FIELD(fuse_lseek_in, offset); FIELD(fuse_lseek_in, whence); FIELD(fuse_lseek_in, padding);
    SIZE(fuse_lseek_out); FIELD(fuse_lseek_out, offset);
    SIZE(fuse_copy_file_range_in); FIELD(fuse_copy_file_range_in, fh_in); FIELD(fuse_copy_file_range_in, off_in);
    FIELD(fuse_copy_file_range_in, nodeid_out); FIELD(fuse_copy_file_range_in, fh_out); FIELD(fuse_copy_file_range_in, off_out);
    FIELD(fuse_copy_file_range_in, len); FIELD(fuse_copy_file_range_in, flags);
    FIELD(fuse_dirent, ino); FIELD(fuse_dirent, off); FIELD(fuse_dirent, namelen); FIELD(fuse_dirent, type);
    printf("offsetof.fuse_dirent.name=%zu\n", offsetof(struct fuse_dirent, name));
    printf("offsetof.fuse_direntplus.dirent=%zu\n", offsetof(struct fuse_direntplus, dirent));
    SIZE(fuse_notify_inval_inode_out); FIELD(fuse_notify_inval_inode_out, ino); FIELD(fuse_notify_inval_inode_out, off); FIELD(fuse_notify_inval_inode_out, len);
    SIZE(fuse_notify_inval_entry_out); FIELD(fuse_notify_inval_entry_out, parent); FIELD(fuse_notify_inval_entry_out, namelen); FIELD(fuse_notify_inval_entry_out, flags);
    SIZE(fuse_notify_delete_out); FIELD(fuse_notify_delete_out, parent); FIELD(fuse_notify_delete_out, child);
    FIELD(fuse_notify_delete_out, namelen); FIELD(fuse_notify_delete_out, padding);
    SIZE(fuse_backing_map); FIELD(fuse_backing_map, fd); FIELD(fuse_backing_map, flags); FIELD(fuse_backing_map, padding);

    printf("sizeof.fuse_statx=%zu\n", sizeof(struct FUSE_STATX_STRUCT));
/* fuse_statx is struct statx bit for bit (fuse.h says so): its fields are read off struct statx. */
#define SX(f, name)                                                                          \
    do {                                                                                     \
        printf("offsetof.fuse_statx.%s=%zu\n", name, offsetof(struct statx, f));             \
        printf("sizeof.fuse_statx.%s=%zu\n", name, sizeof(((struct statx *)0)->f));          \
    } while (0)
    SX(stx_mask, "mask"); SX(stx_blksize, "blksize"); SX(stx_attributes, "attributes"); SX(stx_nlink, "nlink");
    SX(stx_uid, "uid"); SX(stx_gid, "gid"); SX(stx_mode, "mode"); SX(__spare0, "__spare0"); SX(stx_ino, "ino");
    SX(stx_size, "size"); SX(stx_blocks, "blocks"); SX(stx_attributes_mask, "attributes_mask");
    SX(stx_atime, "atime"); SX(stx_btime, "btime"); SX(stx_ctime, "ctime"); SX(stx_mtime, "mtime");
    SX(stx_rdev_major, "rdev_major"); SX(stx_rdev_minor, "rdev_minor"); SX(stx_dev_major, "dev_major"); SX(stx_dev_minor, "dev_minor");
    printf("sizeof.fuse_sx_time=%zu\n", sizeof(struct statx_timestamp));
#define SXT(f, name)                                                                                 \
    do {                                                                                             \
        printf("offsetof.fuse_sx_time.%s=%zu\n", name, offsetof(struct statx_timestamp, f));         \
        printf("sizeof.fuse_sx_time.%s=%zu\n", name, sizeof(((struct statx_timestamp *)0)->f));      \
    } while (0)
    SXT(tv_sec, "tv_sec"); SXT(tv_nsec, "tv_nsec"); SXT(__reserved, "__reserved");
    SIZE(fuse_statx_in); FIELD(fuse_statx_in, getattr_flags); FIELD(fuse_statx_in, reserved); FIELD(fuse_statx_in, fh);
    FIELD(fuse_statx_in, sx_flags); FIELD(fuse_statx_in, sx_mask);
    SIZE(fuse_statx_out); FIELD(fuse_statx_out, attr_valid); FIELD(fuse_statx_out, attr_valid_nsec); FIELD(fuse_statx_out, flags);
    FIELD(fuse_statx_out, spare); FIELD(fuse_statx_out, stat);
    CONST(STATX_BASIC_STATS); CONST(STATX_BTIME);
    CONST(EPOLL_CLOEXEC); CONST(EPOLL_CTL_ADD); CONST(EPOLLIN); CONST(EPOLLEXCLUSIVE);

    SIZE(iovec); FIELD(iovec, iov_base); FIELD(iovec, iov_len);
    SIZE(pollfd); FIELD(pollfd, fd); FIELD(pollfd, events); FIELD(pollfd, revents);
    SIZE(msghdr); FIELD(msghdr, msg_name); FIELD(msghdr, msg_namelen); FIELD(msghdr, msg_iov); FIELD(msghdr, msg_iovlen);
    FIELD(msghdr, msg_control); FIELD(msghdr, msg_controllen); FIELD(msghdr, msg_flags);
    SIZE(cmsghdr); FIELD(cmsghdr, cmsg_len); FIELD(cmsghdr, cmsg_level); FIELD(cmsghdr, cmsg_type);
    printf("CMSG_DATA_OFFSET=%zu\n", (size_t)CMSG_LEN(0));

    CONST(FUSE_KERNEL_VERSION); CONST(FUSE_ROOT_ID); CONST(FUSE_MIN_READ_BUFFER);
    CONST(FUSE_ASYNC_READ); CONST(FUSE_POSIX_LOCKS); CONST(FUSE_ATOMIC_O_TRUNC); CONST(FUSE_EXPORT_SUPPORT);
    CONST(FUSE_BIG_WRITES); CONST(FUSE_DONT_MASK); CONST(FUSE_FLOCK_LOCKS); CONST(FUSE_AUTO_INVAL_DATA);
    CONST(FUSE_DO_READDIRPLUS); CONST(FUSE_READDIRPLUS_AUTO); CONST(FUSE_ASYNC_DIO); CONST(FUSE_WRITEBACK_CACHE);
    CONST(FUSE_PARALLEL_DIROPS); CONST(FUSE_ABORT_ERROR); CONST(FUSE_MAX_PAGES); CONST(FUSE_EXPLICIT_INVAL_DATA);
    CONST(FUSE_INIT_EXT); CONST(FUSE_HAS_EXPIRE_ONLY); CONST(FUSE_PASSTHROUGH);
    CONST(FATTR_MODE); CONST(FATTR_UID); CONST(FATTR_GID); CONST(FATTR_SIZE); CONST(FATTR_ATIME); CONST(FATTR_MTIME);
    CONST(FATTR_FH); CONST(FATTR_ATIME_NOW); CONST(FATTR_MTIME_NOW); CONST(FATTR_LOCKOWNER); CONST(FATTR_CTIME); CONST(FATTR_KILL_SUIDGID);
    CONST(FOPEN_DIRECT_IO); CONST(FOPEN_KEEP_CACHE); CONST(FOPEN_PASSTHROUGH);
    CONST(FUSE_GETATTR_FH); CONST(FUSE_LK_FLOCK); CONST(FUSE_RELEASE_FLUSH); CONST(FUSE_RELEASE_FLOCK_UNLOCK); CONST(FUSE_FSYNC_FDATASYNC);
    CONST(FUSE_DEV_IOC_CLONE); CONST(FUSE_DEV_IOC_BACKING_OPEN); CONST(FUSE_DEV_IOC_BACKING_CLOSE);
    CONST(F_RDLCK); CONST(F_WRLCK); CONST(F_UNLCK);
    CONST(RENAME_NOREPLACE); CONST(RENAME_EXCHANGE); CONST(RENAME_WHITEOUT);
    CONST(XATTR_CREATE); CONST(XATTR_REPLACE);
    CONST(FALLOC_FL_KEEP_SIZE); CONST(FALLOC_FL_PUNCH_HOLE); CONST(FALLOC_FL_ZERO_RANGE);

    CONST(O_RDWR); CONST(O_NONBLOCK); CONST(O_CLOEXEC);
    CONST(MS_RDONLY); CONST(MS_NOSUID); CONST(MS_NODEV); CONST(MNT_FORCE); CONST(MNT_DETACH);
    CONST(AF_UNIX); CONST(SOCK_STREAM); CONST(SOL_SOCKET); CONST(SCM_RIGHTS);
    CONST(F_GETFD); CONST(F_SETFD); CONST(FD_CLOEXEC); CONST(POLLIN);
    return 0;
}
