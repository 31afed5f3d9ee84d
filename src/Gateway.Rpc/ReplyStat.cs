namespace Gateway.Rpc;

// RFC 5531 §9: enum reply_stat { MSG_ACCEPTED = 0, MSG_DENIED = 1 };
public enum ReplyStat : uint
{
    MSG_ACCEPTED = 0,
    MSG_DENIED = 1,
}
