using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class ReceivedObjectFileTests
{
    /// <summary>A file DCMTK wrote, and its data set bytes as a peer would send them.</summary>
    private static async Task<(GeneratedImage Image, byte[] DatasetBytes, TransferSyntax Syntax)> SourceAsync(TempDirectory work, string syntaxOption = "+te")
    {
        var image = (await Dump2DcmStudies.GenerateAsync(work.Combine("src"), imagesPerSeries: 1, pixelBytes: 300_000, transferSyntax: syntaxOption))[0];
        using var file = DicomReader.ReadFile(image.Path);
        var bytes = new byte[file.DatasetLength];
        file.Source!.ReadExactly(file.DatasetOffset, bytes);
        return (image, bytes, file.TransferSyntax);
    }

    private static FileMetaInformation Meta(GeneratedImage image, TransferSyntax syntax) => new()
    {
        MediaStorageSopClassUid = image.SopClassUid,
        MediaStorageSopInstanceUid = image.SopInstanceUid,
        TransferSyntaxUid = syntax.Uid,
    };

    private static void Feed(ReceivedObjectFile target, byte[] bytes, int chunk = 16_000)
    {
        for (int offset = 0; offset < bytes.Length; offset += chunk)
        {
            target.Append(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bit_preserving_keeps_the_received_bytes_exactly(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        string final = work.Combine("CT." + image.SopInstanceUid);

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), new StoreOutputOptions(true, DicomWriteOptions.Default), unnamed))
        {
            Feed(target, bytes);
            target.Complete();
        }

        using var written = DicomReader.ReadFile(final);
        var roundTrip = new byte[written.DatasetLength];
        written.Source!.ReadExactly(written.DatasetOffset, roundTrip);
        Assert.Equal(bytes, roundTrip);
        Assert.Equal(syntax, written.TransferSyntax);
        Assert.Equal([Path.GetFileName(final)], Directory.GetFiles(work.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Default_options_write_the_same_data_set_dcmtk_sees_in_the_source()
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        string final = work.Combine("CT." + image.SopInstanceUid);

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default))
        {
            Feed(target, bytes);
            target.Complete();
        }

        Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(final));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Converts_to_the_requested_transfer_syntax(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work, "+tb");
        string final = work.Combine("CT." + image.SopInstanceUid);
        var options = new StoreOutputOptions(false, DicomWriteOptions.Default with { TargetSyntax = TransferSyntax.ImplicitVRLittleEndian });
        // A file of that name from before (a repeated move): replaced, and said so.
        File.WriteAllText(final, "an older file");

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), options, unnamed))
        {
            Feed(target, bytes);
            target.Complete();
            Assert.True(target.Replaced);
        }

        Assert.Equal([final], Directory.GetFiles(work.Path));
        using var written = DicomReader.ReadFile(final);
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, written.TransferSyntax);
        Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(final));
    }

    /// <summary>
    /// Explicit VR little endian: SOP class and instance, then a Referenced Image Sequence of undefined length whose
    /// one item has undefined length too; movescu's default options (+e) write both with explicit lengths.
    /// </summary>
    private static byte[] DatasetWithUndefinedLengthSequence(string sopInstanceUid)
    {
        static byte[] Ui(ushort group, ushort element, string value)
        {
            string padded = value.Length % 2 == 0 ? value : value + "\0";
            return
            [
                (byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8), (byte)'U', (byte)'I',
                (byte)padded.Length, (byte)(padded.Length >> 8), .. System.Text.Encoding.ASCII.GetBytes(padded),
            ];
        }

        return
        [
            .. Ui(0x0008, 0x0016, "1.2.840.10008.5.1.4.1.1.7"),
            .. Ui(0x0008, 0x0018, sopInstanceUid),
            0x08, 0x00, 0x40, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,
            .. Ui(0x0008, 0x1150, "1.2.840.10008.5.1.4.1.1.2"),
            .. Ui(0x0008, 0x1155, "1.2.3.4"),
            0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0,
            0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,
        ];
    }

    /// <summary>What converting the received data set with <paramref name="options"/> gives, written the long way round.</summary>
    private static byte[] ReferenceConversion(FileMetaInformation meta, byte[] datasetBytes, TransferSyntax syntax, DicomWriteOptions options)
    {
        var dataset = DicomReader.ReadDataset(datasetBytes, syntax);
        using var output = new MemoryStream();
        DicomWriter.WriteFile(output, meta, dataset, options);
        return output.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Default_options_give_exactly_the_converted_file_whether_or_not_the_conversion_changes_anything(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, unchangedBytes, syntax) = await SourceAsync(work);
        byte[] changedBytes = DatasetWithUndefinedLengthSequence("1.2.3");
        var cases = new[]
        {
            (Name: "CT." + image.SopInstanceUid, Meta: Meta(image, syntax), Bytes: unchangedBytes),
            (Name: "SC.1.2.3", Meta: new FileMetaInformation
            {
                MediaStorageSopClassUid = "1.2.840.10008.5.1.4.1.1.7",
                MediaStorageSopInstanceUid = "1.2.3",
                TransferSyntaxUid = syntax.Uid,
            }, Bytes: changedBytes),
        };

        // Streamed in pieces (judged from the spool read back), and handed over whole (judged in memory).
        foreach (bool whole in new[] { false, true })
        {
            foreach (var (name, meta, bytes) in cases)
            {
                string final = work.Combine((whole ? "whole-" : "pieces-") + name);
                CompletedObject completed;
                using (var target = new ReceivedObjectFile(final, meta, StoreOutputOptions.Default, unnamed))
                {
                    if (whole)
                    {
                        Feed(target, bytes);
                        completed = target.Complete(bytes);
                    }
                    else
                    {
                        Feed(target, bytes);
                        Assert.False(File.Exists(final));
                        completed = target.Complete();
                    }
                }

                Assert.Equal(new FileInfo(final).Length, completed.Bytes);
                Assert.Equal(ReferenceConversion(meta, bytes, syntax, DicomWriteOptions.Default), File.ReadAllBytes(final));
            }

            // The sequence really was rewritten with explicit lengths: the second file is not the bytes received.
            using var rewritten = DicomReader.ReadFile(work.Combine((whole ? "whole-" : "pieces-") + "SC.1.2.3"));
            Assert.NotEqual(changedBytes.Length, rewritten.DatasetLength);
        }

        Assert.Equal(4, Directory.GetFiles(work.Path).Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_same_object_arriving_twice_at_once_ends_as_one_complete_file(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        Directory.CreateDirectory(work.Combine("out"));
        string final = work.Combine("out", "CT." + image.SopInstanceUid);

        using (var first = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        using (var second = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        {
            // Interleaved, as two associations would deliver them.
            for (int offset = 0; offset < bytes.Length; offset += 10_000)
            {
                int count = Math.Min(10_000, bytes.Length - offset);
                first.Append(bytes.AsSpan(offset, count));
                second.Append(bytes.AsSpan(offset, count));
            }

            first.Complete();
            second.Complete();
        }

        Assert.Equal([final], Directory.GetFiles(work.Combine("out")));
        Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(final));
    }

    /// <summary>
    /// The process's open descriptors on <paramref name="path"/> or on a file in its folder that has no name (an unnamed
    /// spool, which /proc shows as "folder/#inode (deleted)" even once it is named) (Linux: /proc/self/fd).
    /// </summary>
    private static int OpenDescriptorsOf(string path) =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd => fd.LinkTarget == path
            || (fd.LinkTarget is { } target && target.StartsWith(Path.GetDirectoryName(path) + "/#", StringComparison.Ordinal)));

    [Fact]
    public async Task An_object_completed_from_memory_is_whole_under_its_final_name_before_its_spool_is_closed_and_none_stays_open()
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        Directory.CreateDirectory(work.Combine("out"));
        string final = work.Combine("out", "CT." + image.SopInstanceUid);

        var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default);
        Feed(target, bytes);
        var completed = target.Complete(bytes);

        // Answerable now: the file has its final name and all its bytes; the spool's handle is closed later, by Dispose.
        Assert.Equal([final], Directory.GetFiles(work.Combine("out")));
        Assert.Equal(completed.Bytes, new FileInfo(final).Length);
        Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(final));
        Assert.Equal(1, OpenDescriptorsOf(final));
        target.Dispose();
        Assert.Equal(0, OpenDescriptorsOf(final));
        Assert.Equal([final], Directory.GetFiles(work.Combine("out")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_object_being_received_has_a_name_only_once_it_is_complete(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        string folder = Directory.CreateDirectory(work.Combine("out")).FullName;
        string final = Path.Combine(folder, "CT." + image.SopInstanceUid);

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        {
            Feed(target, bytes.AsSpan(0, bytes.Length / 2).ToArray());

            // Unnamed (this machine's file systems all make unnamed files): nothing in the folder that a process killed
            // now would leave behind; the spool is open there all the same. Named: the temporary name.
            var names = Directory.GetFiles(folder).Select(Path.GetFileName).ToArray();
            if (unnamed)
            {
                Assert.Empty(names);
                Assert.Equal(1, OpenDescriptorsOf(final));
            }
            else
            {
                Assert.Single(names, name => name!.StartsWith("CT." + image.SopInstanceUid + ".", StringComparison.Ordinal) && name.EndsWith(".partial", StringComparison.Ordinal));
            }

            Feed(target, bytes.AsSpan(bytes.Length / 2).ToArray());
            target.Complete();
        }

        Assert.Equal([final], Directory.GetFiles(folder));
        Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(final));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Discarded_object_leaves_no_file(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        string final = work.Combine("out", "CT." + image.SopInstanceUid);
        Directory.CreateDirectory(work.Combine("out"));

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        {
            Feed(target, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            target.Discard();
        }

        Assert.Empty(Directory.GetFiles(work.Combine("out")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_truncated_data_set_handed_over_whole_fails_and_leaves_no_file(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        Directory.CreateDirectory(work.Combine("out"));
        string final = work.Combine("out", "CT." + image.SopInstanceUid);

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        {
            var truncated = bytes.AsMemory(0, bytes.Length - 1000);
            target.Append(truncated.Span);
            Assert.ThrowsAny<Dicom.DicomFormatException>(() => target.Complete(truncated));
        }

        Assert.Empty(Directory.GetFiles(work.Combine("out")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Truncated_data_set_fails_and_leaves_no_file(bool unnamed)
    {
        using var work = new TempDirectory();
        var (image, bytes, syntax) = await SourceAsync(work);
        Directory.CreateDirectory(work.Combine("out"));
        string final = work.Combine("out", "CT." + image.SopInstanceUid);

        using (var target = new ReceivedObjectFile(final, Meta(image, syntax), StoreOutputOptions.Default, unnamed))
        {
            Feed(target, bytes.AsSpan(0, bytes.Length - 1000).ToArray());
            Assert.ThrowsAny<Exception>(() => target.Complete());
        }

        Assert.Empty(Directory.GetFiles(work.Combine("out")));
    }
}
