namespace ActorMove.Dicom.Dictionary;

/// <summary>A dictionary file (DCMDICTPATH) that cannot be read or holds a malformed line.</summary>
public sealed class DicomDictionaryException : Exception
{
    public DicomDictionaryException(string filePath, int lineNumber, string reason)
        : base(lineNumber > 0 ? $"{filePath}, line {lineNumber}: {reason}" : $"{filePath}: {reason}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Reason = reason;
    }

    public DicomDictionaryException(string filePath, string reason, Exception inner)
        : base($"{filePath}: {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    public string FilePath { get; }

    /// <summary>1-based; 0 when the whole file is at fault (missing, unreadable).</summary>
    public int LineNumber { get; }

    public string Reason { get; }
}
