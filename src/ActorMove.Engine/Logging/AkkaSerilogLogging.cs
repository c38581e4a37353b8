using Akka.Configuration;
using Serilog.Events;

namespace ActorMove.Engine.Logging;

/// <summary>
/// Routes Akka's own log events (and actors' ILoggingAdapter calls) to Serilog through Akka.Logger.Serilog.
/// Its SerilogLogger writes to the global <c>Serilog.Log.Logger</c>, so set that to the logger from
/// <see cref="LoggingSetup.CreateLogger"/> before the actor system starts, and put <see cref="Config"/>
/// in front of the system's configuration.
/// </summary>
public static class AkkaSerilogLogging
{
    public const string LoggerType = "Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog";

    /// <summary>Keeps message template properties ("{Peer}") structured instead of formatting them away.</summary>
    public const string MessageFormatterType = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog";

    /// <summary>What Akka logs to while its loggers are not running (start-up, shutdown): Serilog too, not stdout.</summary>
    public const string MinimalLoggerType = "ActorMove.Engine.Logging.SerilogMinimalLogger, ActorMove.Engine";

    /// <summary>Akka's level for a Serilog level: Akka has no trace (DEBUG is its lowest) and no fatal.</summary>
    public static string AkkaLogLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        _ => "ERROR",
    };

    /// <summary>
    /// HOCON that installs the Serilog logger at <paramref name="minimumLevel"/> (use
    /// <see cref="LoggingSetup.MinimumEnabledLevel"/> of the logger). Akka's standard-out logger is
    /// silenced and replaced (<see cref="SerilogMinimalLogger"/>), as movescu writes nothing of its own to standard
    /// output; dead letters are reported only
    /// from debug level on, where they help and do not alarm.
    /// </summary>
    public static string Hocon(LogEventLevel minimumLevel)
    {
        string deadLetters = minimumLevel <= LogEventLevel.Debug ? "10" : "off";
        return $$"""
            akka {
              loggers = ["{{LoggerType}}"]
              logger-formatter = "{{MessageFormatterType}}"
              loglevel = {{AkkaLogLevel(minimumLevel)}}
              stdout-loglevel = OFF
              stdout-logger-class = "{{MinimalLoggerType}}"
              log-config-on-start = off
              log-dead-letters = {{deadLetters}}
              log-dead-letters-during-shutdown = off
            }
            """;
    }

    public static Config Config(LogEventLevel minimumLevel) => ConfigurationFactory.ParseString(Hocon(minimumLevel));
}
