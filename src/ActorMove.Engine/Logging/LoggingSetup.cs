using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Settings.Configuration;

namespace ActorMove.Engine.Logging;

/// <summary>The rightmost of movescu's -q / -v / -d options (they exclude each other; the last one counts).</summary>
public enum LogVerbosity
{
    Quiet,
    Verbose,
    Debug,
}

/// <summary>A logging option that cannot be honoured; the message reads like DCMTK's for the same mistake.</summary>
public sealed class LoggingSetupException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>What movescu's logging options ask for: a level for DCMTK-style stderr output, or a configuration file.</summary>
public sealed record LoggingOptions
{
    /// <summary>Level of the default stderr logger; ignored when <see cref="ConfigFile"/> is set.</summary>
    public LogEventLevel Level { get; init; } = LogEventLevel.Warning;

    /// <summary>A Serilog JSON configuration file (-lc); when set, it alone decides levels and sinks.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// Combines the options as DCMTK 3.6.7 does: -ll and -lc cannot be combined with -q/-v/-d, nor with each other.
    /// </summary>
    /// <param name="verbosity">The rightmost of -q, -v, -d, or null when none was given.</param>
    /// <param name="logLevel">The -ll argument: fatal, error, warn, info, debug or trace.</param>
    /// <param name="logConfigFile">The -lc argument.</param>
    /// <exception cref="LoggingSetupException">The combination or a value is not allowed.</exception>
    public static LoggingOptions FromCommandLine(LogVerbosity? verbosity, string? logLevel, string? logConfigFile)
    {
        if (logLevel is not null && verbosity is not null)
        {
            throw new LoggingSetupException("--log-level not allowed with --verbose, --debug or --quiet");
        }

        if (logConfigFile is not null)
        {
            if (verbosity is not null)
            {
                throw new LoggingSetupException("--log-config not allowed with --verbose, --debug or --quiet");
            }

            if (logLevel is not null)
            {
                throw new LoggingSetupException("--log-config not allowed with --log-level");
            }

            if (!File.Exists(logConfigFile))
            {
                throw new LoggingSetupException("Specified --log-config file does not exist");
            }

            return new LoggingOptions { ConfigFile = logConfigFile };
        }

        if (logLevel is not null)
        {
            return LoggingSetup.TryParseLevel(logLevel, out var level)
                ? new LoggingOptions { Level = level }
                : throw new LoggingSetupException("Invalid log level for --log-level option");
        }

        return new LoggingOptions
        {
            Level = verbosity switch
            {
                LogVerbosity.Quiet => LogEventLevel.Fatal,
                LogVerbosity.Verbose => LogEventLevel.Information,
                LogVerbosity.Debug => LogEventLevel.Debug,
                _ => LogEventLevel.Warning,
            },
        };
    }
}

/// <summary>Builds the process's Serilog logger from movescu's logging options.</summary>
public static class LoggingSetup
{
    /// <summary>The section of a -lc file that holds the Serilog configuration.</summary>
    public const string ConfigurationSection = "Serilog";

    /// <summary>-ll's level names, DCMTK's spelling.</summary>
    public static bool TryParseLevel(string text, out LogEventLevel level)
    {
        (bool known, level) = text switch
        {
            "fatal" => (true, LogEventLevel.Fatal),
            "error" => (true, LogEventLevel.Error),
            "warn" => (true, LogEventLevel.Warning),
            "info" => (true, LogEventLevel.Information),
            "debug" => (true, LogEventLevel.Debug),
            "trace" => (true, LogEventLevel.Verbose),
            _ => (false, LogEventLevel.Warning),
        };
        return known;
    }

