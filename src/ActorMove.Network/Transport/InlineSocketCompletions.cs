namespace ActorMove.Network.Transport;

/// <summary>
/// Where .NET runs socket completions on Linux and macOS. By default the thread that polls the sockets (epoll) hands
/// each one to a thread-pool worker: waking that worker, and the second one the pool wakes whenever it takes work,
/// cost the store SCP about half of its context switches and a fifth of its CPU time, which on a small machine is CPU
/// the sending peer is short of (bench/README.md). With <see cref="EnvironmentVariable"/> = 1 the polling threads, one
/// per core, run the completions themselves. ActorMove's socket continuations never block (files are written on
/// their own dispatcher, everything else is a message to an actor), so they can run there.
/// </summary>
/// <remarks>
/// The runtime reads the variable once, when the first socket operation starts, for the whole process: a program
/// calls <see cref="PreferForThisProcess()"/> first thing in <c>Main</c>. An application embedding the engine decides
/// for itself, since the setting applies to all of its sockets.
/// </remarks>
public static class InlineSocketCompletions
{
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns inline completions on for this process unless its environment already says either way; returns whether
    /// they are on. Has an effect only before the process's first socket operation.
    /// </summary>
    public static bool PreferForThisProcess() =>
        Prefer(Environment.GetEnvironmentVariable, value => Environment.SetEnvironmentVariable(EnvironmentVariable, value));

    /// <summary>The decision, over a given environment.</summary>
    internal static bool Prefer(Func<string, string?> read, Action<string> write)
    {
        string? current = read(EnvironmentVariable);
        if (current is null)
        {
            write("1");
            return true;
        }

        return current == "1";
    }
}
