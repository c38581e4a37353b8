using ActorMove.Network.Services;
using ActorMove.Network.Negotiation;
using System.Text;
using ActorMove.Dicom.Core;

namespace ActorMove.Cli.Options;

/// <summary>
/// Turns a movescu 3.6.7 command line into <see cref="MoveOptions"/>, reporting the same errors in the same order as movescu:
/// first the scan (command files, unknown options, missing values, missing parameters), then the port parameter,
/// the logging options, the -k keys, the remaining options in movescu's evaluation order (--timeout comes last),
/// the query files, and finally the "query file or -k" rule. Only the first error is reported, like movescu does.
/// </summary>
public static partial class MoveCommandLineParser
{
    public const string ProgramName = "actormove";

    public static MoveCommandLineResult Parse(IReadOnlyList<string> arguments, IOverrideKeyDictionary? dictionary = null,
        string programName = ProgramName)
    {
        var scanned = CommandLineScanner.Scan(arguments);
        switch (scanned.Status)
        {
            case ScanStatus.CannotOpenCommandFile:
                return Failure($"Cannot open command file '{scanned.Culprit}'");
            case ScanStatus.UnknownOption:
                return Failure($"Unknown option {scanned.Culprit}");
            case ScanStatus.MissingValue:
                return Failure($"Missing value for option {scanned.Culprit}");
            case ScanStatus.NoArguments:
                return new MoveCommandLineResult { Action = CommandLineAction.PrintUsage };
            case ScanStatus.ExclusiveOption:
                return new MoveCommandLineResult
                {
                    Action = scanned.Has(OptionId.Help) ? CommandLineAction.PrintUsage : CommandLineAction.PrintVersion,
                };
            case ScanStatus.MissingParameter:
                return Failure($"Missing parameter {scanned.Culprit}");
        }

        var evaluation = new Evaluation(scanned, dictionary, programName);
        try
        {
            var options = evaluation.Evaluate();
            return new MoveCommandLineResult
            {
                Action = CommandLineAction.Retrieve,
                Options = options,
                ArgumentsEcho = evaluation.ArgumentsEcho,
            };
        }
        catch (CommandLineSyntaxException e)
        {
            return Failure(e.Message) with { ErrorSuppressed = evaluation.Quiet, ArgumentsEcho = evaluation.ArgumentsEcho };
        }
    }

    /// <summary>The --arguments echo: DCMTK logs it at info level, so every line gets the "I: " prefix.</summary>
    public static string FormatArgumentsEcho(string programName, IReadOnlyList<string> expandedArguments)
    {
        var message = new StringBuilder();
        message.Append($"calling '{programName}' with {expandedArguments.Count} arguments: ");
        foreach (string argument in expandedArguments)
        {
            // DCMTK skips empty arguments in the list but counts them.
            if (argument.Length > 0)
            {
                message.Append('\'').Append(argument).Append("' ");
            }
        }

        message.Append('\n');
        var echo = new StringBuilder();
        foreach (string line in message.ToString().Split('\n'))
        {
            echo.Append("I: ").Append(line).Append('\n');
        }

        return echo.ToString();
    }

    private static MoveCommandLineResult Failure(string message) =>
        new() { Action = CommandLineAction.Fail, ErrorMessage = message };

    private sealed class CommandLineSyntaxException(string message) : Exception(message);

    private sealed partial class Evaluation(ScannedCommandLine scanned, IOverrideKeyDictionary? dictionary, string programName)
    {
        private const string BitPreservingName = "--bit-preserving";

        public bool Quiet { get; private set; }

        public string? ArgumentsEcho { get; private set; }

