using System.Text.Json;
using ActorMove.Engine.Logging;
using ActorMove.Testing;
using Serilog.Context;
using Serilog.Events;
using Xunit;

namespace ActorMove.Engine.Tests.Logging;

/// <summary>
/// -lc files. These tests share Serilog's global self-log (LoggingSetup listens to it while reading a
/// file), so they run in a collection that is never parallel to anything else.
/// </summary>
[Collection(GlobalSerilogCollection.Name)]
public sealed class LogConfigFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("logcfg");

    public void Dispose() => _directory.Dispose();

    private string WriteConfig(string json)
    {
        string path = _directory.Combine($"log-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);

    [Fact]
    public void Json_file_sink_receives_structured_properties_at_the_configured_level()
    {
        string logFile = _directory.Combine("actormove.json");
        string config = WriteConfig($$"""
            {
              "Serilog": {
                "MinimumLevel": "Debug",
                "WriteTo": [
                  { "Name": "File", "Args": { "path": {{Json(logFile)}}, "formatter": "Serilog.Formatting.Json.JsonFormatter, Serilog" } }
                ]
              }
            }
            """);

        using (var logger = LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }))
        {
            Assert.Equal(LogEventLevel.Debug, LoggingSetup.MinimumEnabledLevel(logger));
            var association = logger
                .ForContext(LogProperties.Peer, "127.0.0.1:11112")
                .ForContext(LogProperties.CallingAeTitle, "STORESCU")
                .ForContext(LogProperties.CalledAeTitle, "MOVESCU");
            using (LogContext.PushProperty(LogProperties.JobId, 42))
            {
                association.Information("Received Store Request {MessageId}", 3);
            }

            logger.Verbose("below the configured level");
            logger.Debug("Association released");
        }

        var events = File.ReadAllLines(logFile).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, events.Count);

        var store = events[0];
        Assert.Equal("Information", store.GetProperty("Level").GetString());
        Assert.Equal("Received Store Request {MessageId}", store.GetProperty("MessageTemplate").GetString());
        var properties = store.GetProperty("Properties");
        Assert.Equal("127.0.0.1:11112", properties.GetProperty(LogProperties.Peer).GetString());
        Assert.Equal("STORESCU", properties.GetProperty(LogProperties.CallingAeTitle).GetString());
        Assert.Equal("MOVESCU", properties.GetProperty(LogProperties.CalledAeTitle).GetString());
        Assert.Equal(42, properties.GetProperty(LogProperties.JobId).GetInt32());
        Assert.Equal(3, properties.GetProperty(LogProperties.MessageId).GetInt32());

        Assert.Equal("Debug", events[1].GetProperty("Level").GetString());
    }

    [Fact]
    public void Config_can_write_dcmtk_lines_to_a_file_with_a_level_override()
    {
        string logFile = _directory.Combine("actormove.log");
        string config = WriteConfig($$"""
            {
              "Serilog": {
                "MinimumLevel": { "Default": "Information", "Override": { "Noisy": "Error" } },
                "WriteTo": [
                  { "Name": "File", "Args": { "path": {{Json(logFile)}}, "formatter": "ActorMove.Engine.Logging.DcmtkTextFormatter, ActorMove.Engine" } }
                ]
              }
            }
            """);

        using (var logger = LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }))
        {
            logger.Information("Requesting Association");
            logger.Debug("not written");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Noisy.Component").Warning("suppressed by the override");
            logger.Warning("Move Response with status {Status}", "Pending");
        }

        Assert.Equal(["I: Requesting Association", "W: Move Response with status Pending"], File.ReadAllLines(logFile));
    }

    [Fact]
    public void Missing_config_file_is_a_clear_error()
    {
        string absent = _directory.Combine("absent.json");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = absent }));

        Assert.Contains("does not exist", error.Message);
        Assert.Contains(absent, error.Message);
    }

    [Fact]
    public void Invalid_json_is_a_clear_error()
    {
        string config = WriteConfig("{ \"Serilog\": { \"MinimumLevel\": \"Debug\", } ");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.StartsWith($"--log-config file {config} is not valid JSON: ", error.Message);
        Assert.Contains("LineNumber: 0 | BytePositionInLine:", error.Message);
    }

    [Fact]
    public void Json_that_is_not_an_object_is_a_clear_error()
    {
        string config = WriteConfig("[ \"Serilog\" ]");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.StartsWith($"--log-config file {config} is not valid JSON: ", error.Message);
    }

    [Fact]
    public void Config_without_serilog_section_is_a_clear_error()
    {
        string config = WriteConfig("""{ "Logging": { "MinimumLevel": "Debug" } }""");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.Equal($"--log-config file {config} has no \"Serilog\" section", error.Message);
    }

    [Fact]
    public void Unknown_level_is_a_clear_error()
    {
        string config = WriteConfig("""{ "Serilog": { "MinimumLevel": "Loud" } }""");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.StartsWith($"--log-config file {config}", error.Message);
        Assert.Contains("Loud", error.Message);
    }

    [Fact]
    public void Unknown_sink_is_a_clear_error()
    {
        string config = WriteConfig("""{ "Serilog": { "WriteTo": [ { "Name": "Carrier Pigeon" } ] } }""");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.Equal($"--log-config file {config}: Unable to find a method called Carrier Pigeon.", error.Message);
    }

    [Fact]
    public void Misspelt_sink_argument_is_a_clear_error()
    {
        string config = WriteConfig("""{ "Serilog": { "WriteTo": [ { "Name": "File", "Args": { "paht": "x.log" } } ] } }""");

        var error = Assert.Throws<LoggingSetupException>(() => LoggingSetup.CreateLogger(new LoggingOptions { ConfigFile = config }));

        Assert.Equal($"--log-config file {config}: Unable to find a method called File for supplied arguments: paht.", error.Message);
        Assert.False(File.Exists(_directory.Combine("x.log")));
    }
}
