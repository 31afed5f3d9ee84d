namespace Gateway.Smb.Server;

/// <summary>A request body that contradicts itself (sizes, offsets): answered STATUS_INVALID_PARAMETER at one place.</summary>
internal sealed class MalformedRequestException(string message) : Exception(message);
