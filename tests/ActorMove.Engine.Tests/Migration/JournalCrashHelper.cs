using ActorMove.Engine.Migration;
using ActorMove.Engine.Tests.Migration;

/// <summary>
/// Runs inside a child process started by <see cref="MigrationJournalTests"/> (as a .NET startup hook of this test
/// assembly, so no extra program needs building): plans a manifest, marks row 2 done and row 3 running, says "ready"
/// and then waits, holding the journal open, to be killed with SIGKILL. Does nothing unless its variable is set.
/// </summary>
internal static class StartupHook
{
    public const string Variable = "ACTORMOVE_JOURNAL_CRASH_HELPER";

    public static void Initialize()
    {
        string? arguments = Environment.GetEnvironmentVariable(Variable);
        if (arguments is null)
        {
            return;
        }

        string[] parts = arguments.Split('|');
        var manifest = Manifest.Open(parts[1]);
        var journal = MigrationJournal.Open(parts[0], manifest.Identity);
        journal.Plan(manifest.ReadRows());
        var first = journal.ClaimNext()!;
        journal.MarkDone(first.Key, MigrationTestData.Result(completed: 3, fileSizes: [100, 200, 300], milliseconds: 1234));
        journal.ClaimNext();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(journal);
    }
}
