namespace Gateway.Rpc;

public enum DrcStatus
{
    New,         // first time seen: execute, then Complete (or Abandon)
    InProgress,  // a retransmission while the first is still running: wait for its reply
    Completed,   // a retransmission of a finished call: send the cached reply, do not execute
}