        public MoveOptions Evaluate()
        {
            string peer = scanned.Parameters[0];
            int port = (int)PortParameter(scanned.Parameters[1]);

            var (logLevel, logConfig) = Logging();
            Quiet = logLevel >= LogLevel.Fatal;
            bool echoArguments = scanned.Has(OptionId.Arguments);
            if (echoArguments)
            {
                ArgumentsEcho = FormatArgumentsEcho(programName, scanned.Arguments);
            }

            var keys = scanned.All(OptionId.Key).Select(k => ParseOverrideKey(k.Value)).ToList();
            long? connectionTimeout = scanned.Last(OptionId.Timeout) is { } timeout ? SignedValue(timeout, min: 1) : null;

            var queryModel = scanned.LastOf(OptionId.Patient, OptionId.Study, OptionId.PsOnly)?.Id switch
            {
                OptionId.Study => QueryRetrieveModel.StudyRoot,
                OptionId.PsOnly => QueryRetrieveModel.PatientStudyOnly,
                _ => QueryRetrieveModel.PatientRoot,
            };
            string callingAETitle = scanned.Last(OptionId.AeTitle)?.Value ?? MoveOptions.DefaultCallingAETitle;
            string calledAETitle = scanned.Last(OptionId.Call)?.Value ?? MoveOptions.DefaultCalledAETitle;
            string? moveDestination = scanned.Last(OptionId.Move)?.Value;

            var incomingOption = scanned.LastOf(IncomingPreferenceOptions);
            var incoming = incomingOption is null ? IncomingTransferSyntaxPreference.ExplicitLocalByteOrder : IncomingPreference(incomingOption.Id);
            var outgoing = scanned.LastOf(OptionId.ProposeUncompr, OptionId.ProposeLittle, OptionId.ProposeBig,
                    OptionId.ProposeDeflated, OptionId.ProposeImplicit)?.Id switch
            {
                OptionId.ProposeLittle => OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst,
                OptionId.ProposeBig => OutgoingTransferSyntaxProposal.ExplicitBigEndianFirst,
                OptionId.ProposeDeflated => OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian,
                OptionId.ProposeImplicit => OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly,
                _ => OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst,
            };
            bool accessControl = scanned.LastOf(OptionId.AccessFull, OptionId.AccessControl)?.Id == OptionId.AccessControl;

            long acseTimeout = scanned.Last(OptionId.AcseTimeout) is { } acse ? SignedValue(acse, min: 1) : MoveOptions.DefaultAcseTimeoutSeconds;
            long? dimseTimeout = scanned.Last(OptionId.DimseTimeout) is { } dimse ? SignedValue(dimse, min: 1) : null;

            // movescu looks at --port before --no-port, so a +P value is checked even when a later --no-port overrides it.
            int? incomingPort = null;
            EvaluateBlock([OptionId.Port, OptionId.NoPort], found =>
                incomingPort = found.Id == OptionId.Port ? (int)UnsignedValue(found, 0, min: 1, max: 65535) : null);

            uint maxPdu = scanned.Last(OptionId.MaxPdu) is { } pdu
                ? (uint)UnsignedValue(pdu, 0, MoveOptions.MinMaxReceivePduLength, MoveOptions.MaxMaxReceivePduLength)
                : MoveOptions.DefaultMaxReceivePduLength;
            bool disableHostLookup = scanned.Has(OptionId.DisableHostLookup);
            ulong repeat = scanned.Last(OptionId.Repeat) is { } repeatOption ? UnsignedValue(repeatOption, 0, min: 1) : 1;
            bool abort = scanned.Has(OptionId.Abort);
            bool ignore = scanned.Has(OptionId.Ignore);
            long? cancel = scanned.Last(OptionId.Cancel) is { } cancelOption ? SignedValue(cancelOption, min: 0) : null;
            bool uidPadding = scanned.Has(OptionId.UidPadding);

            string outputDirectory = ".";
            if (scanned.Last(OptionId.OutputDirectory) is { } outputDirectoryOption)
            {
                if (incomingPort is null)
                {
                    throw new CommandLineSyntaxException("--output-directory only allowed with --port");
                }

                outputDirectory = outputDirectoryOption.Value;
            }

            bool bitPreserving = scanned.LastOf(OptionId.Normal, OptionId.BitPreserving)?.Id == OptionId.BitPreserving;
            var fileFormat = scanned.LastOf(OptionId.WriteFile, OptionId.WriteDataset)?.Id == OptionId.WriteDataset
                ? OutputFileFormat.DatasetOnly
                : OutputFileFormat.FileFormat;

            var outputTransferSyntax = OutputTransferSyntax.SameAsInput;
            EvaluateBlock(
                [OptionId.WriteXferSame, OptionId.WriteXferLittle, OptionId.WriteXferBig, OptionId.WriteXferImplicit, OptionId.WriteXferDeflated],
                found =>
                {
                    outputTransferSyntax = found.Id switch
                    {
                        OptionId.WriteXferLittle => OutputTransferSyntax.ExplicitLittleEndian,
                        OptionId.WriteXferBig => OutputTransferSyntax.ExplicitBigEndian,
                        OptionId.WriteXferImplicit => OutputTransferSyntax.ImplicitLittleEndian,
                        OptionId.WriteXferDeflated => OutputTransferSyntax.DeflatedExplicitLittleEndian,
                        _ => OutputTransferSyntax.SameAsInput,
                    };
                    if (outputTransferSyntax != OutputTransferSyntax.SameAsInput)
                    {
                        string name = found.Definition.LongName;
                        CheckConflict(name, "--accept-all", incoming == IncomingTransferSyntaxPreference.AcceptAll);
                        CheckConflict(name, BitPreservingName, bitPreserving);
                        CheckConflict(name, incomingOption?.Definition.LongName ?? "", IsCompressed(incoming));
                    }
                });

            bool enableNewVRs = true;
            EvaluateBlock([OptionId.EnableNewVr, OptionId.DisableNewVr], found =>
            {
                CheckConflict(found.Definition.LongName, BitPreservingName, bitPreserving);
                enableNewVRs = found.Id == OptionId.EnableNewVr;
            });

            var groupLength = GroupLengthEncoding.RecalculateIfPresent;
            EvaluateBlock([OptionId.GroupLengthRecalc, OptionId.GroupLengthCreate, OptionId.GroupLengthRemove], found =>
            {
                CheckConflict(found.Definition.LongName, BitPreservingName, bitPreserving);
                groupLength = found.Id switch
                {
                    OptionId.GroupLengthCreate => GroupLengthEncoding.Create,
                    OptionId.GroupLengthRemove => GroupLengthEncoding.Remove,
                    _ => GroupLengthEncoding.RecalculateIfPresent,
                };
            });

            var sequenceLength = SequenceLengthEncoding.Explicit;
            EvaluateBlock([OptionId.LengthExplicit, OptionId.LengthUndefined], found =>
            {
                CheckConflict(found.Definition.LongName, BitPreservingName, bitPreserving);
                sequenceLength = found.Id == OptionId.LengthUndefined ? SequenceLengthEncoding.Undefined : SequenceLengthEncoding.Explicit;
            });

            DatasetPadding? padding = null;
            EvaluateBlock([OptionId.PaddingOff, OptionId.PaddingCreate], found =>
            {
                if (found.Id == OptionId.PaddingOff)
                {
                    padding = null;
                    return;
                }

                CheckConflict(found.Definition.LongName, "--write-dataset", fileFormat == OutputFileFormat.DatasetOnly);
                CheckConflict(found.Definition.LongName, BitPreservingName, bitPreserving);
                padding = new DatasetPadding(UnsignedValue(found, 0), UnsignedValue(found, 1));
            });

            int compressionLevel = MoveOptions.DefaultCompressionLevel;
            if (scanned.Last(OptionId.CompressionLevel) is { } compressionOption)
            {
                bool deflating = outgoing == OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian
                    || outputTransferSyntax is OutputTransferSyntax.DeflatedExplicitLittleEndian or OutputTransferSyntax.SameAsInput;
                if (!deflating)
                {
                    throw new CommandLineSyntaxException(
                        "--compression-level only allowed with --propose-deflated, --write-xfer-deflated or --write-xfer-same");
                }

                compressionLevel = (int)UnsignedValue(compressionOption, 0, min: 0, max: 9);
            }

            var pending = scanned.LastOf(OptionId.PendingIgnore, OptionId.PendingRead)?.Id == OptionId.PendingRead
                ? PendingDataSetHandling.ReadAndDiscard
                : PendingDataSetHandling.AssumeNone;

            var queryFiles = scanned.Parameters.Skip(CommandLineScanner.MandatoryParameterCount).ToList();
            foreach (string file in queryFiles)
            {
                if (!CanRead(file))
                {
                    throw new CommandLineSyntaxException($"cannot access file: {file}");
                }
            }

            var extensions = Extensions(scanned, queryFiles.Count, hasStorePort: incomingPort is not null);
            if (queryFiles.Count == 0 && keys.Count == 0 && extensions.ManifestFile is null)
            {
                throw new CommandLineSyntaxException("either query file or override keys (or both) must be specified");
            }

            return new MoveOptions
            {
                Peer = peer,
                Port = port,
                QueryFiles = queryFiles,
                OverrideKeys = keys,
                LogLevel = logLevel,
                LogConfigFile = logConfig,
                PrintExpandedArguments = echoArguments,
                QueryModel = queryModel,
                CallingAETitle = callingAETitle,
                CalledAETitle = calledAETitle,
                MoveDestination = moveDestination,
                IncomingTransferSyntax = incoming,
                OutgoingTransferSyntax = outgoing,
                EnforceHostAccessControl = accessControl,
                IncomingPort = incomingPort,
                PendingDatasets = pending,
                ConnectionTimeoutSeconds = connectionTimeout,
                AcseTimeoutSeconds = acseTimeout,
                DimseTimeoutSeconds = dimseTimeout,
                MaxReceivePduLength = maxPdu,
                DisableHostLookup = disableHostLookup,
                RepeatCount = repeat,
                AbortAssociation = abort,
                IgnoreStoreData = ignore,
                CancelAfterResponses = cancel,
                CorrectUidPadding = uidPadding,
                OutputDirectory = outputDirectory,
                BitPreserving = bitPreserving,
                OutputFileFormat = fileFormat,
                OutputTransferSyntax = outputTransferSyntax,
                EnableNewVRs = enableNewVRs,
                GroupLengthEncoding = groupLength,
                SequenceLengthEncoding = sequenceLength,
                Padding = padding,
                CompressionLevel = compressionLevel,
                Extensions = extensions,
            };
        }

