using ActorMove.Dicom.IO.Reading;
using BenchmarkDotNet.Attributes;

namespace ActorMove.Benchmarks;

/// <summary>
/// <see cref="DicomReader.ReadFile"/> and a walk over the resulting tree. Pixel data above the inline limit stays a
/// deferred range of the file, so this measures the header and the skip, not a copy of the pixels.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private string _folder = "";
    private string _path = "";

    [ParamsSource(nameof(Objects))]
    public SampleObject Object { get; set; } = SampleObject.CtImage;

    public static IEnumerable<SampleObject> Objects => SampleObject.All;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("actormove-bench-").FullName;
        _path = Object.Generate(_folder);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public long Parse()
    {
        using var file = DicomReader.ReadFile(_path);
        return TreeWalker.Walk(file.Dataset);
    }
}
