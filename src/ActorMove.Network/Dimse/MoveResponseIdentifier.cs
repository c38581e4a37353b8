using System.Buffers;
using System.IO.Compression;
using ActorMove.Dicom;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;

namespace ActorMove.Network.Dimse;

/// <summary>
/// The identifier a C-MOVE-RSP may carry (PS3.4 C.4.2.1.3.1): on a failure, warning or cancel it lists the SOP instances
/// whose sub-operations failed in Failed SOP Instance UID List (0008,0058).
/// </summary>
public static class MoveResponseIdentifier
{
    /// <summary>An identifier holds a handful of elements; anything larger is refused rather than buffered.</summary>
    public const int MaxIdentifierLength = 4 * 1024 * 1024;

    /// <summary>
    /// The UIDs in (0008,0058), in order, without padding; empty when the element is absent or empty.
    /// A data set that does not parse raises <see cref="DicomFormatException"/>.
    /// </summary>
    public static IReadOnlyList<string> ReadFailedSopInstanceUids(ReadOnlyMemory<byte> identifier, TransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        if (syntax.IsDeflated)
        {
            identifier = Inflate(identifier);
            syntax = TransferSyntax.ExplicitVRLittleEndian;
        }

        var dataset = DicomReader.ReadDataset(identifier, syntax);
        string? list = dataset.GetString(DicomTags.FailedSOPInstanceUIDList);
        if (string.IsNullOrEmpty(list))
        {
            return [];
        }

        return list.Split('\\').Select(uid => uid.Trim(' ', '\0')).Where(uid => uid.Length > 0).ToArray();
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> deflated)
    {
        using var input = new MemoryStream(deflated.ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = inflater.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > MaxIdentifierLength)
                {
                    throw new DicomFormatException($"Inflated C-MOVE identifier exceeds {MaxIdentifierLength} bytes", output.Length);
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DicomFormatException("C-MOVE identifier is not valid deflate data", 0, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return output.ToArray();
    }
}

/// <summary>
/// A sink that keeps a small data set (a C-MOVE-RSP identifier, a C-FIND key set) in memory, up to a limit;
/// a larger one is a protocol error, never a large allocation.
/// </summary>
public sealed class BoundedDataSetBuffer : IDataSetSink
{
    private readonly int _maxLength;
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public BoundedDataSetBuffer(int maxLength = MoveResponseIdentifier.MaxIdentifierLength) => _maxLength = maxLength;

    public bool IsComplete { get; private set; }

    /// <summary>The bytes received so far (all of them once <see cref="IsComplete"/>).</summary>
    public ReadOnlyMemory<byte> Data => _buffer.WrittenMemory;

    public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
    {
        if (fragment.Length > _maxLength - _buffer.WrittenCount)
        {
            throw new DimseProtocolException(DimseProtocolError.DataSetTooLarge,
                $"Data set exceeds the {_maxLength} bytes allowed for it");
        }

        foreach (var segment in fragment)
        {
            _buffer.Write(segment.Span);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
    {
        IsComplete = true;
        return ValueTask.CompletedTask;
    }
}
