using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Rpc.Portmap;

// RFC 5665 §5.2.3.3/§5.2.3.4 universal addresses for IP transports: the host in its usual
// text form, then the port as two decimal octets, "h1.h2.h3.h4.p1.p2" for IPv4 and
// "x:x:...:x.p1.p2" for IPv6 (port 2049 = ".8.1").
public static class UniversalAddress
{
    public static string Format(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        string host = address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPAddress(address.GetAddressBytes()).ToString() // without a scope id
            : address.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{host}.{port >> 8}.{port & 0xFF}");
    }

    public static string Format(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return Format(endPoint.Address, endPoint.Port);
    }

    public static bool TryParse(string? text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int lo = text.LastIndexOf('.');
        int hi = lo > 0 ? text.LastIndexOf('.', lo - 1) : -1;
        if (hi <= 0
            || !byte.TryParse(text.AsSpan(hi + 1, lo - hi - 1), NumberStyles.None, CultureInfo.InvariantCulture, out byte p1)
            || !byte.TryParse(text.AsSpan(lo + 1), NumberStyles.None, CultureInfo.InvariantCulture, out byte p2)
            || !IPAddress.TryParse(text.AsSpan(0, hi), out IPAddress? address))
        {
            return false;
        }

        // IPAddress.TryParse takes inet_aton's short forms ("127.1"); a universal address
        // always spells an IPv4 host as four parts.
        ReadOnlySpan<char> host = text.AsSpan(0, hi);
        if (address.AddressFamily == AddressFamily.InterNetwork && host.Count('.') != 3)
        {
            return false;
        }

        endPoint = new IPEndPoint(address, (p1 << 8) | p2);
        return true;
    }

    public static string TcpNetId(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? PortmapConstants.NetIdTcp6 : PortmapConstants.NetIdTcp;
}
