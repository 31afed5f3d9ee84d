namespace Gateway.Rpc.Tests.Support;

internal static class Hex
{
    // "80 00 00 1c  0102..." → bytes; whitespace and '|' separators are ignored.
    public static byte[] Bytes(string text)
    {
        var chars = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '|')
            {
                chars.Append(c);
            }
        }

        return Convert.FromHexString(chars.ToString());
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
