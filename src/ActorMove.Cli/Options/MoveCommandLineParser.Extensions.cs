namespace ActorMove.Cli.Options;

public static partial class MoveCommandLineParser
{
    private sealed partial class Evaluation
    {
        /// <summary>
        /// The "actormove extensions:" options, checked after movescu's own (so a movescu mistake is reported first, as
        /// movescu would) and before the "query file or override keys" rule, which a manifest satisfies. Errors are worded
        /// as DCMTK words its range and conflict errors.
        /// </summary>
        private static ActorMoveExtensions Extensions(ScannedCommandLine scanned, int queryFileCount, bool hasStorePort)
        {
            int? maxAssociations = null;
            if (scanned.Last(OptionId.MaxAssociations) is { } maxAssociationsOption)
            {
                if (!hasStorePort)
                {
                    throw new CommandLineSyntaxException("--max-associations only allowed with --port");
                }

                maxAssociations = (int)UnsignedValue(maxAssociationsOption, 0, 1, 65535);
            }

            int parallel = scanned.Last(OptionId.Parallel) is { } parallelOption
                ? (int)UnsignedValue(parallelOption, 0, ActorMoveExtensions.MinParallel, ActorMoveExtensions.MaxParallel)
                : 1;
            int retries = scanned.Last(OptionId.Retry) is { } retryOption
                ? (int)UnsignedValue(retryOption, 0, 0, ActorMoveExtensions.MaxRetries)
                : 0;

            string? manifest = scanned.Last(OptionId.Manifest)?.Value;
            if (manifest is not null)
            {
                CheckConflict("--manifest", "dcmfile-in (query files)", queryFileCount > 0);
            }

            string? journal = scanned.Last(OptionId.Journal)?.Value;
            if (journal is not null)
            {
                if (manifest is null)
                {
                    throw new CommandLineSyntaxException("--journal only allowed with --manifest");
                }

                // A journal records each row once; repeating the rows would have nothing to record.
                CheckConflict("--journal", "--repeat", scanned.Has(OptionId.Repeat));
            }

            bool forceJournal = scanned.Has(OptionId.ForceJournal);
            if (forceJournal && journal is null)
            {
                throw new CommandLineSyntaxException("--force-journal only allowed with --journal");
            }

            if (manifest?.Length == 0 || journal?.Length == 0 || scanned.Last(OptionId.Report)?.Value.Length == 0)
            {
                throw new CommandLineSyntaxException(
                    $"Invalid value for option {(manifest?.Length == 0 ? "--manifest" : journal?.Length == 0 ? "--journal" : "--report")}");
            }

            return new ActorMoveExtensions
            {
                Parallel = parallel,
                ManifestFile = manifest,
                JournalFile = journal,
                ForceJournal = forceJournal,
                Retries = retries,
                ReportFile = scanned.Last(OptionId.Report)?.Value,
                MaxStoreAssociations = maxAssociations,
            };
        }
    }
}
