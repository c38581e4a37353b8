using ActorMove.Engine.Retrieve;

namespace ActorMove.Engine.Tests.Migration;

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

internal static class MigrationTestData
{
    public static MoveResult Result(
        MoveOutcome outcome = MoveOutcome.Success,
        ushort? status = 0x0000,
        int completed = 0,
        int failed = 0,
        int warning = 0,
        long[]? fileSizes = null,
        double milliseconds = 10,
        string? error = null)
    {
        var files = (fileSizes ?? []).Select((size, i) => new StoredObject("1.2.840.10008.5.1.4.1.1.7", $"1.2.{i}", $"/out/{i}", size, 0)).ToList();
        return new MoveResult(1, outcome, status, new SubOperationCounts(0, completed, failed, warning), files, [], error,
            TimeSpan.FromMilliseconds(milliseconds));
    }
}