        private (LogLevel Level, string? ConfigFile) Logging()
        {
            var verbosity = scanned.LastOf(OptionId.Verbose, OptionId.Debug, OptionId.Quiet);
            var level = verbosity?.Id switch
            {
                OptionId.Verbose => LogLevel.Info,
                OptionId.Debug => LogLevel.Debug,
                OptionId.Quiet => LogLevel.Fatal,
                _ => LogLevel.Warn,
            };
            if (scanned.Last(OptionId.LogLevel) is { } levelOption)
            {
                CheckConflict("--log-level", "--verbose, --debug or --quiet", verbosity is not null);
                level = ParseLogLevel(levelOption.Value)
                    ?? throw new CommandLineSyntaxException("Invalid log level for --log-level option");
            }

            string? configFile = null;
            if (scanned.Last(OptionId.LogConfig) is { } configOption)
            {
                CheckConflict("--log-config", "--verbose, --debug or --quiet", verbosity is not null);
                CheckConflict("--log-config", "--log-level", scanned.Has(OptionId.LogLevel));
                configFile = configOption.Value;
                if (!File.Exists(configFile))
                {
                    throw new CommandLineSyntaxException("Specified --log-config file does not exist");
                }

                if (!ContainsSettings(configFile))
                {
                    throw new CommandLineSyntaxException("Specified --log-config file does not contain any settings");
                }
            }

            return (level, configFile);
        }

