using System.CommandLine;
using Gateway.Cli;

return await GatewayCommands.Build().Parse(args).InvokeAsync();
