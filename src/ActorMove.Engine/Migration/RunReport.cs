using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMove.Engine.Migration;

/// <summary>
/// The --report FILE.json document, written camelCase. Shape (version 1):
/// <code>
/// {
///   "schemaVersion": 1,
///   "startedUtc": "2026-11-29T15:00:00+00:00", "finishedUtc": "...", "durationSeconds": 12.5,
///   "moves": 100, "succeeded": 95, "warnings": 1, "failed": 4,
///   "images": 12000, "bytes": 6000000000, "megabytes": 6000.0,
///   "imagesPerSecond": 960.0, "megabytesPerSecond": 480.0,
///   "subOperations": { "completed": 12000, "failed": 3, "warning": 0 },
///   "latencyMs": { "method": "nearest-rank", "count": 100, "min": 80.1, "mean": 120.4, "p50": 110.0,
///                  "p95": 200.2, "p99": 250.0, "max": 300.9 },
///   "failures": [ { "status": "A801", "outcome": "Failed", "count": 3 },
///                 { "status": null, "outcome": "AssociationFailed", "count": 1 } ]
/// }
/// </code>
/// Megabytes are 10^6 bytes. Rates are over the wall-clock duration of the run (moves overlap with --parallel). Images
/// and bytes count the objects stored by each move. "failures" groups every move that did not end in Success (warnings
/// included) by final status (4 hex digits, null when no final response came) and outcome, largest group first.
/// latencyMs is null when no move was recorded.
/// </summary>
public sealed record RunReport(
    int SchemaVersion,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc,
    double DurationSeconds,
    int Moves,
    int Succeeded,
    int Warnings,
    int Failed,
    long Images,
    long Bytes,
    double Megabytes,
    double ImagesPerSecond,
    double MegabytesPerSecond,
    SubOperationTotals SubOperations,
    LatencyReport? LatencyMs,
    IReadOnlyList<FailureGroup> Failures)
{
    public const int CurrentSchemaVersion = 1;

    public string ToJson() => JsonSerializer.Serialize(this, MigrationJsonContext.Default.RunReport);

    /// <summary>Writes the report to <paramref name="path"/> through a temporary file, so a reader never sees half of it.</summary>
    public void WriteTo(string path)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, MigrationJsonContext.Default.RunReport);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

public sealed record SubOperationTotals(long Completed, long Failed, long Warning);

/// <summary>Per-move latency in milliseconds; percentiles by <see cref="Method"/> over every recorded move.</summary>
public sealed record LatencyReport(string Method, int Count, double Min, double Mean, double P50, double P95, double P99, double Max);

/// <param name="Status">The final status as 4 upper-case hex digits, null when the move got no final response.</param>
public sealed record FailureGroup(string? Status, string Outcome, int Count);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(List<IdentifierElement>))]
internal sealed partial class MigrationJsonContext : JsonSerializerContext;
