using System.Buffers;
using System.IO.Compression;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Writing;

/// <summary>
/// Writes data set trees as DICOM files or bare data sets with movescu's output options (`+t?`, `+F/-F`, `+u/-u`,
/// `+g=/+g/-g`, `+e/-e`, `-p/+p`, `+cl`), and received data sets bit for bit (`+B`).
/// Every length is computed from the tree before writing; deferred values are copied in pooled chunks.
/// </summary>
public static class DicomWriter
{
    /// <summary>
    /// Writes <paramref name="dataset"/>, encoded in <paramref name="meta"/>'s transfer syntax, as a file (or a bare data set
    /// with `-F`) in the target syntax of <paramref name="options"/>; the meta information written names the target syntax.
    /// </summary>
    public static void WriteFile(Stream output, FileMetaInformation meta, DicomDataset dataset, DicomWriteOptions options)
    {
        var job = Prepare(meta, dataset, options);
        if (job.Prefix is not null)
        {
            output.Write(job.Prefix);
        }

        WriteBody(output, job);
    }

    /// <inheritdoc cref="WriteFile"/>
    public static async Task WriteFileAsync(Stream output, FileMetaInformation meta, DicomDataset dataset, DicomWriteOptions options,
        CancellationToken cancellationToken = default)
    {
        var job = Prepare(meta, dataset, options);
        if (job.Prefix is not null)
        {
            await output.WriteAsync(job.Prefix, cancellationToken).ConfigureAwait(false);
        }

        await WriteBodyAsync(output, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the bare data set (no preamble, no meta information) in the target syntax; deflated when that syntax is.</summary>
    public static void WriteDataset(Stream output, DicomDataset dataset, TransferSyntax sourceSyntax, DicomWriteOptions options) =>
        WriteBody(output, PrepareDataset(dataset, sourceSyntax, options));

    /// <inheritdoc cref="WriteDataset"/>
    public static Task WriteDatasetAsync(Stream output, DicomDataset dataset, TransferSyntax sourceSyntax, DicomWriteOptions options,
        CancellationToken cancellationToken = default) =>
        WriteBodyAsync(output, PrepareDataset(dataset, sourceSyntax, options), cancellationToken);

    /// <summary>
    /// `+B`: the meta information (which names the syntax the bytes are in), then <paramref name="length"/> bytes of
    /// <paramref name="source"/> from <paramref name="offset"/> exactly as they are.
    /// </summary>
    public static void WriteBitPreserving(Stream output, FileMetaInformation meta, IValueSource source, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        output.Write(meta.Encode());
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DatasetEncoder.BufferSize);
        try
        {
            while (length > 0)
            {
                int count = (int)Math.Min(length, buffer.Length);
                source.ReadExactly(offset, buffer.AsSpan(0, count));
                output.Write(buffer, 0, count);
                offset += count;
                length -= count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="WriteBitPreserving"/>
    public static async Task WriteBitPreservingAsync(Stream output, FileMetaInformation meta, IValueSource source, long offset, long length,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        await output.WriteAsync(meta.Encode(), cancellationToken).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DatasetEncoder.BufferSize);
        try
        {
            while (length > 0)
            {
                int count = (int)Math.Min(length, buffer.Length);
                await source.ReadExactlyAsync(offset, buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                await output.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                offset += count;
                length -= count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The syntax a data set will be written in: the source's for `+t=`, else the target; encapsulated pixel data
    /// cannot leave its syntax because nothing here decompresses or compresses.
    /// </summary>
    public static TransferSyntax ResolveTargetSyntax(TransferSyntax sourceSyntax, TransferSyntax? targetSyntax, DicomDataset dataset)
    {
        if (targetSyntax is null || targetSyntax.Equals(sourceSyntax))
        {
            return sourceSyntax;
        }

        if (targetSyntax.IsEncapsulated)
        {
            throw new DicomConversionException(
                $"Cannot write {sourceSyntax.Name} data as {targetSyntax.Name}: compressing pixel data is not supported.",
                sourceSyntax.Uid, targetSyntax.Uid);
        }

        if (DatasetLayout.ContainsFragments(dataset))
        {
            throw new DicomConversionException(
                $"Cannot write encapsulated pixel data of {sourceSyntax.Name} as {targetSyntax.Name}: decompression is not supported.",
                sourceSyntax.Uid, targetSyntax.Uid);
        }

        return targetSyntax;
    }

    private sealed record WriteJob(byte[]? Prefix, ItemLayout Layout, TargetEncoding Encoding, bool Deflate, int DeflateLevel);

    private static WriteJob Prepare(FileMetaInformation meta, DicomDataset dataset, DicomWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (!options.WriteFileFormat)
        {
            return PrepareDataset(dataset, TransferSyntax.Lookup(meta.TransferSyntaxUid), options);
        }

        options.Validate();
        var target = ResolveTargetSyntax(TransferSyntax.Lookup(meta.TransferSyntaxUid), options.TargetSyntax, dataset);
        byte[] prefix = (meta with { TransferSyntaxUid = target.Uid }).Encode();
        var encoding = EncodingOf(target, options);
        var layout = new DatasetLayout(encoding, options).PlanDataset(dataset, prefix.Length, writeFileFormat: true);
        return new WriteJob(prefix, layout, encoding, target.IsDeflated, options.DeflateLevel);
    }

    private static WriteJob PrepareDataset(DicomDataset dataset, TransferSyntax sourceSyntax, DicomWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (options.Padding == PaddingMode.Create)
        {
            throw new ArgumentException("Padding cannot be created when writing a bare data set (-F).", nameof(options));
        }

        options.Validate();
        var target = ResolveTargetSyntax(sourceSyntax, options.TargetSyntax, dataset);
        var encoding = EncodingOf(target, options);
        var layout = new DatasetLayout(encoding, options).PlanDataset(dataset, 0, writeFileFormat: false);
        return new WriteJob(null, layout, encoding, target.IsDeflated, options.DeflateLevel);
    }

    /// <summary>Encapsulated and unknown syntaxes are explicit VR little endian (PS3.5 A.4).</summary>
    private static TargetEncoding EncodingOf(TransferSyntax target, DicomWriteOptions options) =>
        new(target.IsExplicitVR, target.IsLittleEndian, options.EnableNewVRs);

    private static DeflateStream OpenDeflate(Stream output, int level) =>
        new(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);

    private static void WriteBody(Stream output, WriteJob job)
    {
        if (job.Deflate)
        {
            using var deflate = OpenDeflate(output, job.DeflateLevel);
            Encode(deflate, job.Layout, job.Encoding);
        }
        else
        {
            Encode(output, job.Layout, job.Encoding);
        }
    }

    private static async Task WriteBodyAsync(Stream output, WriteJob job, CancellationToken cancellationToken)
    {
        if (job.Deflate)
        {
            var deflate = OpenDeflate(output, job.DeflateLevel);
            await using (deflate.ConfigureAwait(false))
            {
                await EncodeAsync(deflate, job.Layout, job.Encoding, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await EncodeAsync(output, job.Layout, job.Encoding, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Encode(Stream output, ItemLayout layout, TargetEncoding encoding)
    {
        using var encoder = new DatasetEncoder(encoding);
        foreach (bool _ in encoder.Encode(layout))
        {
            output.Write(encoder.Pending.Span);
            encoder.Drained();
        }

        output.Write(encoder.Pending.Span);
        encoder.Drained();
    }

    private static async Task EncodeAsync(Stream output, ItemLayout layout, TargetEncoding encoding, CancellationToken cancellationToken)
    {
        using var encoder = new DatasetEncoder(encoding);
        foreach (bool _ in encoder.Encode(layout))
        {
            await output.WriteAsync(encoder.Pending, cancellationToken).ConfigureAwait(false);
            encoder.Drained();
        }

        await output.WriteAsync(encoder.Pending, cancellationToken).ConfigureAwait(false);
        encoder.Drained();
    }
}
