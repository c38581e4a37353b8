using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;

namespace ActorMove.Benchmarks;

/// <summary>
/// The machine's ceiling for the re-encode benchmarks: the same file copied in the writer's 256 KiB chunks with no DICOM
/// code at all, to a new file or to <see cref="Stream.Null"/>. Re-encoding cannot be faster than this.
/// </summary>
[MemoryDiagnoser]
public class BaselineBenchmarks
{
    private const int ChunkSize = 256 * 1024;

    private readonly OutputFiles _outputs = new();
    private string _folder = "";
    private string _inputPath = "";

    [ParamsSource(nameof(Objects))]
    public SampleObject Object { get; set; } = SampleObject.CtImage;

    [Params(OutputSink.File, OutputSink.Null)]
    public OutputSink Output { get; set; }

    public static IEnumerable<SampleObject> Objects => SampleObject.All;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("actormove-bench-").FullName;
        _inputPath = Object.Generate(_folder);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public void RawCopy()
    {
        using var input = File.OpenHandle(_inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        if (Output == OutputSink.File)
        {
            using (var output = _outputs.CreateNext(_folder))
            {
                Copy(input, output);
            }

            _outputs.DeletePrevious();
        }
        else
        {
            Copy(input, Stream.Null);
        }
    }

    private static void Copy(SafeFileHandle input, Stream output)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(input, buffer.AsSpan(0, ChunkSize), offset)) > 0)
            {
                output.Write(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
