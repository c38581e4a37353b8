using System.Net;
using ActorMove.Cli.Options;
using ActorMove.Cli.Retrieval;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.AccessControl;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Logging;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using static ActorMove.Cli.Retrieval.ExitCodes;
using ActorMove.Network.Association;
using ActorMove.Network.Transport;
using Serilog;
using Serilog.Events;

namespace ActorMove.Cli;

/// <summary>A valid command line, run through the engine; returns movescu's exit code.</summary>
public static class RetrieveEntryPoint
{
    /// <summary>Test hooks: where +ac reads its rules (hosts_access(5) files).</summary>
    public const string HostsAllowVariable = "ACTORMOVE_HOSTS_ALLOW";
    public const string HostsDenyVariable = "ACTORMOVE_HOSTS_DENY";

    public static int Run(MoveOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        // The logger and the progress lines of --parallel/--manifest runs share stderr.
        var errorOutput = TextWriter.Synchronized(stderr);
        bool stderrIsTerminal = LiveProgress.IsTerminal(stderr);
        Serilog.Core.Logger logger;
        try
        {
            logger = LoggingSetup.CreateLogger(
                new LoggingOptions { Level = ToSerilog(options.LogLevel), ConfigFile = options.LogConfigFile }, errorOutput);
        }
        catch (LoggingSetupException e)
        {
            errorOutput.WriteLine($"F: {e.Message}");
            return ExitCodes.CommandLineSyntaxError;
        }

        using (logger)
        {
            Log.Logger = logger;
            try
            {
                return RunAsync(options, logger, stdout, errorOutput, stderrIsTerminal).GetAwaiter().GetResult();
            }
            finally
            {
                Log.CloseAndFlush();
            }
        }
    }