        private static LogLevel? ParseLogLevel(string text) => text.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Info,
            "warn" => LogLevel.Warn,
            "error" => LogLevel.Error,
            "fatal" => LogLevel.Fatal,
            "off" => LogLevel.Off,
            _ => null,
        };

        /// <summary>
        /// -lc takes a Serilog JSON configuration (ActorMove's deviation from movescu's log4cplus files): it holds settings
        /// when it is a JSON object with a "Serilog" section. Anything else gets movescu's "does not contain any settings".
        /// </summary>
        private static bool ContainsSettings(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var document = System.Text.Json.JsonDocument.Parse(stream, new System.Text.Json.JsonDocumentOptions
                {
                    CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                });
                return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                       && document.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, "Serilog", StringComparison.OrdinalIgnoreCase));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                return false;
            }
        }

        /// <summary>
        /// DCMTK's option blocks: the options are looked at in movescu's code order, each one found only to the right of the
        /// one found before it. The rightmost option wins, but an option met earlier in code order and placed further left is
        /// still evaluated, so its value and conflict checks still fire (movescu reports "+P 0 --no-port" as an error).
        /// </summary>
        private void EvaluateBlock(ReadOnlySpan<OptionId> codeOrder, Action<OptionOccurrence> evaluate)
        {
            int limit = -1;
            foreach (var id in codeOrder)
            {
                var found = scanned.Last(id);
                if (found is not null && found.Position > limit)
                {
                    evaluate(found);
                    limit = found.Position;
                }
            }
        }

        private static void CheckConflict(string option, string otherOptions, bool conflicting)
        {
            if (conflicting)
            {
                throw new CommandLineSyntaxException($"{option} not allowed with {otherOptions}");
            }
        }

        private OverrideKey ParseOverrideKey(string text)
        {
            int equals = text.IndexOf('=');
            string key = equals < 0 ? text : text[..equals];
            string? value = equals < 0 ? null : text[(equals + 1)..];

            if (TryParseTagKey(key, out uint group, out uint element))
            {
                var tag = new DicomTag(unchecked((ushort)group), unchecked((ushort)element));
                if (dictionary is not null && !dictionary.IsKnown(tag))
                {
                    throw new CommandLineSyntaxException($"unknown tag: ({group:x4},{element:x4})");
                }

                CheckCanCreate(tag, group, element);
                return new OverrideKey(text, tag, null, value);
            }

            if (!IsKeyword(key))
            {
                throw BadKey(key);
            }

            if (dictionary is null)
            {
                return new OverrideKey(text, null, key, value);
            }

            if (!dictionary.TryGetTag(key, out var resolved))
            {
                throw BadKey(key);
            }

            CheckCanCreate(resolved, resolved.Group, resolved.Element);
            return new OverrideKey(text, resolved, key, value);
        }

        /// <summary>Items and delimiters are structure, not attributes: DCMTK cannot make an element of them.</summary>
        private static void CheckCanCreate(DicomTag tag, uint group, uint element)
        {
            if (tag.IsDelimitation)
            {
                throw new CommandLineSyntaxException($"cannot create element for tag: ({group:x4},{element:x4})");
            }
        }

        private static CommandLineSyntaxException BadKey(string key) =>
            new($"bad key format or dictionary name not found in dictionary: {key}");

        /// <summary>sscanf("%x,%x"): both numbers must be read; what follows the element is ignored, as DCMTK does.</summary>
        private static bool TryParseTagKey(string key, out uint group, out uint element)
        {
            int position = 0;
            element = 0;
            return CNumberScanner.TryScanHex32(key, ref position, out group)
                && position < key.Length && key[position++] == ','
                && CNumberScanner.TryScanHex32(key, ref position, out element);
        }

        private static bool IsKeyword(string key) =>
            key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

        private static ulong PortParameter(string text)
        {
            if (!CNumberScanner.TryScanUnsigned(text, out ulong value))
            {
                throw new CommandLineSyntaxException($"Invalid parameter value {text}");
            }

            return value switch
            {
                < 1 => throw new CommandLineSyntaxException($"Invalid parameter value {text} (underflow)"),
                > 65535 => throw new CommandLineSyntaxException($"Invalid parameter value {text} (overflow)"),
                _ => value,
            };
        }

        /// <summary>DCMTK's unsigned option values: a leading minus sign is invalid, not wrapped.</summary>
        private static ulong UnsignedValue(OptionOccurrence option, int index, ulong min = ulong.MinValue, ulong max = ulong.MaxValue)
        {
            string text = option.Values[index];
            if (text.TrimStart(' ', '\t', '\n', '\v', '\f', '\r').StartsWith('-')
                || !CNumberScanner.TryScanUnsigned(text, out ulong value))
            {
                throw InvalidValue(option, text);
            }

            return value < min ? throw OutOfRange(option, "underflow", text)
                : value > max ? throw OutOfRange(option, "overflow", text)
                : value;
        }

        private static long SignedValue(OptionOccurrence option, long min)
        {
            string text = option.Value;
            if (!CNumberScanner.TryScanSigned(text, out long value))
            {
                throw InvalidValue(option, text);
            }

            return value < min ? throw OutOfRange(option, "underflow", text) : value;
        }

        private static CommandLineSyntaxException InvalidValue(OptionOccurrence option, string text) =>
            new(text.Length > 0
                ? $"Invalid value for option {option.Definition.LongName} ({text})"
                : $"Invalid value for option {option.Definition.LongName}");

        private static CommandLineSyntaxException OutOfRange(OptionOccurrence option, string direction, string text) =>
            new($"Invalid value for option {option.Definition.LongName} ({direction}: {text})");

        /// <summary>movescu checks access(R_OK), which a directory passes too.</summary>
        private static bool CanRead(string path)
        {
            if (path.Length == 0)
            {
                return false;
            }

            if (Directory.Exists(path))
            {
                return true;
            }

            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return false;
            }
        }

        private static readonly OptionId[] IncomingPreferenceOptions =
        [
            OptionId.PreferUncompr, OptionId.PreferLittle, OptionId.PreferBig, OptionId.PreferLossless, OptionId.PreferJpeg8,
            OptionId.PreferJpeg12, OptionId.PreferJ2kLossless, OptionId.PreferJ2kLossy, OptionId.PreferJlsLossless,
            OptionId.PreferJlsLossy, OptionId.PreferMpeg2, OptionId.PreferMpeg2High, OptionId.PreferMpeg4, OptionId.PreferMpeg4Bd,
            OptionId.PreferMpeg4_2_2d, OptionId.PreferMpeg4_2_3d, OptionId.PreferMpeg4_2_St, OptionId.PreferHevc,
            OptionId.PreferHevc10, OptionId.PreferRle, OptionId.PreferDeflated, OptionId.Implicit, OptionId.AcceptAll,
        ];

        private static IncomingTransferSyntaxPreference IncomingPreference(OptionId id) =>
            (IncomingTransferSyntaxPreference)Array.IndexOf(IncomingPreferenceOptions, id);

        /// <summary>The preferences that make writing with another transfer syntax impossible (movescu does not transcode).</summary>
        private static bool IsCompressed(IncomingTransferSyntaxPreference preference) =>
            preference is >= IncomingTransferSyntaxPreference.JpegLossless and <= IncomingTransferSyntaxPreference.RleLossless;
    }
}
