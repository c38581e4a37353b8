namespace ActorMove.Dicom;

/// <summary>Input that does not follow PS3.5/PS3.10; carries the byte offset where reading stopped.</summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException(string message, long offset, Exception? inner = null)
        : base($"{message} (at byte offset {offset})", inner)
    {
        Offset = offset;
        Reason = message;
    }

    public long Offset { get; }

    /// <summary>The message without the offset.</summary>
    public string Reason { get; }
}
