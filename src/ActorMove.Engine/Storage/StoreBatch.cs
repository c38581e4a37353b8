namespace ActorMove.Engine.Storage;

/// <summary>How received data set bytes are grouped on their way from the socket loop to the file writer.</summary>
public static class StoreBatch
{
    /// <summary>The largest block: one write call and one message per MiB, and a bounded amount held while it fills.</summary>
    public const int MaxBlockBytes = 1024 * 1024;

    private const int MinBlockBytes = 16 * 1024;

    /// <summary>
    /// A quarter of the association's byte budget, within [16 KiB, 1 MiB]: the block being filled holds credit that only
    /// comes back once it has been sent and written, so it must leave room in the budget for the blocks before it.
    /// </summary>
    public static int BlockBytes(long associationBudget) => (int)Math.Clamp(associationBudget / 4, MinBlockBytes, MaxBlockBytes);
}
