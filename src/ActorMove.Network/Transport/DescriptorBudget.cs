using System.Runtime.InteropServices;

namespace ActorMove.Network.Transport;

/// <summary>
/// How many inbound connections a listener takes at once by default: as many as the process's file descriptor limit
/// leaves room for. A connection holds its socket and whatever its handler opens for it (a store SCP: the files of the
/// object it is receiving); the runtime needs descriptors of its own (threads, timers, logs), and without one it aborts
/// ("Out of memory"). Connections past the budget wait in the kernel's backlog until an association ends.
/// </summary>
public static class DescriptorBudget
{
    /// <summary>Descriptors kept for the runtime, the logs, the journal and the move associations.</summary>
    public const int Reserved = 64;

    /// <summary>Where the limit cannot be read (not Linux, or unlimited).</summary>
    public const int Fallback = 1024;

    private const int ResourceOpenFiles = 7; // RLIMIT_NOFILE on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code, which the projects do not allow, and a
    // blittable struct needs no marshalling.
    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetResourceLimit(int resource, out ResourceLimit limit);

    /// <summary>The process's soft limit on open files; null where it cannot be read (not Linux) or is unlimited.</summary>
    public static int? ProcessLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return GetResourceLimit(ResourceOpenFiles, out var limit) != 0 || limit.Current > int.MaxValue ? null : (int)limit.Current;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Inbound connections the process's current descriptor limit allows at once, at least 4, when each holds
    /// <paramref name="perConnection"/> descriptors; <see cref="Fallback"/> where the limit is unknown or unlimited.
    /// </summary>
    public static int MaxInboundConnections(int perConnection) =>
        ProcessLimit() is { } descriptors ? ForLimit(descriptors, perConnection) : Fallback;

    /// <summary>The budget for a descriptor limit: what is left after <see cref="Reserved"/>, <paramref name="perConnection"/> each.</summary>
    public static int ForLimit(int descriptors, int perConnection)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perConnection, 1);
        return Math.Max(4, (descriptors - Reserved) / perConnection);
    }
}
