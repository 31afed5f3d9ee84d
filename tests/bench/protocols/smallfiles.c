/* smallfiles - one phase of the small-file workload, run in the kernel-client guest (static binary).
 *
 *   smallfiles create DIR N SIZE   open(O_CREAT|O_EXCL) + write SIZE bytes + close, files DIR/f0..f(N-1)
 *   smallfiles stat   DIR N        stat() each file
 *   smallfiles read   DIR N SIZE   open + read to EOF + close each file, checks the size
 *   smallfiles remove DIR N        unlink() each file
 *
 * One process per phase, so the guest's busybox forks nothing per file and the time is the kernel NFS
 * client and the server. Exits 0 when every file went as expected, 1 on the first failure (and says which).
 * Build: gcc -O2 -static -o smallfiles smallfiles.c
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what, const char *path) {
    fprintf(stderr, "smallfiles: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: smallfiles create|stat|read|remove DIR N [SIZE]\n");
        return 2;
    }
    const char *op = argv[1], *dir = argv[2];
    long n = atol(argv[3]);
    long size = argc > 4 ? atol(argv[4]) : 0;
    static char buf[1 << 16];
    char path[4096];
    for (long i = 0; i < (long)sizeof buf; i++) buf[i] = (char)('a' + i % 26);
    if (size > (long)sizeof buf) size = sizeof buf;

    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%ld", dir, i);
        if (strcmp(op, "create") == 0) {
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0) fail("create", path);
            if (size > 0 && write(fd, buf, size) != size) fail("write", path);
            if (close(fd) != 0) fail("close", path);
        } else if (strcmp(op, "stat") == 0) {
            struct stat st;
            if (stat(path, &st) != 0) fail("stat", path);
        } else if (strcmp(op, "read") == 0) {
            int fd = open(path, O_RDONLY);
            if (fd < 0) fail("open", path);
            long total = 0;
            ssize_t r;
            while ((r = read(fd, buf, sizeof buf)) > 0) total += r;
            if (r < 0) fail("read", path);
            close(fd);
            if (total != size) { errno = EIO; fail("short read", path); }
        } else if (strcmp(op, "remove") == 0) {
            if (unlink(path) != 0) fail("unlink", path);
        } else {
            fprintf(stderr, "smallfiles: unknown phase %s\n", op);
            return 2;
        }
    }
    return 0;
}
