/*
 * abi_check: prints, one "name=value" per line, the C layout of every kernel/libc struct and the value
 * of every constant that src/Gateway.Vfs declares by hand (Native/LibC*.cs, Native/StatxBuffer.cs,
 * Local/ExternalChangeWatcher.cs, Local/DirectoryReader.cs). tests/Gateway.Vfs.Tests/Native/
 * AbiLayoutTests.cs builds it, runs it and compares every line with the C# side.
 *
 *   sizeof.<struct>=N            sizeof(struct <struct>)
 *   offsetof.<struct>.<field>=N  offsetof(struct <struct>, <field>)
 *   sizeof.<struct>.<field>=N    size of that field (absent for flexible array members)
 *   <CONSTANT>=N                 value of a macro, in decimal
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

/* getdents64(2) documents this record but no header declares it for user space. */
struct linux_dirent64 {
    uint64_t d_ino;          /* 64-bit inode number */
    int64_t d_off;           /* offset to the next entry */
    unsigned short d_reclen; /* size of this record */
    unsigned char d_type;    /* file type */
    char d_name[];           /* NUL-terminated file name */
};

#define SIZE(s) printf("sizeof.%s=%zu\n", #s, sizeof(struct s))
#define FIELD(s, f)                                                          \
    do {                                                                     \
        printf("offsetof.%s.%s=%zu\n", #s, #f, offsetof(struct s, f));       \
        printf("sizeof.%s.%s=%zu\n", #s, #f, sizeof(((struct s *)0)->f));    \
    } while (0)
#define FLEX(s, f) printf("offsetof.%s.%s=%zu\n", #s, #f, offsetof(struct s, f))
#define CONST(c) printf("%s=%lld\n", #c, (long long)(c))

int main(void)
{
    SIZE(statx);
    FIELD(statx, stx_mask);
    FIELD(statx, stx_blksize);
    FIELD(statx, stx_attributes);
    FIELD(statx, stx_nlink);
    FIELD(statx, stx_uid);
    FIELD(statx, stx_gid);
    FIELD(statx, stx_mode);
    FIELD(statx, stx_ino);
    FIELD(statx, stx_size);
    FIELD(statx, stx_blocks);
    FIELD(statx, stx_attributes_mask);
    FIELD(statx, stx_atime);
    FIELD(statx, stx_btime);
    FIELD(statx, stx_ctime);
    FIELD(statx, stx_mtime);
    FIELD(statx, stx_rdev_major);
    FIELD(statx, stx_rdev_minor);
    FIELD(statx, stx_dev_major);
    FIELD(statx, stx_dev_minor);

    SIZE(statx_timestamp);
    FIELD(statx_timestamp, tv_sec);
    FIELD(statx_timestamp, tv_nsec);
    FIELD(statx_timestamp, __reserved);

    SIZE(statfs);
    FIELD(statfs, f_type);
    FIELD(statfs, f_bsize);
    FIELD(statfs, f_blocks);
    FIELD(statfs, f_bfree);
    FIELD(statfs, f_bavail);
    FIELD(statfs, f_files);
    FIELD(statfs, f_ffree);
    FIELD(statfs, f_fsid);
    FIELD(statfs, f_namelen);
    FIELD(statfs, f_frsize);
    FIELD(statfs, f_flags);

    SIZE(open_how);
    FIELD(open_how, flags);
    FIELD(open_how, mode);
    FIELD(open_how, resolve);

    SIZE(timespec);
    FIELD(timespec, tv_sec);
    FIELD(timespec, tv_nsec);

    SIZE(pollfd);
    FIELD(pollfd, fd);
    FIELD(pollfd, events);
    FIELD(pollfd, revents);

    SIZE(inotify_event);
    FIELD(inotify_event, wd);
    FIELD(inotify_event, mask);
    FIELD(inotify_event, cookie);
    FIELD(inotify_event, len);
    FLEX(inotify_event, name);

    SIZE(linux_dirent64);
    FIELD(linux_dirent64, d_ino);
    FIELD(linux_dirent64, d_off);
    FIELD(linux_dirent64, d_reclen);
    FIELD(linux_dirent64, d_type);
    FLEX(linux_dirent64, d_name);

    CONST(AT_FDCWD);
    CONST(AT_SYMLINK_NOFOLLOW);
    CONST(AT_REMOVEDIR);
    CONST(AT_SYMLINK_FOLLOW);
    CONST(AT_EMPTY_PATH);
    CONST(AT_STATX_SYNC_AS_STAT);

    CONST(O_RDONLY);
    CONST(O_WRONLY);
    CONST(O_RDWR);
    CONST(O_CREAT);
    CONST(O_EXCL);
    CONST(O_NOCTTY);
    CONST(O_TRUNC);
    CONST(O_NONBLOCK);
    CONST(O_DIRECTORY);
    CONST(O_NOFOLLOW);
    CONST(O_CLOEXEC);
    CONST(O_PATH);

    CONST(RESOLVE_NO_XDEV);
    CONST(RESOLVE_NO_MAGICLINKS);
    CONST(RESOLVE_NO_SYMLINKS);
    CONST(RESOLVE_BENEATH);

    CONST(RENAME_NOREPLACE);
    CONST(RENAME_EXCHANGE);

    CONST(S_IFMT);
    CONST(S_IFSOCK);
    CONST(S_IFLNK);
    CONST(S_IFREG);
    CONST(S_IFBLK);
    CONST(S_IFDIR);
    CONST(S_IFCHR);
    CONST(S_IFIFO);

    CONST(STATX_BASIC_STATS);
    CONST(STATX_BTIME);

    CONST(UTIME_NOW);
    CONST(UTIME_OMIT);

    CONST(SYS_openat2);
    CONST(SYS_getdents64);

    CONST(IN_MODIFY);
    CONST(IN_ATTRIB);
    CONST(IN_CLOSE_WRITE);
    CONST(IN_MOVED_FROM);
    CONST(IN_MOVED_TO);
    CONST(IN_CREATE);
    CONST(IN_DELETE);
    CONST(IN_DELETE_SELF);
    CONST(IN_Q_OVERFLOW);
    CONST(IN_IGNORED);
    CONST(IN_ONLYDIR);
    CONST(IN_EXCL_UNLINK);
    CONST(IN_NONBLOCK);
    CONST(IN_CLOEXEC);

    CONST(POLLIN);

    CONST(SEEK_DATA);
    CONST(SEEK_HOLE);
    CONST(FALLOC_FL_KEEP_SIZE);
    CONST(FALLOC_FL_PUNCH_HOLE);
    CONST(FALLOC_FL_ZERO_RANGE);
    return 0;
}
