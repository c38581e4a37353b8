using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Data;

/// <summary>
/// A DICOM file (PS3.10 7.1): optional preamble, file meta information (group 0002) and the data set.
/// Deferred values of <see cref="Dataset"/> point into sources the file owns, so it must be disposed only once nothing
/// copies from the data set any more.
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
    /// The file's bytes, for copies that keep the data set's encoding bit for bit (the compressed bytes for a deflated
    /// file). Deferred values carry their own source: the file, or for a deflated file its inflated scratch copy.
    /// </summary>
    public IValueSource? Source { get; }

    /// <summary>The first byte of the data set in <see cref="Source"/>, i.e. the end of the meta information.</summary>
    public long DatasetOffset { get; }

    /// <summary>The data set's byte count in <see cref="Source"/> (as stored, so compressed for a deflated file).</summary>
    public long DatasetLength { get; }

    public void Dispose()
    {
        foreach (var resource in _owned)
        {
            resource.Dispose();
        }
    }
}
