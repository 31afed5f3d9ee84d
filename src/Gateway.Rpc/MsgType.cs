namespace Gateway.Rpc;

// RFC 5531 §9: enum msg_type { CALL = 0, REPLY = 1 };
public enum MsgType : uint
{
    CALL = 0,
    REPLY = 1,
}
