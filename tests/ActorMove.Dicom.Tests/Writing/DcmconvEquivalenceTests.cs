using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>
/// The goal of the writer: for a source file, dcmconv with some output options and our writer with the same options
/// produce the same data set bytes. The source is a data set built in code, written by us (dcmconv's defaults must
/// reproduce it unchanged), then converted by both.
/// </summary>
public class DcmconvEquivalenceTests
{
    private const int PixelLength = 300_000; // more than one 256 KiB write buffer

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] common =
        [
            "", "+te", "+tb", "+ti", "-u", "+tb -u", "+ti -u", "+g", "-g", "+g=", "-e", "+g -e", "+tb +g -e", "+ti -g -e",
            "-p", "+p 100 30", "+p 256 0", "+p 0 16", "+p 8 8", "+p 868 0", "+p 15 0", "+g +p 100 30", "+tb +p 64 16",
            "+ti -e +p 100 30", "-e -u +g +p 32 8", "-F", "-F +ti", "-F +tb -e",
        ];
        foreach (string source in new[] { "LE", "BE", "IMPLICIT", "LE-UNDEFINED" })
        {
            foreach (string args in common)
            {
                data.Add(source, args);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_the_same_data_set_as_dcmconv(string source, string arguments)
    {
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, source, PixelLength);

        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv(arguments, sourceFile.Path, dcmtkPath);

        var options = DcmtkCompare.FromDcmconvArguments(arguments);
        string oursPath = dir.Combine("ours.dcm");
        using (var output = File.Create(oursPath))
        {
            DicomWriter.WriteFile(output, sourceFile.Meta, sourceFile.Dataset, options);
        }

        // Named as DCMTK, our meta information is the same size, so file padding must come out the same: whole files are equal.
        string asDcmtkPath = dir.Combine("ours-as-dcmtk.dcm");
        if (options.WriteFileFormat)
        {
            var dcmtkMeta = DcmtkCompare.Meta(File.ReadAllBytes(dcmtkPath));
            using var output = File.Create(asDcmtkPath);
            DicomWriter.WriteFile(output, sourceFile.Meta with
            {
                ImplementationClassUid = DcmtkCompare.MetaString(dcmtkMeta, 0x0012),
                ImplementationVersionName = DcmtkCompare.MetaString(dcmtkMeta, 0x0013),
            }, sourceFile.Dataset, options);
        }

        DcmtkCompare.AssertDcmdumpClean(oursPath);
        byte[] dcmtk = File.ReadAllBytes(dcmtkPath);
        byte[] ours = File.ReadAllBytes(oursPath);
        if (options.WriteFileFormat)
        {
            var ourMeta = DcmtkCompare.Meta(ours);
            Assert.Equal(DcmtkCompare.MetaString(DcmtkCompare.Meta(dcmtk), 0x0010), DcmtkCompare.MetaString(ourMeta, 0x0010));
            Assert.Equal(ActorMoveImplementation.ClassUid, DcmtkCompare.MetaString(ourMeta, 0x0012));
        }

        if (options.WriteFileFormat)
        {
            Assert.Equal(dcmtk, File.ReadAllBytes(asDcmtkPath));
        }
        else
        {
            Assert.Equal(dcmtk, ours);
        }

        if (options.Padding != PaddingMode.Create || options.FilePadding == 0)
        {
            Assert.Equal(DcmtkCompare.Body(dcmtk), DcmtkCompare.Body(ours));
        }
        else
        {
            // With our own (longer) meta information, the file is still padded to the multiple.
            Assert.True(ours.Length % options.FilePadding == 0 || (options.FilePadding & 1) == 1, $"{ours.Length} % {options.FilePadding}");
        }
        if (arguments.Length == 0 && source != "LE-UNDEFINED")
        {
            // dcmconv's defaults reproduce our source unchanged, which vouches for the source as well.
            Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(sourceFile.Path)), DcmtkCompare.Body(ours));
        }
    }

    [Theory]
    [InlineData("LE", "+td")]
    [InlineData("LE", "+td +cl 0")]
    [InlineData("LE", "+td +cl 1")]
    [InlineData("BE", "+td +cl 9")]
    [InlineData("IMPLICIT", "+td -e +g +cl 6")]
    [InlineData("LE", "+td +p 100 30")]
    [InlineData("LE", "+td -u -F")]
    public void Writes_deflated_data_sets_that_inflate_to_dcmconvs(string source, string arguments)
    {
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, source, PixelLength);
        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv(arguments, sourceFile.Path, dcmtkPath);

        var options = DcmtkCompare.FromDcmconvArguments(arguments);
        string oursPath = dir.Combine("ours.dcm");
        using (var output = File.Create(oursPath))
        {
            DicomWriter.WriteFile(output, sourceFile.Meta, sourceFile.Dataset, options);
        }

        if (options.WriteFileFormat)
        {
            DcmtkCompare.AssertDcmdumpClean(oursPath);
            Assert.Equal(TransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
                DcmtkCompare.MetaString(DcmtkCompare.Meta(File.ReadAllBytes(oursPath)), 0x0010));
        }

        byte[] dcmtk = File.ReadAllBytes(dcmtkPath);
        var meta = sourceFile.Meta;
        if (options.WriteFileFormat)
        {
            // Meta information of DCMTK's size, since file padding depends on it.
            var dcmtkMeta = DcmtkCompare.Meta(dcmtk);
            meta = meta with
            {
                ImplementationClassUid = DcmtkCompare.MetaString(dcmtkMeta, 0x0012),
                ImplementationVersionName = DcmtkCompare.MetaString(dcmtkMeta, 0x0013),
            };
        }

        using var asDcmtk = new MemoryStream();
        DicomWriter.WriteFile(asDcmtk, meta, sourceFile.Dataset, options);
        Assert.Equal(DcmtkCompare.Inflate(DcmtkCompare.Body(dcmtk)), DcmtkCompare.Inflate(DcmtkCompare.Body(asDcmtk.ToArray())));

        // Our deflated file, converted back by DCMTK, equals DCMTK's own conversion of the source.
        if (options.WriteFileFormat)
        {
            string asDcmtkPath = dir.Combine("ours-as-dcmtk.dcm");
            File.WriteAllBytes(asDcmtkPath, asDcmtk.ToArray());
            string back = dir.Combine("back.dcm");
            DcmtkCompare.Dcmconv("+te", asDcmtkPath, back);
            string expected = dir.Combine("expected.dcm");
            DcmtkCompare.Dcmconv("+te", dcmtkPath, expected);
            Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(expected)), DcmtkCompare.Body(File.ReadAllBytes(back)));
        }
    }

    [Fact]
    public void Deflate_level_changes_the_compressed_size()
    {
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, "LE", PixelLength);
        long Size(int level)
        {
            using var output = new MemoryStream();
            DicomWriter.WriteFile(output, sourceFile.Meta, sourceFile.Dataset,
                new DicomWriteOptions { TargetSyntax = TransferSyntax.DeflatedExplicitVRLittleEndian, DeflateLevel = level });
            return output.Length;
        }

        long stored = Size(0);
        long best = Size(9);
        Assert.True(stored > PixelLength, $"level 0 stores: {stored}");
        Assert.True(best < stored, $"level 9 compresses: {best} vs {stored}");
    }
}

