using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>
/// A large value of a data set read from memory is written as those bytes themselves, not copied through the encoder's
/// buffer; what is written does not change.
/// </summary>
public class PassThroughTests
{
    private const int PixelBytes = 300_000;
    private const int OddBytes = 100_001;

    /// <summary>SOP class, an odd-length OB (padded on writing) and 300 kB of OW pixel data, explicit VR little endian.</summary>
    private static byte[] Dataset()
    {
        var random = new Random(7);
        byte[] pixels = new byte[PixelBytes];
        random.NextBytes(pixels);
        byte[] document = new byte[OddBytes];
        random.NextBytes(document);
        return new RawDataset()
            .Element(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7\0"u8.ToArray())
            .Element(0x0042, 0x0011, DicomVR.OB, document)
            .Element(0x7FE0, 0x0010, DicomVR.OW, pixels)
            .ToArray();
    }

    /// <summary>Keeps what is written, and whether any write handed over the source's own bytes at <paramref name="watched"/>.</summary>
    private sealed class WatchingStream(byte[] source, int watched) : Stream
    {
        private readonly MemoryStream _written = new();

        public bool SawSourceBytes { get; private set; }

        public byte[] ToArray() => _written.ToArray();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!buffer.IsEmpty && Unsafe.AreSame(ref MemoryMarshal.GetReference(buffer), ref source[watched]))
            {
                SawSourceBytes = true;
            }

            _written.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position
        {
            get => _written.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _written.Dispose();
            base.Dispose(disposing);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_data_set_read_from_memory_is_written_as_the_same_data_set_read_from_a_file(bool bigEndian)
    {
        using var work = new TempDirectory();
        byte[] bytes = Dataset();
        string path = work.Combine("dataset.raw");
        File.WriteAllBytes(path, bytes);
        var options = new DicomWriteOptions
        {
            WriteFileFormat = false,
            TargetSyntax = bigEndian ? TransferSyntax.ExplicitVRBigEndian : null,
        };

        var fromMemory = DicomReader.ReadDataset(bytes, TransferSyntax.ExplicitVRLittleEndian);
        int pixelOffset = bytes.Length - PixelBytes;
        using var written = new WatchingStream(bytes, pixelOffset);
        DicomWriter.WriteDataset(written, fromMemory, TransferSyntax.ExplicitVRLittleEndian, options);

        using var file = new FileValueSource(path);
        var fromFile = DicomReader.ReadDataset(file, 0, bytes.Length, TransferSyntax.ExplicitVRLittleEndian);
        using var copied = new MemoryStream();
        DicomWriter.WriteDataset(copied, fromFile, TransferSyntax.ExplicitVRLittleEndian, options);

        Assert.Equal(copied.ToArray(), written.ToArray());
        // Little endian needs no swapping, so the pixel data went out as the source's bytes; big endian swaps a copy.
        Assert.Equal(!bigEndian, written.SawSourceBytes);
        Assert.Equal(bytes.Length + 1, written.Length); // the odd OB gained its padding byte
    }
}
