namespace Gateway.Nfs.Tests.Support;

internal static class Hex
{
    // "00000001 000001a4 | ..." → bytes; whitespace and '|' separators are ignored.
    public static byte[] Bytes(string text)
    {
        var chars = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
            if (!char.IsWhiteSpace(c) && c != '|') chars.Append(c);
        return Convert.FromHexString(chars.ToString());
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
