using Akka.Event;
using Serilog.Events;

namespace ActorMove.Engine.Logging;

/// <summary>
/// Akka's logger for the moments its real loggers are not running (system start, and shutdown once they have stopped):
/// the events go to the global Serilog logger like all others, never to standard output. Akka's own standard-out logger
/// there printed its shutdown notices to stdout at debug level, where movescu writes nothing but its progress lines.
/// Installed by <see cref="AkkaSerilogLogging"/> (akka.stdout-logger-class).
/// </summary>
public sealed class SerilogMinimalLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is not Akka.Event.LogEvent logEvent)
        {
            return;
        }

        var level = logEvent.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogEventLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogEventLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        Serilog.Log.Logger.Write(level, logEvent.Cause, "{Source}: {Message}", logEvent.LogSource, logEvent.Message);
    }
}
