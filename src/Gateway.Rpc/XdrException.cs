namespace Gateway.Rpc;

// The one error a decoder raises for malformed XDR: a short buffer, a length above its
// bound or above what is left, a bool other than 0/1, non-zero padding. The dispatcher
// catches it at one place and answers GARBAGE_ARGS; the connection stays up.
public sealed class XdrException : Exception
{
    public XdrException(string message) : base(message)
    {
    }
}
