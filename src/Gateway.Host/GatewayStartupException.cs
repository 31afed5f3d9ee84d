namespace Gateway.Host;

/// <summary>A configuration or environment problem found at start: printed as one line, exit code 2.</summary>
public sealed class GatewayStartupException(string message) : Exception(message);
