namespace Gateway.Nfs.Nlm;

// The Open Group XNFS (C702), chapter 10 "Network Lock Manager Protocol", version 4 (the one that
// goes with NFSv3: 64-bit offsets, nlm4_stats with ROFS/STALE_FH/FBIG/FAILED). Program 100021.
public static class Nlm4
{
    public const uint Program = 100021;
    public const uint Version = 4;

    // const LM_MAXSTRLEN = 1024; MAXNAMELEN = LM_MAXSTRLEN + 1: caller_name and nlm4_notify.name.
    public const int MaxNameLength = 1025;

    // netobj is opaque<MAXNETOBJ_SZ>, MAXNETOBJ_SZ = 1024: cookie, fh, oh.
    public const int MaxNetobjLength = 1024;
}

// XDR "program NLM_PROG { version NLM4_VERS { ... } = 4; } = 100021;" procedure numbers.
public enum Nlm4Procedure : uint
{
    NULL = 0,
    TEST = 1,
    LOCK = 2,
    CANCEL = 3,
    UNLOCK = 4,
    GRANTED = 5,
    TEST_MSG = 6,
    LOCK_MSG = 7,
    CANCEL_MSG = 8,
    UNLOCK_MSG = 9,
    GRANTED_MSG = 10,
    TEST_RES = 11,
    LOCK_RES = 12,
    CANCEL_RES = 13,
    UNLOCK_RES = 14,
    GRANTED_RES = 15,
    SHARE = 20,
    UNSHARE = 21,
    NM_LOCK = 22,
    FREE_ALL = 23,
}

//   enum nlm4_stats {
//       NLM4_GRANTED = 0, NLM4_DENIED = 1, NLM4_DENIED_NOLOCKS = 2, NLM4_BLOCKED = 3,
//       NLM4_DENIED_GRACE_PERIOD = 4, NLM4_DEADLCK = 5, NLM4_ROFS = 6, NLM4_STALE_FH = 7,
//       NLM4_FBIG = 8, NLM4_FAILED = 9
//   };
public enum Nlm4Stat : uint
{
    NLM4_GRANTED = 0,
    NLM4_DENIED = 1,
    NLM4_DENIED_NOLOCKS = 2,
    NLM4_BLOCKED = 3,
    NLM4_DENIED_GRACE_PERIOD = 4,
    NLM4_DEADLCK = 5,
    NLM4_ROFS = 6,
    NLM4_STALE_FH = 7,
    NLM4_FBIG = 8,
    NLM4_FAILED = 9,
}
