using ActorMove.Engine.Logging;
using ActorMove.Testing;
using Serilog.Events;
using Xunit;

namespace ActorMove.Engine.Tests.Logging;

public class LoggingOptionsTests
{
    [Theory]
    [InlineData(null, LogEventLevel.Warning)]
    [InlineData(LogVerbosity.Quiet, LogEventLevel.Fatal)]
    [InlineData(LogVerbosity.Verbose, LogEventLevel.Information)]
    [InlineData(LogVerbosity.Debug, LogEventLevel.Debug)]
    public void Verbosity_flags_choose_the_level(LogVerbosity? verbosity, LogEventLevel expected)
    {
        var options = LoggingOptions.FromCommandLine(verbosity, null, null);

        Assert.Equal(expected, options.Level);
        Assert.Null(options.ConfigFile);
    }

    [Theory]
    [InlineData("fatal", LogEventLevel.Fatal)]
    [InlineData("error", LogEventLevel.Error)]
    [InlineData("warn", LogEventLevel.Warning)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("trace", LogEventLevel.Verbose)]
    public void Log_level_names_choose_the_level(string name, LogEventLevel expected)
    {
        Assert.Equal(expected, LoggingOptions.FromCommandLine(null, name, null).Level);
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("WARN")]
    [InlineData("verbose")]
    [InlineData("")]
    public void Unknown_log_level_is_refused_with_dcmtks_message(string name)
    {
        var error = Assert.Throws<LoggingSetupException>(() => LoggingOptions.FromCommandLine(null, name, null));

        Assert.Equal("Invalid log level for --log-level option", error.Message);
    }

    [Theory]
    [InlineData(LogVerbosity.Quiet)]
    [InlineData(LogVerbosity.Verbose)]
    [InlineData(LogVerbosity.Debug)]
    public void Log_level_and_log_config_exclude_the_verbosity_flags(LogVerbosity verbosity)
    {
        using var directory = new TempDirectory("logopt");
        string config = directory.Combine("log.json");
        File.WriteAllText(config, "{}");

        Assert.Equal(
            "--log-level not allowed with --verbose, --debug or --quiet",
            Assert.Throws<LoggingSetupException>(() => LoggingOptions.FromCommandLine(verbosity, "info", null)).Message);
        Assert.Equal(
            "--log-config not allowed with --verbose, --debug or --quiet",
            Assert.Throws<LoggingSetupException>(() => LoggingOptions.FromCommandLine(verbosity, null, config)).Message);
    }

    [Fact]
    public void Log_config_excludes_log_level_and_must_exist()
    {
        using var directory = new TempDirectory("logopt");
        string config = directory.Combine("log.json");
        File.WriteAllText(config, "{}");

        Assert.Equal(
            "--log-config not allowed with --log-level",
            Assert.Throws<LoggingSetupException>(() => LoggingOptions.FromCommandLine(null, "debug", config)).Message);
        Assert.Equal(
            "Specified --log-config file does not exist",
            Assert.Throws<LoggingSetupException>(() => LoggingOptions.FromCommandLine(null, null, directory.Combine("absent.json"))).Message);
        Assert.Equal(config, LoggingOptions.FromCommandLine(null, null, config).ConfigFile);
    }

    [Theory]
    [InlineData(LogEventLevel.Fatal, "F")]
    [InlineData(LogEventLevel.Error, "EF")]
    [InlineData(LogEventLevel.Warning, "WEF")]
    [InlineData(LogEventLevel.Information, "IWEF")]
    [InlineData(LogEventLevel.Debug, "DIWEF")]
    [InlineData(LogEventLevel.Verbose, "TDIWEF")]
    public void The_stderr_logger_writes_only_events_at_or_above_its_level(LogEventLevel level, string expectedLetters)
    {
        var output = new StringWriter();
        using (var logger = LoggingSetup.CreateLogger(new LoggingOptions { Level = level }, output))
        {
            logger.Verbose("trace event");
            logger.Debug("debug event");
            logger.Information("info event");
            logger.Warning("warn event");
            logger.Error("error event");
            logger.Fatal("fatal event");
            Assert.Equal(level, LoggingSetup.MinimumEnabledLevel(logger));
        }

        var letters = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(line => line[0]);
        Assert.Equal(expectedLetters, string.Concat(letters));
    }
}
