using System.Net;
using System.Net.Sockets;

namespace Gateway.Nfs;

/// <summary>
/// One entry of an export's host list: a single address ("192.168.1.7", "::1"), a CIDR block
/// ("10.0.0.0/8", "fd00::/8") or "*" for any client. Host names are not accepted: a list that
/// depends on DNS answers at request time is a list an attacker can edit.
/// IPv4 clients that arrive IPv4-mapped on a dual-stack socket match their IPv4 entries.
/// </summary>
public sealed class HostMatch
{
    private readonly IPNetwork? _network;

    private HostMatch(IPNetwork? network, string text)
    {
        _network = network;
        Text = text;
    }

    /// <summary>Matches every client.</summary>
    public static readonly HostMatch Any = new(null, "*");

    /// <summary>The canonical spelling, as MOUNT EXPORT lists it ("*", "10.0.0.0/8", "127.0.0.1").</summary>
    public string Text { get; }

    public bool IsAny => _network is null;

    public static HostMatch Parse(string text)
    {
        if (TryParse(text, out var match)) return match;
        throw new FormatException($"'{text}' is not an IP address, a CIDR block or '*'");
    }

    public static bool TryParse(string? text, out HostMatch match)
    {
        match = Any;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text == "*") return true;
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            // "192.168.1.7/24" is accepted as the block it lies in (exports(5) does the same).
            if (!IPAddress.TryParse(text.AsSpan(0, slash), out var baseAddress)
                || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix))
            {
                return false;
            }
            baseAddress = Fold(baseAddress);
            var bytes = baseAddress.GetAddressBytes();
            if (prefix > bytes.Length * 8) return false;
            for (var bit = prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            var network = new IPNetwork(new IPAddress(bytes), prefix);
            match = new HostMatch(network, network.ToString());
            return true;
        }
        if (!IPAddress.TryParse(text, out var address)) return false;
        match = Single(address);
        return true;
    }

    public static HostMatch Single(IPAddress address)
    {
        address = Fold(address);
        return new HostMatch(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), address.ToString());
    }

    /// <summary>Does this entry admit <paramref name="client"/>? An unknown address is admitted only by "*".</summary>
    public bool Matches(IPAddress? client)
    {
        if (_network is not { } network) return true;
        if (client is null) return false;
        client = Fold(client);
        return client.AddressFamily == network.BaseAddress.AddressFamily && network.Contains(client);
    }

    public override string ToString() => Text;

    private static IPAddress Fold(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
