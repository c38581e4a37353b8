using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using BenchmarkDotNet.Attributes;

namespace ActorMove.Benchmarks;

public enum OutputSink
{
    /// <summary>
    /// A new file in the temp folder for each operation, as each received object gets its own file; unbuffered (the writer
    /// hands over 256 KiB chunks itself). The previous operation's file is deleted, so long runs do not fill the disk.
    /// </summary>
    File,

    /// <summary><see cref="Stream.Null"/>: the encoding cost without the file system's.</summary>
    Null,
}

/// <summary>One source object and the syntax it is re-encoded to (null keeps the source's, movescu's `+t=`).</summary>
public sealed record ReencodeCase(SampleObject Object, TransferSyntax? Target, string TargetName, int DeflateLevel = 6) : IHasInputBytes
{
    public long InputBytes => Object.FileBytes;

    public DicomWriteOptions Options => new() { TargetSyntax = Target, DeflateLevel = DeflateLevel };

    public override string ToString() => $"{Object} -> {TargetName}";
}

/// <summary>
/// Read a file written in explicit VR little endian and write it again: in the same syntax (a chunked copy of the pixel
/// data), as explicit VR big endian (the copy plus a byte swap of every 16-bit word), as implicit VR little endian, and,
/// for the small object only, deflated at level 1.
/// </summary>
[MemoryDiagnoser]
public class ReencodeBenchmarks
{
    private string _folder = "";
    private string _inputPath = "";
    private readonly OutputFiles _outputs = new();
    private DicomWriteOptions _options = DicomWriteOptions.Default;

    [ParamsSource(nameof(Cases))]
    public ReencodeCase Case { get; set; } = Cases.First();

    [Params(OutputSink.File, OutputSink.Null)]
    public OutputSink Output { get; set; }

    public static IEnumerable<ReencodeCase> Cases
    {
        get
        {
            foreach (var sample in SampleObject.All)
            {
                yield return new ReencodeCase(sample, null, "same (ELE)");
                yield return new ReencodeCase(sample, TransferSyntax.ExplicitVRBigEndian, "EBE");
                yield return new ReencodeCase(sample, TransferSyntax.ImplicitVRLittleEndian, "ILE");
                if (sample == SampleObject.CtImage)
                {
                    yield return new ReencodeCase(sample, TransferSyntax.DeflatedExplicitVRLittleEndian, "deflate 1", DeflateLevel: 1);
                }
            }
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("actormove-bench-").FullName;
        _inputPath = Case.Object.Generate(_folder);
        _options = Case.Options;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public void Reencode()
    {
        using var file = DicomReader.ReadFile(_inputPath);
        var meta = FileMetaInformation.Create(file.Dataset, file.TransferSyntax);
        if (Output == OutputSink.File)
        {
            using (var output = _outputs.CreateNext(_folder))
            {
                DicomWriter.WriteFile(output, meta, file.Dataset, _options);
            }

            _outputs.DeletePrevious();
        }
        else
        {
            DicomWriter.WriteFile(Stream.Null, meta, file.Dataset, _options);
        }
    }
}
