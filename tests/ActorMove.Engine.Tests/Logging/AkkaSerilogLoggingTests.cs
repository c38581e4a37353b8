using System.Collections.Concurrent;
using ActorMove.Engine.Logging;
using Akka.Actor;
using Akka.Event;
using LogEvent = Serilog.Events.LogEvent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Xunit;

namespace ActorMove.Engine.Tests.Logging;

/// <summary>Tests that replace Serilog's global logger or self-log; never run alongside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalSerilogCollection
{
    public const string Name = "Global Serilog state";
}

[Collection(GlobalSerilogCollection.Name)]
public sealed class AkkaSerilogLoggingTests
{
    [Fact]
    public async Task An_actors_log_call_reaches_the_serilog_sink_with_its_properties()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        var system = ActorSystem.Create("logging-" + Guid.NewGuid().ToString("N"), AkkaSerilogLogging.Config(LogEventLevel.Debug));
        try
        {
            Assert.Equal("DEBUG", system.Settings.LogLevel);
            var actor = system.ActorOf(Props.Create(() => new StoringActor()), "store-scp");

            actor.Tell("1.2.840.99.1");

            var logged = await WaitForAsync(sink, logEvent => logEvent.MessageTemplate.Text == "Stored {SopInstanceUid}");
            Assert.Equal(LogEventLevel.Information, logged.Level);
            Assert.Equal("Stored \"1.2.840.99.1\"", logged.RenderMessage());
            Assert.Equal("\"1.2.840.99.1\"", logged.Properties["SopInstanceUid"].ToString());
            Assert.Equal("42", logged.Properties[LogProperties.JobId].ToString());
            Assert.Contains("store-scp", logged.Properties["ActorPath"].ToString());
        }
        finally
        {
            await system.Terminate();
            Log.Logger = previous;
        }
    }

    [Fact]
    public async Task What_akka_logs_while_its_loggers_are_stopped_goes_to_serilog_not_to_stdout()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        var system = ActorSystem.Create("logging-" + Guid.NewGuid().ToString("N"), AkkaSerilogLogging.Config(LogEventLevel.Debug));
        try
        {
            Assert.IsType<SerilogMinimalLogger>(system.Settings.StdoutLogger);
        }
        finally
        {
            await system.Terminate();
            Log.Logger = previous;
        }

        // Once the Serilog logger actor has stopped, Akka announces its fallback logger (at debug level): through it.
        var notice = Assert.Single(sink.Events, e => e.RenderMessage().Contains("Shutting down: SerilogMinimalLogger started", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Debug, notice.Level);
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "DEBUG")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    [InlineData(LogEventLevel.Information, "INFO")]
    [InlineData(LogEventLevel.Warning, "WARNING")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    [InlineData(LogEventLevel.Fatal, "ERROR")]
    public void Hocon_installs_the_serilog_logger_at_the_matching_level(LogEventLevel level, string akkaLevel)
    {
        var config = AkkaSerilogLogging.Config(level);

        Assert.Equal(akkaLevel, config.GetString("akka.loglevel"));
        Assert.Equal([AkkaSerilogLogging.LoggerType], config.GetStringList("akka.loggers"));
        Assert.Equal(AkkaSerilogLogging.MessageFormatterType, config.GetString("akka.logger-formatter"));
        Assert.Equal("OFF", config.GetString("akka.stdout-loglevel"));
        Assert.Equal(AkkaSerilogLogging.MinimalLoggerType, config.GetString("akka.stdout-logger-class"));
        Assert.NotNull(Type.GetType(AkkaSerilogLogging.MinimalLoggerType));
        Assert.NotNull(Type.GetType(AkkaSerilogLogging.LoggerType));
        Assert.NotNull(Type.GetType(AkkaSerilogLogging.MessageFormatterType));
    }

    private static async Task<LogEvent> WaitForAsync(CollectingSink sink, Func<LogEvent, bool> predicate)
    {
        // Logging goes through the logger actor asynchronously; the generous bound only stops a broken test.
        for (int attempt = 0; attempt < 300; attempt++)
        {
            var match = sink.Events.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("The actor's log event never reached Serilog; seen: "
            + string.Join(" | ", sink.Events.Select(logEvent => logEvent.MessageTemplate.Text)));
    }

    private sealed class StoringActor : ReceiveActor
    {
        public StoringActor()
        {
            var log = Context.GetLogger().WithContext(LogProperties.JobId, 42);
            Receive<string>(sopInstanceUid => log.Info("Stored {SopInstanceUid}", sopInstanceUid));
        }
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IEnumerable<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
