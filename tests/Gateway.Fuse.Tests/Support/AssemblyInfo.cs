// The binding speaks to the Linux kernel (/dev/fuse, mount(2)); its tests run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// Mounts are few and cheap to keep apart, but the tests share /proc/self/mountinfo checks and two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
