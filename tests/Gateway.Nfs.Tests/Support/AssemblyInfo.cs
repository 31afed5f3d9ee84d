// The gateway serves Linux directories (O_PATH, openat2); its tests use Unix file modes freely.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
