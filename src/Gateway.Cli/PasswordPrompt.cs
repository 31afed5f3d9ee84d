namespace Gateway.Cli;

/// <summary>Asks for a new password twice on the terminal without echoing it.</summary>
internal static class PasswordPrompt
{
    public static string? Ask(string user)
    {
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine("gateway: standard input is not a terminal: use --password-stdin to pipe the password");
            return null;
        }
        var first = Read($"New SMB password for {user}: ");
        if (string.IsNullOrEmpty(first)) return null;
        var second = Read("Again: ");
        if (first == second) return first;
        Console.Error.WriteLine("gateway: the passwords differ");
        return null;
    }

    private static string Read(string prompt)
    {
        Console.Error.Write(prompt);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Length > 0) chars.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) chars.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return chars.ToString();
    }
}