    /// <summary>
    /// The logger for the options: DCMTK-style lines on <paramref name="errorOutput"/> (standard error by
    /// default) at the chosen level, or whatever the -lc file configures. Log context properties are
    /// always collected, so that properties pushed with LogContext reach JSON sinks too.
    /// Dispose the logger (or Log.CloseAndFlush) before exiting so that file sinks are flushed.
    /// </summary>
    /// <exception cref="LoggingSetupException">The -lc file is missing, is not JSON, or is not a valid Serilog configuration.</exception>
    public static Logger CreateLogger(LoggingOptions options, TextWriter? errorOutput = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = new LoggerConfiguration().Enrich.FromLogContext();
        if (options.ConfigFile is null)
        {
            return configuration
                .MinimumLevel.Is(options.Level)
                .WriteTo.Sink(new TextWriterSink(new DcmtkTextFormatter(), errorOutput ?? Console.Error))
                .CreateLogger();
        }

        return FromConfigFile(configuration, options.ConfigFile);
    }

    /// <summary>The lowest level the logger writes at all; Akka's log level is set to match it.</summary>
    public static LogEventLevel MinimumEnabledLevel(Serilog.ILogger logger)
    {
        for (var level = LogEventLevel.Verbose; level < LogEventLevel.Fatal; level++)
        {
            if (logger.IsEnabled(level))
            {
                return level;
            }
        }

        return LogEventLevel.Fatal;
    }

    private static Logger FromConfigFile(LoggerConfiguration configuration, string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new LoggingSetupException($"Specified --log-config file does not exist: {path}");
        }

        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(fullPath, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or JsonException or IOException)
        {
            // The innermost message, the JSON reader's, names the line and position of the mistake.
            var innermost = exception;
            while (innermost.InnerException is { } inner)
            {
                innermost = inner;
            }

            string detail = innermost.Message;
            throw new LoggingSetupException($"--log-config file {path} is not valid JSON: {detail}", exception);
        }

        if (!root.GetSection(ConfigurationSection).Exists())
        {
            throw new LoggingSetupException($"--log-config file {path} has no \"{ConfigurationSection}\" section");
        }

        // Serilog.Settings.Configuration reports what it cannot resolve (an unknown sink name, say) only to
        // its self-log and carries on; those messages are collected here and turned into a clear error.
        var problems = new List<string>();
        SelfLog.Enable(message => { lock (problems) { problems.Add(message); } });
        try
        {
            // The sink assemblies are named rather than discovered through the deps file, which a
            // single-file or trimmed publish does not have.
            var readerOptions = new ConfigurationReaderOptions(
                typeof(Log).Assembly,
                typeof(Serilog.ConsoleLoggerConfigurationExtensions).Assembly,
                typeof(Serilog.FileLoggerConfigurationExtensions).Assembly,
                typeof(DcmtkTextFormatter).Assembly)
            {
                SectionName = ConfigurationSection,
            };
            var logger = configuration.ReadFrom.Configuration(root, readerOptions).CreateLogger();
            if (problems.Count > 0)
            {
                logger.Dispose();
                throw new LoggingSetupException($"--log-config file {path}: {string.Join("; ", problems.Select(Summarize))}");
            }

            return logger;
        }
        catch (Exception exception) when (exception is not LoggingSetupException and not OutOfMemoryException)
        {
            throw new LoggingSetupException($"--log-config file {path} is not a valid Serilog configuration: {exception.Message}", exception);
        }
        finally
        {
            SelfLog.Disable();
        }
    }

    // SelfLog prefixes each message with an ISO timestamp and a space; the reader's messages go on to list
    // every overload of a sink method, of which the first line ("Unable to find a method called X") is enough.
    private static string Summarize(string message)
    {
        int space = message.IndexOf(' ');
        string text = space > 0 && DateTimeOffset.TryParse(message.AsSpan(0, space), out _) ? message[(space + 1)..] : message;
        int newline = text.IndexOf('\n');
        text = (newline < 0 ? text : text[..newline]).TrimEnd();
        const string candidates = " Candidate methods are:";
        return text.EndsWith(candidates, StringComparison.Ordinal) ? text[..^candidates.Length] : text;
    }
}

/// <summary>Writes each event whole under a lock, so that lines of concurrent events do not interleave.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        using var buffer = new StringWriter();
        formatter.Format(logEvent, buffer);
        lock (_gate)
        {
            output.Write(buffer.ToString());
            output.Flush();
        }
    }
}
