namespace Gateway.Smb.Info;

/// <summary>
/// QUERY_DIRECTORY search patterns, with the semantics of MS-FSA 2.1.4.4 (FsRtlIsNameInExpression),
/// compared ordinal-ignore-case:
/// <list type="bullet">
/// <item><c>*</c> any run of characters, <c>?</c> exactly one character;</item>
/// <item><c>&lt;</c> DOS_STAR: any run of characters that leaves the name's last '.' to be matched;</item>
/// <item><c>&gt;</c> DOS_QM: one character, or nothing when at a '.' or at the end of the name;</item>
/// <item><c>"</c> DOS_DOT: a '.', or nothing at the end of the name.</item>
/// </list>
/// "*" and "*.*" both match every name (Windows's own shorthand: "*.*" also lists names without a dot).
/// </summary>
public static class Wildcard
{
    private const char DosStar = '<';
    private const char DosQm = '>';
    private const char DosDot = '"';

    // Beyond this the pattern cannot come from a real client (a name is at most 255 characters and a
    // QUERY_DIRECTORY pattern is one component); the bound keeps the table below small.
    private const int MaxPatternLength = 4096;

    public static bool HasWildcards(ReadOnlySpan<char> pattern) => pattern.IndexOfAny("*?<>\"") >= 0;

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        if (pattern.Length == 0) return name.Length == 0;
        if (pattern is "*" or "*.*") return true;
        if (!HasWildcards(pattern)) return pattern.Equals(name, StringComparison.OrdinalIgnoreCase);
        if (pattern.Length > MaxPatternLength) return false;

        // Dynamic programming over name positions from the end: next[p] = does pattern[p..] match
        // name[n+1..], cur[p] = does pattern[p..] match name[n..]. O(pattern * name) time, no recursion,
        // so no pattern can blow the stack or take exponential time.
        int lastDot = name.LastIndexOf('.');
        Span<bool> bufferA = pattern.Length < 512 ? stackalloc bool[pattern.Length + 1] : new bool[pattern.Length + 1];
        Span<bool> bufferB = pattern.Length < 512 ? stackalloc bool[pattern.Length + 1] : new bool[pattern.Length + 1];
        Span<bool> next = bufferA;
        Span<bool> cur = bufferB;

        // Row for the end of the name: only the pattern characters that may match nothing survive.
        next[pattern.Length] = true;
        for (int p = pattern.Length - 1; p >= 0; p--)
        {
            next[p] = pattern[p] is '*' or DosStar or DosQm or DosDot && next[p + 1];
        }

        for (int n = name.Length - 1; n >= 0; n--)
        {
            char c = name[n];
            cur[pattern.Length] = false;
            for (int p = pattern.Length - 1; p >= 0; p--)
            {
                cur[p] = pattern[p] switch
                {
                    '*' => cur[p + 1] || next[p],
                    '?' => next[p + 1],
                    // May swallow c unless c is the last dot, which must be left for what follows.
                    DosStar => cur[p + 1] || ((c != '.' || n < lastDot) && next[p]),
                    DosQm => c == '.' ? cur[p + 1] : next[p + 1],
                    DosDot => c == '.' && next[p + 1],
                    _ => EqualsIgnoreCase(pattern[p], c) && next[p + 1],
                };
            }

            Span<bool> swap = next;
            next = cur;
            cur = swap;
        }

        return next[0];
    }

    private static bool EqualsIgnoreCase(char a, char b) =>
        a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
