using ActorMove.Dicom.IO;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Dicom.Tests.IO;

public class FileWritesTests
{
    [Fact]
    public void The_appending_stream_writes_each_piece_after_the_last()
    {
        using var work = new TempDirectory();
        string path = work.Combine("out.bin");
        byte[] expected = new byte[300_000];
        new Random(7).NextBytes(expected);
        long length;
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var stream = new AppendingFileStream(handle, path);
            stream.Write(expected, 0, 10);
            stream.Write(expected.AsSpan(10, 200_000));
            stream.Write(expected, 200_010, expected.Length - 200_010);
            stream.Flush();
            length = stream.Length;
            Assert.False(stream.CanSeek);
            Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        }

        Assert.Equal(expected.Length, length);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }
}
