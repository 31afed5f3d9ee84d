#!/usr/bin/python3
"""A second, independent SMB client: impacket's SMBConnection (Debian's python3-impacket, run with
/usr/bin/python3) against an SMB server, in one dialect.

  impacket_smoke.py HOST PORT SHARE USER PASSWORD DIALECT(2.0.2|2.1|3.0|3.1.1) WORKDIR

(impacket 0.10's SMB 3.1.1 is incomplete: against Samba 4.17 its TREE_CONNECT to IPC$ gets
STATUS_ACCESS_DENIED, so the tests use 2.0.2, 2.1 and 3.0; 3.1.1 stays selectable by hand.)

login, listShares (the share and IPC$), createDirectory, putFile/getFile of 10 MiB (seeded, sha256 compared),
rename, listPath, deleteFile, deleteDirectory, a wrong password refused. Prints one "ok <step>" line per
step; on the first mismatch prints "FAIL <step>: <why>" and exits 1 (2 on usage errors)."""
import hashlib
import os
import random
import sys

from impacket import smb3structs
from impacket.smbconnection import SMBConnection, SessionError

DIALECTS = {"2.0.2": smb3structs.SMB2_DIALECT_002, "2.1": smb3structs.SMB2_DIALECT_21,
            "3.0": smb3structs.SMB2_DIALECT_30, "3.1.1": smb3structs.SMB2_DIALECT_311}
SIZE = 10 << 20


def fail(step, why):
    print(f"FAIL {step}: {why}", flush=True)
    sys.exit(1)


def main():
    if len(sys.argv) != 8 or sys.argv[6] not in DIALECTS:
        print(__doc__, file=sys.stderr)
        return 2
    host, port, share, user, password, dialect_name, work = sys.argv[1:8]
    port, dialect = int(port), DIALECTS[dialect_name]
    top = f"imp_{dialect_name.replace('.', '')}"

    def connect():
        return SMBConnection(host, host, sess_port=port, preferredDialect=dialect, timeout=60)

    try:
        conn = connect()
    except Exception as e:  # noqa: BLE001 - any failure to connect is the test's failure
        fail("negotiate", repr(e))
    if conn.getDialect() != dialect:
        fail("negotiate", f"dialect 0x{conn.getDialect():04x}, asked for 0x{dialect:04x}")
    print(f"ok negotiate 0x{dialect:04x}", flush=True)

    try:
        conn.login(user, password)
    except SessionError as e:
        fail("login", str(e))
    print("ok login", flush=True)

    shares = {s["shi1_netname"][:-1] for s in conn.listShares()}
    if share not in shares or "IPC$" not in shares:
        fail("listShares", f"got {sorted(shares)}, want {share} and IPC$")
    print("ok listShares " + " ".join(sorted(shares)), flush=True)

    conn.createDirectory(share, top)
    conn.createDirectory(share, f"{top}\\sub")
    print("ok createDirectory", flush=True)

    data = random.Random(20261124).randbytes(SIZE)
    want = hashlib.sha256(data).hexdigest()
    src = os.path.join(work, f"{top}.src")
    with open(src, "wb") as f:
        f.write(data)
    with open(src, "rb") as f:
        conn.putFile(share, f"{top}\\big.bin", f.read)
    print("ok putFile", flush=True)

    back = os.path.join(work, f"{top}.back")
    with open(back, "wb") as f:
        conn.getFile(share, f"{top}\\big.bin", f.write)
    with open(back, "rb") as f:
        got = hashlib.sha256(f.read()).hexdigest()
    if got != want:
        fail("getFile", f"sha256 {got}, want {want}")
    print("ok getFile sha256 " + got, flush=True)

    conn.rename(share, f"{top}\\big.bin", f"{top}\\sub\\renamed.bin")
    names = {e.get_longname(): e for e in conn.listPath(share, f"{top}\\sub\\*")}
    if "renamed.bin" not in names or names["renamed.bin"].get_filesize() != SIZE:
        fail("rename", f"listPath of sub: {sorted(names)}")
    if "big.bin" in {e.get_longname() for e in conn.listPath(share, f"{top}\\*")}:
        fail("rename", "big.bin still listed after the rename")
    print("ok rename+listPath", flush=True)

    conn.deleteFile(share, f"{top}\\sub\\renamed.bin")
    try:
        conn.listPath(share, f"{top}\\sub\\renamed.bin")
        fail("deleteFile", "renamed.bin still there")
    except SessionError as e:
        if "STATUS_NO_SUCH_FILE" not in str(e) and "STATUS_OBJECT_NAME_NOT_FOUND" not in str(e):
            fail("deleteFile", f"listing the deleted file: {e}")
    conn.deleteDirectory(share, f"{top}\\sub")
    conn.deleteDirectory(share, top)
    if top in {e.get_longname() for e in conn.listPath(share, "*")}:
        fail("deleteDirectory", f"{top} still listed")
    print("ok deleteFile+deleteDirectory", flush=True)
    conn.logoff()

    bad = connect()
    try:
        bad.login(user, password + "x")
        fail("wrong-password", "login with a wrong password succeeded")
    except SessionError as e:
        if "STATUS_LOGON_FAILURE" not in str(e):
            fail("wrong-password", f"expected STATUS_LOGON_FAILURE, got {e}")
    print("ok wrong-password", flush=True)
    print("IMPACKET-SMOKE: OK", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - an SMB error anywhere is the check's failure, said in one line
        print(f"FAIL exception: {type(e).__name__}: {e}", flush=True)
        raise
