using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Data;

/// <summary>
/// A DICOM file (PS3.10 7.1): optional preamble, file meta information (group 0002) and the data set.
/// Deferred values of <see cref="Dataset"/> point into <see cref="Source"/>, so the file owns it and must be disposed
/// only once nothing copies from the data set any more.
/// </summary>
public sealed class DicomFile : IDisposable
{
    private readonly IReadOnlyList<IDisposable> _owned;

    public DicomFile(byte[]? preamble, DicomDataset meta, TransferSyntax transferSyntax, DicomDataset dataset,
        IValueSource? source = null, long datasetOffset = 0, long datasetLength = 0, IReadOnlyList<IDisposable>? owned = null)
    {
        Preamble = preamble;
        Meta = meta;
        TransferSyntax = transferSyntax;
        Dataset = dataset;
        Source = source;
        DatasetOffset = datasetOffset;
        DatasetLength = datasetLength;
        _owned = owned ?? [];
    }

    /// <summary>The 128 bytes before "DICM"; null when the file had no preamble (a bare data set).</summary>
    public byte[]? Preamble { get; }

    /// <summary>The group 0002 elements; empty when the file had no file meta information.</summary>
    public DicomDataset Meta { get; }

    /// <summary>The syntax the data set was encoded in (from the meta header, the options, or detected).</summary>
    public TransferSyntax TransferSyntax { get; }

    public DicomDataset Dataset { get; }

    /// <summary>
    /// Where the data set's bytes are (and its deferred values point). For a deflated file this is the inflated
    /// temporary copy, so <see cref="DatasetOffset"/> and <see cref="DatasetLength"/> describe uncompressed bytes.
    /// </summary>
    public IValueSource? Source { get; }

    /// <summary>The first byte of the data set in <see cref="Source"/>, for copies that keep its encoding bit for bit.</summary>
    public long DatasetOffset { get; }

    /// <summary>The data set's byte count in <see cref="Source"/>.</summary>
    public long DatasetLength { get; }

    public void Dispose()
    {
        foreach (var resource in _owned)
        {
            resource.Dispose();
        }
    }
}
