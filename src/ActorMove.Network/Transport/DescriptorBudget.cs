using System.Runtime.InteropServices;

namespace ActorMove.Network.Transport;

/// <summary>
/// How many inbound connections a listener takes at once by default: as many as the process's file descriptor limit
/// leaves room for. A connection holds its socket and, while it stores, a file or two; the runtime needs descriptors of
/// its own (threads, timers, logs), and without one it aborts ("Out of memory"). Connections past the budget wait in the
/// kernel's backlog until an association ends.
/// </summary>
public static class DescriptorBudget
{
    /// <summary>Descriptors kept for the runtime, the logs, the journal and the move associations.</summary>
    public const int Reserved = 64;

    /// <summary>What one inbound association may hold at once: its socket, the spool file and a converted file.</summary>
    public const int PerConnection = 3;

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

    /// <summary>Inbound connections the process's current descriptor limit allows at once, at least 4.</summary>
    public static int MaxInboundConnections()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Fallback;
        }

        try
        {
            if (GetResourceLimit(ResourceOpenFiles, out var limit) != 0 || limit.Current > int.MaxValue)
            {
                return Fallback;
            }

            return ForLimit((int)limit.Current);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback;
        }
    }

    /// <summary>The budget for a descriptor limit: what is left after <see cref="Reserved"/>, <see cref="PerConnection"/> each.</summary>
    public static int ForLimit(int descriptors) => Math.Max(4, (descriptors - Reserved) / PerConnection);
}
