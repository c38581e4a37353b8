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

    /// <summary>
    /// Received bytes are handed to the writer once this many have gathered in the block, without waiting for the block
    /// to fill: the file is then mostly written while the rest of the object is still arriving (the association hands
    /// PDV values over piece by piece as they come off the socket), and what is left to write after its last byte, while
    /// the peer waits for the C-STORE-RSP, is at most this plus one socket read. Each hand-off wakes the writer's
    /// thread, so small pieces (16 KiB PDUs, movescu's default, or a read that caught only part of a PDV) are not
    /// handed off one by one.
    /// </summary>
    public static int HandOffBytes(int blockBytes) => Math.Min(blockBytes, DefaultHandOffBytes);

    private const int DefaultHandOffBytes = 64 * 1024;
}