/// <summary>A source file written by us from a data set built in code, with the data set and meta used to write it.</summary>
internal sealed class SourceFile : IDisposable
{
    private readonly FileValueSource _pixelSource;

    private SourceFile(string path, DicomDataset dataset, FileMetaInformation meta, FileValueSource pixelSource)
    {
        Path = path;
        Dataset = dataset;
        Meta = meta;
        _pixelSource = pixelSource;
    }

    public string Path { get; }
    public DicomDataset Dataset { get; }
    public FileMetaInformation Meta { get; }

    /// <summary>LE, BE and IMPLICIT name the source syntax; LE-UNDEFINED is explicit little endian with undefined sequence lengths.</summary>
    public static SourceFile Create(TempDirectory dir, string kind, int pixelLength)
    {
        var syntax = kind switch
        {
            "BE" => TransferSyntax.ExplicitVRBigEndian,
            "IMPLICIT" => TransferSyntax.ImplicitVRLittleEndian,
            _ => TransferSyntax.ExplicitVRLittleEndian,
        };
        var builder = new DatasetBuilder(syntax.IsLittleEndian);
        var pixelData = builder.DeferredPixelData(dir.Combine("pixels.raw"), pixelLength, out var pixelSource);
        var dataset = TestDatasets.Rich(builder, pixelData, asReadFromImplicit: !syntax.IsExplicitVR);
        var meta = FileMetaInformation.Create(dataset, syntax);
        string path = dir.Combine("source.dcm");
        using (var output = File.Create(path))
        {
            DicomWriter.WriteFile(output, meta, dataset, new DicomWriteOptions
            {
                Padding = PaddingMode.Retain,
                SequenceLength = kind == "LE-UNDEFINED" ? SequenceLengthMode.Undefined : SequenceLengthMode.Explicit,
            });
        }

        return new SourceFile(path, dataset, meta, pixelSource);
    }

    public void Dispose() => _pixelSource.Dispose();
}
