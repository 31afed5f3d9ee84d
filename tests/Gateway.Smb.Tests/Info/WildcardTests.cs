using Gateway.Smb.Info;

namespace Gateway.Smb.Tests.Info;

public class WildcardTests
{
    [Theory]
    // '*' and "*.*" match everything, names without a dot included (Windows shorthand).
    [InlineData("*", "anything", true)]
    [InlineData("*", "a.b.c", true)]
    [InlineData("*.*", "noext", true)]
    [InlineData("*.*", "a.b", true)]
    [InlineData("*.*", ".hidden", true)]
    // Ordinary '*' and '?'.
    [InlineData("*.txt", "notes.TXT", true)]
    [InlineData("*.txt", "notes.txt.bak", false)]
    [InlineData("*.txt", "txt", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("abc?", "abc", false)]
    [InlineData("???", "ab", false)]
    // DOS_STAR '<': anything up to the name's last dot.
    [InlineData("<.txt", "foo.txt", true)]
    [InlineData("<.txt", "a.b.txt", true)]
    [InlineData("<.txt", "foo.doc", false)]
    [InlineData("<", "noext", true)]
    [InlineData("<", "foo.txt", false)]
    [InlineData("<.<", "a.b.c", true)]
    // DOS_QM '>': one character, or nothing at a dot or at the end.
    [InlineData("foo>.c", "foo.c", true)]
    [InlineData("foo>.c", "fooa.c", true)]
    [InlineData("foo>.c", "fooab.c", false)]
    [InlineData("foo>>>.c", "fooab.c", true)]
    [InlineData("foo>>>.c", "fooabcd.c", false)]
    [InlineData("abc>>>", "abc", true)]
    [InlineData("abc>>>", "abcde", true)]
    // DOS_DOT '"': a dot, or nothing at the end of the name.
    [InlineData("a\"b", "a.b", true)]
    [InlineData("a\"b", "ab", false)]
    [InlineData("foo\"", "foo", true)]
    [InlineData("foo\"", "foo.", true)]
    [InlineData("foo\"", "foox", false)]
    // What Windows sends for "*.*" in the DOS sense: "<\"*" matches everything too.
    [InlineData("<\"*", "foo.txt", true)]
    [InlineData("<\"*", "noext", true)]
    // Case-insensitive, also beyond ASCII; exact names without wildcards.
    [InlineData("F*.TxT", "foo.txt", true)]
    [InlineData("ÄB*", "äbc", true)]
    [InlineData("README", "readme", true)]
    [InlineData("README", "readme2", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    public void MatchesLikeFsRtlIsNameInExpression(string pattern, string name, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(pattern, name));

    [Theory]
    [InlineData("a*", true)]
    [InlineData("a?", true)]
    [InlineData("a<", true)]
    [InlineData("a>", true)]
    [InlineData("a\"", true)]
    [InlineData("plain.txt", false)]
    public void HasWildcards(string pattern, bool expected) => Assert.Equal(expected, Wildcard.HasWildcards(pattern));

    [Fact]
    public void PathologicalPatternsStayPolynomial()
    {
        string pattern = string.Concat(Enumerable.Repeat("*a", 2000)) + "b";
        string name = new('a', 255);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(Wildcard.IsMatch(pattern, name));
        Assert.False(Wildcard.IsMatch(new string('<', 5000), "x.y")); // longer than any real pattern
        Assert.True(watch.ElapsedMilliseconds < 2000);
    }
}
