using System.Runtime.InteropServices;
using ActorMove.Engine.Hosting;
using Serilog;

namespace ActorMove.Cli.Retrieval;

/// <summary>
/// SIGINT or SIGTERM while objects are arriving: the engine is stopped first, so that every file writer drops the object
/// it has not finished (its temporary file) as it stops, and only then does the process end, with the exit status of a
/// process killed by that signal (128 + its number). Files already complete stay; an interrupted object leaves nothing,
/// as with movescu. A second signal while stopping ends the process at once.
/// </summary>
internal sealed class InterruptCleanup : IDisposable
{
    /// <summary>How long the engine may take to stop before the process ends anyway.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ActorMoveEngine _engine;
    private readonly ILogger _logger;
    private readonly Action _flushLogs;
    private readonly PosixSignalRegistration[] _registrations;
    private int _stopping;

    public InterruptCleanup(ActorMoveEngine engine, ILogger logger, Action flushLogs)
    {
        _engine = engine;
        _logger = logger;
        _flushLogs = flushLogs;
        _registrations = OperatingSystem.IsWindows()
            ? []
            : [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            // The second one: the default action, now.
            context.Cancel = false;
            return;
        }

        context.Cancel = true;
        int exitCode = 128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15);
        _logger.Warning("{Signal:l}: stopping; objects not yet complete are removed", context.Signal.ToString());
        _ = Task.Run(async () =>
        {
            try
            {
                await _engine.DisposeAsync().AsTask().WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                _logger.Error("The engine did not stop within {Timeout}", StopTimeout);
            }
            finally
            {
                _flushLogs();
                Environment.Exit(exitCode);
            }
        });
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
