using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Dicom.IO.Reading;

/// <summary>What <see cref="DicomReader.ReadFile"/> expects to find, as DCMTK's +f / +fo / -f read modes.</summary>
public enum DicomReadMode
{
    /// <summary>A Part 10 file when "DICM" stands at byte 128, otherwise a bare data set (DCMTK +f, the default).</summary>
    Auto,

    /// <summary>Only Part 10 files; a missing "DICM" is an error (DCMTK +fo).</summary>
    FileOnly,

    /// <summary>The whole file is a data set without preamble and meta header (DCMTK -f).</summary>
    DatasetOnly,
}

public sealed record DicomReadOptions
{
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Values longer than this stay in the source as deferred ranges instead of being read into memory.</summary>
    public int InlineValueLimit { get; init; } = DicomConstants.DefaultInlineValueLimit;

    /// <summary>How deeply sequences may nest before the input is rejected (protects the stack from hostile input).</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    public DicomReadMode Mode { get; init; } = DicomReadMode.Auto;

    /// <summary>
    /// The syntax of a data set without file meta information (or whose meta header names none); null to detect it
    /// from the first element as DCMTK does. A meta header's TransferSyntaxUID always wins.
    /// </summary>
    public TransferSyntax? DatasetTransferSyntax { get; init; }

    /// <summary>The read-ahead buffer (pooled) that element headers and small values are parsed from.</summary>
    public int ReadBufferSize { get; init; } = 64 * 1024;

    /// <summary>Gives implicit VR elements their VR (private ones by their creator); null for <see cref="DicomDictionary.Default"/>.</summary>
    public DicomDictionary? Dictionary { get; init; }

    /// <summary>Where deflated data sets are inflated to; null for the system temp folder.</summary>
    public string? TemporaryDirectory { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(InlineValueLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSequenceDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadBufferSize, 256);
    }
}
