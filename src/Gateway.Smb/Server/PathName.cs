using Gateway.Smb.Protocol;

namespace Gateway.Smb.Server;

/// <summary>
/// A CREATE/rename path relative to the share root, split on '\\'. Windows rules: no empty, "." or
/// ".." components, none of the characters NTFS forbids, and no named streams: only the default
/// data stream ("name::$DATA") is understood. A trailing '\\' is allowed (a directory).
/// </summary>
internal static class PathName
{
    public static uint TrySplit(string path, out string[] components)
    {
        components = [];
        if (path.Length == 0)
            return NtStatus.Success;
        if (path[0] == '\\')
            return NtStatus.ObjectNameInvalid;
        if (path.EndsWith('\\'))
            path = path[..^1];
        var parts = path.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var colon = part.IndexOf(':');
            if (colon >= 0)
            {
                var stream = part[colon..];
                if (i != parts.Length - 1 || !(stream.Equals("::$DATA", StringComparison.OrdinalIgnoreCase)))
                    return NtStatus.ObjectNameInvalid;
                part = part[..colon];
                parts[i] = part;
            }
            if (part.Length == 0 || part == "." || part == "..")
                return NtStatus.ObjectNameInvalid;
            if (part.Length > 255)
                return NtStatus.ObjectNameInvalid;
            foreach (var ch in part)
            {
                if (ch < 0x20 || ch is '/' or '*' or '?' or '<' or '>' or '|' or '"' or ':')
                    return NtStatus.ObjectNameInvalid;
            }
        }
        components = parts;
        return NtStatus.Success;
    }
}
