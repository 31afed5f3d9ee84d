using System.CommandLine;
using Gateway.Host;
using Gateway.Host.Smb;
using Gateway.Vfs.Store;

namespace Gateway.Cli;

/// <summary>`gateway user add|list|remove`: the users SMB clients log on as (the Store keeps NT hashes, never passwords).</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the users SMB clients log on as. Changes apply to a running gateway at once.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<string?> StateDirOption() => new("--state-dir")
    {
        Description = "The gateway's state directory (the one given to `gateway export --state-dir`; default as there).",
        HelpName = "DIR",
    };

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "User name (1-64 letters, digits, '.', '-', '_'; compared without regard to case)." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of prompting." };
        var uid = new Option<uint?>("--uid") { Description = "Unix user id the user's SMB sessions act as on disk (default: yours, or $SUDO_UID under sudo).", HelpName = "N" };
        var gid = new Option<uint?>("--gid") { Description = "Unix group id (default: yours, or $SUDO_GID under sudo).", HelpName = "N" };
        var stateDir = StateDirOption();
        var command = new Command("add", "Add a user, or set a new password for an existing one.") { name, stdin, uid, gid, stateDir };
        command.SetAction(result =>
        {
            var user = result.GetValue(name)!;
            if (!SmbUsers.IsValidName(user))
                return GatewayRun.Fail($"user name '{user}' is not usable: use 1-64 letters, digits, '.', '-' or '_'", GatewayCommands.ExitUsage);
            var password = result.GetValue(stdin) ? Console.In.ReadLine() : PasswordPrompt.Ask(user);
            if (string.IsNullOrEmpty(password))
                return GatewayRun.Fail("no password given (empty passwords are not accepted)", GatewayCommands.ExitUsage);
            return WithStore(result.GetValue(stateDir), store =>
            {
                var existed = store.FindUser(user) is not null;
                SmbUsers.Add(store, user, password, result.GetValue(uid) ?? InvokerId("SUDO_UID", ProcessIds.Uid()),
                    result.GetValue(gid) ?? InvokerId("SUDO_GID", ProcessIds.Gid()));
                Console.Out.WriteLine(existed ? $"gateway: password of '{user}' changed" : $"gateway: user '{user}' added");
                return GatewayCommands.ExitOk;
            });
        });
        return command;
    }

    private static Command List()
    {
        var stateDir = StateDirOption();
        var command = new Command("list", "List the users (name, the uid/gid they act as, when added).") { stateDir };
        command.SetAction(result => WithStore(result.GetValue(stateDir), store =>
        {
            var users = store.GetUsers();
            if (users.Count == 0)
            {
                Console.Out.WriteLine("no users (the next `gateway export` with SMB creates one and prints its password)");
                return GatewayCommands.ExitOk;
            }
            Console.Out.WriteLine($"{"NAME",-24} {"UID",7} {"GID",7}  ADDED (UTC)");
            foreach (var u in users)
                Console.Out.WriteLine($"{u.Name,-24} {u.Uid,7} {u.Gid,7}  {DateTimeOffset.FromUnixTimeSeconds(u.CreatedUnixSeconds):yyyy-MM-dd HH:mm}");
            return GatewayCommands.ExitOk;
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "The user to remove." };
        var stateDir = StateDirOption();
        var command = new Command("remove", "Remove a user. Sessions already logged on keep working until they log off.") { name, stateDir };
        command.SetAction(result => WithStore(result.GetValue(stateDir), store =>
        {
            var user = result.GetValue(name)!;
            if (!store.DeleteUser(user)) return GatewayRun.Fail($"no user '{user}'", GatewayCommands.ExitFailure);
            Console.Out.WriteLine($"gateway: user '{user}' removed");
            return GatewayCommands.ExitOk;
        }));
        return command;
    }

    private static int WithStore(string? stateDir, Func<GatewayStore, int> work)
    {
        var path = Path.GetFullPath(stateDir ?? StateDirectory.Default());
        GatewayStore store;
        try
        {
            StateDirectory.EnsureWritable(path);
            store = GatewayStore.Open(path);
        }
        catch (GatewayStartupException e)
        {
            return GatewayRun.Fail(e.Message, GatewayCommands.ExitUsage);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return GatewayRun.Fail($"cannot open the state database in {path}: {e.Message}", GatewayCommands.ExitUsage);
        }
        using (store) return work(store);
    }

    /// <summary>Under sudo, files should belong to the person, not to root.</summary>
    private static uint InvokerId(string sudoVariable, uint own) =>
        Environment.IsPrivilegedProcess && uint.TryParse(Environment.GetEnvironmentVariable(sudoVariable), out var id) ? id : own;

}
