using System.IO.Compression;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Reading;

/// <summary>
/// Reads DICOM files (PS3.10) and data sets (PS3.5) into <see cref="DicomDataset"/> trees. Values longer than
/// <see cref="DicomReadOptions.InlineValueLimit"/> are not read: they stay deferred ranges of the source, so pixel
/// data of any size costs no memory. Malformed input raises <see cref="DicomFormatException"/> with the byte offset.
/// </summary>
public static class DicomReader
{
    private const int PreambleLength = 128;
    private const int PrefixLength = 4;
    private const int MetaStart = PreambleLength + PrefixLength;
    private const ushort MetaGroup = 0x0002;
    private const int InflateChunkSize = 128 * 1024;
    private static readonly DicomTag TransferSyntaxUidTag = new(0x0002, 0x0010);

    /// <summary>Reads a Part 10 file, or (per <see cref="DicomReadOptions.Mode"/>) a bare data set file.</summary>
    public static DicomFile ReadFile(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Default;
        options.Validate();
        var file = new FileValueSource(path);
        var owned = new List<IDisposable> { file };
        try
        {
            return ReadFile(file, file.Length, options, owned);
        }
        catch
        {
            foreach (var resource in owned)
            {
                resource.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads a data set of <paramref name="length"/> bytes at <paramref name="offset"/> encoded in <paramref name="syntax"/>.</summary>
    /// <exception cref="ArgumentException">The syntax is deflated: inflate the bytes first, then read them as explicit VR little endian.</exception>
    public static DicomDataset ReadDataset(IValueSource source, long offset, long length, TransferSyntax syntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(syntax);
        if (syntax.IsDeflated)
        {
            throw new ArgumentException("A deflated data set must be inflated before it is read (as explicit VR little endian).", nameof(syntax));
        }

        options ??= DicomReadOptions.Default;
        options.Validate();
        return Parse(source, offset, length, DatasetEncoding.Of(syntax), options);
    }

    /// <summary>Reads a data set held in memory (e.g. a DIMSE data set); large values are deferred ranges of it.</summary>
    public static DicomDataset ReadDataset(ReadOnlyMemory<byte> bytes, TransferSyntax syntax, DicomReadOptions? options = null) =>
        ReadDataset(new MemoryValueSource(bytes), 0, bytes.Length, syntax, options);

    /// <summary>
    /// The syntax a data set without meta header is encoded in, judged from its first element as DCMTK does:
    /// explicit VR when a known VR follows the tag, big endian when only the big endian reading gives a small group.
    /// </summary>
    public static TransferSyntax DetectSyntax(IValueSource source, long offset, long length)
    {
        using var parser = new DatasetParser(source, offset, length, DicomReadOptions.Default);
        return Detect(parser);
    }

    private static DicomFile ReadFile(FileValueSource file, long fileLength, DicomReadOptions options, List<IDisposable> owned)
    {
        byte[]? preamble = null;
        var meta = new DicomDataset();
        long datasetOffset = 0;
        TransferSyntax? syntax = null;

        if (options.Mode != DicomReadMode.DatasetOnly)
        {
            if (HasPart10Prefix(file, fileLength))
            {
                preamble = new byte[PreambleLength];
                file.ReadExactly(0, preamble);
                datasetOffset = ReadMeta(file, MetaStart, fileLength, meta, options);
            }
            else if (options.Mode == DicomReadMode.FileOnly)
            {
                throw new DicomFormatException("No \"DICM\" prefix after the 128-byte preamble: not a DICOM Part 10 file",
                    Math.Min(PreambleLength, fileLength));
            }
            else if (StartsWithMetaGroup(file, fileLength))
            {
                // DCMTK also accepts file meta information without the preamble and prefix.
                datasetOffset = ReadMeta(file, 0, fileLength, meta, options);
            }

            string? uid = meta.GetString(TransferSyntaxUidTag);
            if (!string.IsNullOrEmpty(uid))
            {
                syntax = TransferSyntax.Lookup(uid);
            }
        }

        long datasetLength = fileLength - datasetOffset;
        if (syntax is null)
        {
            if (options.DatasetTransferSyntax is not null)
            {
                syntax = options.DatasetTransferSyntax;
            }
            else
            {
                using var detector = new DatasetParser(file, datasetOffset, datasetLength, options);
                syntax = Detect(detector);
            }
        }

        if (syntax.IsDeflated)
        {
            var inflated = Inflate(file, datasetOffset, datasetLength, options);
            owned.Add(inflated);
            var inflatedDataset = Parse(inflated, 0, inflated.Length, DatasetEncoding.ExplicitLittle, options);
            return new DicomFile(preamble, meta, syntax, inflatedDataset, file, datasetOffset, datasetLength, owned);
        }

        var dataset = Parse(file, datasetOffset, datasetLength, DatasetEncoding.Of(syntax), options);
        return new DicomFile(preamble, meta, syntax, dataset, file, datasetOffset, datasetLength, owned);
    }

    private static DicomDataset Parse(IValueSource source, long offset, long length, DatasetEncoding encoding, DicomReadOptions options)
    {
        using var parser = new DatasetParser(source, offset, length, options);
        var dataset = new DicomDataset(encoding.LittleEndian);
        parser.ParseTopLevel(dataset, encoding);
        return dataset;
    }

    private static bool HasPart10Prefix(IValueSource file, long fileLength)
    {
        if (fileLength < MetaStart)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        file.ReadExactly(PreambleLength, prefix);
        return prefix.SequenceEqual("DICM"u8);
    }

    private static bool StartsWithMetaGroup(IValueSource file, long fileLength)
    {
        if (fileLength < 2)
        {
            return false;
        }

        Span<byte> group = stackalloc byte[2];
        file.ReadExactly(0, group);
        return group[0] == MetaGroup && group[1] == 0;
    }

    /// <summary>Reads group 0002 (explicit VR little endian, or implicit where a writer got it wrong); returns where it ends.</summary>
    private static long ReadMeta(IValueSource file, long offset, long fileLength, DicomDataset meta, DicomReadOptions options)
    {
        using var parser = new DatasetParser(file, offset, fileLength - offset, options);
        var header = parser.Peek(4);
        if (header.Length == 4 && (header[0] != MetaGroup || header[1] != 0))
        {
            throw new DicomFormatException(
                $"File meta information must start with a group 0002 element, found group {header[1]:X2}{header[0]:X2}", offset);
        }

        var encoding = parser.LooksLikeExplicitVR(4) ? DatasetEncoding.ExplicitLittle : DatasetEncoding.ImplicitLittle;
        parser.ParseGroup(meta, MetaGroup, encoding);
        return parser.Position;
    }

    private static TransferSyntax Detect(DatasetParser parser)
    {
        var head = parser.Peek(6);
        if (head.Length < 6)
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        int littleGroup = head[0] | (head[1] << 8);
        int bigGroup = (head[0] << 8) | head[1];
        bool bigEndian = littleGroup > 0xFF && bigGroup <= 0xFF;
        if (parser.LooksLikeExplicitVR(4))
        {
            return bigEndian ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
        }

        // Implicit VR big endian is no transfer syntax (PS3.5 A.1 only has the little endian one).
        return TransferSyntax.ImplicitVRLittleEndian;
    }

    /// <summary>
    /// Inflates a deflated data set (PS3.5 A.5: raw deflate, no zlib header) to a scratch file that is deleted when
    /// disposed; read it with <see cref="ReadDataset(IValueSource, long, long, TransferSyntax, DicomReadOptions?)"/>
    /// as explicit VR little endian, from 0 to its <see cref="TemporaryFileValueSource.Length"/>.
    /// </summary>
    public static TemporaryFileValueSource InflateToTemporaryFile(IValueSource source, long offset, long length, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= DicomReadOptions.Default;
        options.Validate();
        return Inflate(source, offset, length, options);
    }

    private static TemporaryFileValueSource Inflate(IValueSource file, long offset, long length, DicomReadOptions options)
    {
        var target = TemporaryFileValueSource.Create(options.TemporaryDirectory);
        var compressed = new ValueSourceStream(file, offset, length);
        try
        {
            // Buffered so that the inflater's small reads do not each cost a positional read of the source.
            using (var inflater = new DeflateStream(new BufferedStream(compressed, InflateChunkSize), CompressionMode.Decompress))
            {
                inflater.CopyTo(target.Stream, InflateChunkSize);
            }

            return target;
        }
        catch (InvalidDataException e)
        {
            target.Dispose();
            throw new DicomFormatException("Deflated data set is not valid deflate data", offset + compressed.Consumed, e);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
