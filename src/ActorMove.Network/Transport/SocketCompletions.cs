namespace ActorMove.Network.Transport;

/// <summary>
/// Where .NET runs the continuations of socket operations. By default the socket engine's thread hands every completed
/// receive to a thread-pool worker; inline, it runs the continuation itself. ActorMove's socket loops never block:
/// they parse PDUs and copy data set bytes into blocks, and file writing happens on the file I/O dispatcher. A process
/// built around them, such as the <c>actormove</c> command, can therefore run them inline and save that hand-off on
/// every read. In <c>bench/compare.sh store</c> this halved the store SCP's context switches and took about a fifth
/// off its CPU time. .NET reads the setting once, from the environment, when the first socket operation starts.
/// </summary>
public static class SocketCompletions
{
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Asks for inline completions unless the environment already says either way. Call it first thing in <c>Main</c>:
    /// it has no effect once the process has used a socket.
    /// </summary>
    public static void PreferInline()
    {
        if (Environment.GetEnvironmentVariable(InlineVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
    }
}
