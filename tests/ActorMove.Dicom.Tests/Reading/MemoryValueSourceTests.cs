using ActorMove.Dicom.Data;
using Xunit;

namespace ActorMove.Dicom.Tests.Reading;

public class MemoryValueSourceTests
{
    [Fact]
    public async Task Reads_ranges_and_rejects_ranges_past_the_end_with_their_offset()
    {
        var source = new MemoryValueSource(new byte[] { 1, 2, 3, 4, 5 });
        var part = new byte[2];

        source.ReadExactly(3, part);
        Assert.Equal(new byte[] { 4, 5 }, part);
        await source.ReadExactlyAsync(1, part);
        Assert.Equal(new byte[] { 2, 3 }, part);
        Assert.Equal(5, source.Length);
        Assert.Equal(4, Assert.Throws<DicomFormatException>(() => source.ReadExactly(4, part)).Offset);
        Assert.Equal(-1, Assert.Throws<DicomFormatException>(() => source.ReadExactly(-1, part)).Offset);
    }
}