    private static async Task<int> RunAsync(MoveOptions options, Serilog.Core.Logger logger, TextWriter stdout, TextWriter errorOutput, bool stderrIsTerminal)
    {
        if (options.IncomingPort is not null && !Directory.Exists(options.OutputDirectory))
        {
            logger.Fatal("specified output directory does not exist");
            return ExitCodes.InvalidOutputDirectory;
        }

        IReadOnlyList<QueryIdentifier> identifiers;
        UnreadableQueryFile? unreadable = null;
        try
        {
            // movescu moves the query files it can read, up to the first it cannot; a migration checks every one first.
            identifiers = options.Extensions.Active ? QueryIdentifiers.Build(options) : QueryIdentifiers.BuildUpToUnreadable(options, out unreadable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.DicomFormatException or ArgumentException)
        {
            logger.Fatal("{Error}", e.Message);
            return ExitCodes.CommandLineSyntaxError;
        }

        foreach (string warning in identifiers.SelectMany(identifier => identifier.Warnings))
        {
            logger.Warning("{Warning}", warning);
        }

        ActorMoveOptions engineOptions;
        try
        {
            engineOptions = EngineOptions(options, ReceiveProgress(logger, stdout));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.Fatal("cannot read host access rules: {Error}", e.Message);
            return ExitCodes.CannotInitializeNetwork;
        }

        MigrationRunner? runner = null;
        if (options.Extensions.Active)
        {
            int setup = MigrationRunner.TryCreate(options, identifiers, logger, errorOutput, out runner, stderrIsTerminal);
            if (setup != ExitCodes.NoError)
            {
                return setup;
            }
        }

        using var extensionRun = runner;
        await using var engine = ActorMoveEngine.Start(engineOptions, AkkaSerilogLogging.Config(LoggingSetup.MinimumEnabledLevel(logger)));
        using var interrupts = new InterruptCleanup(engine, logger, logger.Dispose);
        if (engineOptions.Store is not null)
        {
            try
            {
                await engine.Client.GetStorePortAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                // movescu's words: the store port is its network.
                logger.Fatal("cannot create network: 0006:031c TCP Initialization Error: {Reason}", e.Message);
                return ExitCodes.CannotInitializeNetwork;
            }
        }

        if (runner is not null)
        {
            return await runner.RunAsync(engine.Client).ConfigureAwait(false);
        }

        int exitCode = ExitCodes.NoError;
        // movescu's order: each query file's moves, --repeat times, before the next file's.
        foreach (var identifier in identifiers)
        {
            for (ulong repeat = 0; repeat < options.RepeatCount; repeat++)
            {
                // One association for all of them, as movescu's: each move leaves it open for the next.
                var request = new MoveRequest(options.Peer, options.Port, identifier.Dataset, options.QueryModel, options.CalledAETitle,
                    options.CallingAETitle, options.EffectiveMoveDestination, options.EffectiveCancelAfterResponses, options.AbortAssociation, identifier.Syntax,
                    identifier.ReadSyntax, KeepAssociation: true);
                var result = await engine.Client.MoveAsync(request).ConfigureAwait(false);
                int code = ExitCodes.For(result);
                LogResult(logger, result, options.Peer);
                if (code is ExitCodes.CannotNegotiateAssociation or ExitCodes.NoPresentationContext)
                {
                    return code;
                }

                exitCode = ExitCodes.Worse(exitCode, code);
            }
        }

        if (unreadable is not null)
        {
            // movescu's two lines for it; the moves before it stand, and the exit code is theirs.
            logger.Debug("{Path} is not a readable DICOM file: {Detail}", unreadable.Path, unreadable.Detail);
            logger.Error("bad DICOM file: {Path}: {Reason}", unreadable.Path, unreadable.Reason);
            logger.Error("Move SCU Failed: 0006:0202 DIMSE Inappropriate data for message");
        }

        // After a query file it cannot read, movescu aborts the association its moves shared instead of releasing it.
        foreach (var failure in await engine.Client.CloseKeptAssociationsAsync(abort: unreadable is not null).ConfigureAwait(false))
        {
            MovescuFailures.LogReleaseFailure(logger, failure);
            exitCode = ExitCodes.Worse(exitCode, ExitCodes.CannotCloseAssociation);
        }

        return exitCode;
    }

    /// <param name="countsLevel">
    /// The level of the lines with the sub-operation counts and the details movescu leaves to its debug dumps (the error
    /// comment, the Failed SOP Instance UID List): debug for plain runs, where the lines at warning and info level are
    /// movescu's alone (the move job has logged its final response in movescu's words).
    /// </param>
    /// <param name="peer">The archive's host as given, for movescu's "unknown host" line.</param>
    internal static void LogResult(ILogger logger, MoveResult result, string peer, LogEventLevel countsLevel = LogEventLevel.Debug)
    {
        switch (result.Outcome)
        {
            case MoveOutcome.Success or MoveOutcome.Cancelled:
                break;
            case MoveOutcome.Warning or MoveOutcome.Failed when result.FinalStatus is not null:
                // movescu's warning line for the status came from the move job, where movescu prints it: before its
                // "Received Final Move Response".
                if (result.Error is not null)
                {
                    logger.Write(countsLevel, "Move of job {JobId} failed: {Error}", result.JobId, result.Error);
                }

                break;
            case MoveOutcome.AssociationFailed or MoveOutcome.NoPresentationContext:
                if (!MovescuFailures.TryLog(logger, result.Cause, peer))
                {
                    logger.Fatal("Association Request Failed: {Error}", result.Error);
                }

                break;
            default:
                logger.Error("Move Request Failed: {Error}", result.Error);
                break;
        }

        if (result.FinalStatus is { } final)
        {
            logger.Write(countsLevel, "Sub-operations of job {JobId}: {Completed} completed, {Failed} failed, {Warning} warning (final status {Status:X4})",
                result.JobId, result.Counts.Completed, result.Counts.Failed, result.Counts.Warning, final);
        }

        foreach (string failed in result.FailedSopInstances)
        {
            logger.Write(countsLevel, "Failed SOP Instance: {SopInstanceUid}", failed);
        }
    }

    /// <summary>
    /// movescu prints its "RECV: ..." progress lines at info level only: -v or -ll info, not -d, whose debug output says
    /// more. A -lc configuration decides by the levels it enables in the same way.
    /// </summary>
    private static TextWriter? ReceiveProgress(Serilog.Core.Logger logger, TextWriter stdout) =>
        logger.IsEnabled(LogEventLevel.Information) && !logger.IsEnabled(LogEventLevel.Debug) ? TextWriter.Synchronized(stdout) : null;

    private static ActorMoveOptions EngineOptions(MoveOptions options, TextWriter? receiveProgress)
    {
        var association = new AssociationOptions
        {
            MaxPduLength = options.MaxReceivePduLength,
            AcseTimeout = TimeSpan.FromSeconds(options.AcseTimeoutSeconds),
            DimseTimeout = options.DimseTimeoutSeconds is { } dimse ? TimeSpan.FromSeconds(dimse) : null,
            Connection = ConnectionOptions.Default with
            {
                ConnectTimeout = options.ConnectionTimeoutSeconds is { } connect ? TimeSpan.FromSeconds(connect) : null,
                HostLookup = !options.DisableHostLookup,
            },
        };
        var move = new MoveSettings
        {
            AeTitle = options.CallingAETitle,
            Proposal = options.OutgoingTransferSyntax,
            PendingDataSets = options.PendingDatasets,
            Association = association,
            NameJobsInLog = options.Extensions.Active,
        };
        if (options.IncomingPort is not { } port)
        {
            return new ActorMoveOptions { Move = move };
        }

        return new ActorMoveOptions
        {
            Move = move,
            Store = new StoreSettings
            {
                EndPoint = new IPEndPoint(IPAddress.IPv6Any, port),
                Preference = options.IncomingTransferSyntax,
                OutputDirectory = options.OutputDirectory,
                Output = new StoreOutputOptions(options.BitPreserving, WriteOptions(options)),
                IgnoreData = options.IgnoreStoreData,
                ReceiveProgress = receiveProgress,
                ListenFailureReportedByCaller = true,
                MaxAssociations = options.Extensions.MaxStoreAssociations,
                AccessControl = options.EnforceHostAccessControl
                    ? HostAccessRules.Load(Environment.GetEnvironmentVariable(HostsAllowVariable) ?? HostAccessRules.DefaultAllowPath,
                        Environment.GetEnvironmentVariable(HostsDenyVariable) ?? HostAccessRules.DefaultDenyPath)
                    : null,
                Association = association,
            },
        };
    }

    private static DicomWriteOptions WriteOptions(MoveOptions options) => new()
    {
        TargetSyntax = options.OutputTransferSyntax switch
        {
            OutputTransferSyntax.ExplicitLittleEndian => TransferSyntax.ExplicitVRLittleEndian,
            OutputTransferSyntax.ExplicitBigEndian => TransferSyntax.ExplicitVRBigEndian,
            OutputTransferSyntax.ImplicitLittleEndian => TransferSyntax.ImplicitVRLittleEndian,
            OutputTransferSyntax.DeflatedExplicitLittleEndian => TransferSyntax.DeflatedExplicitVRLittleEndian,
            _ => null,
        },
        WriteFileFormat = options.OutputFileFormat == OutputFileFormat.FileFormat,
        EnableNewVRs = options.EnableNewVRs,
        GroupLength = options.GroupLengthEncoding switch
        {
            GroupLengthEncoding.Create => GroupLengthMode.Create,
            GroupLengthEncoding.Remove => GroupLengthMode.Remove,
            _ => GroupLengthMode.Recalculate,
        },
        SequenceLength = options.SequenceLengthEncoding == SequenceLengthEncoding.Undefined ? SequenceLengthMode.Undefined : SequenceLengthMode.Explicit,
        Padding = options.Padding is null ? PaddingMode.Remove : PaddingMode.Create,
        FilePadding = (int)Math.Min(options.Padding?.FileAlignment ?? 0, int.MaxValue),
        ItemPadding = (int)Math.Min(options.Padding?.ItemAlignment ?? 0, int.MaxValue),
        DeflateLevel = options.CompressionLevel,
    };

    private static LogEventLevel ToSerilog(Options.LogLevel level) => level switch
    {
        Options.LogLevel.Trace => LogEventLevel.Verbose,
        Options.LogLevel.Debug => LogEventLevel.Debug,
        Options.LogLevel.Info => LogEventLevel.Information,
        Options.LogLevel.Warn => LogEventLevel.Warning,
        Options.LogLevel.Error => LogEventLevel.Error,
        // -q and -ll off: only fatal conditions (Serilog has no "off" level; fatal is as quiet as it gets).
        _ => LogEventLevel.Fatal,
    };
}
