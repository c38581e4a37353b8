using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using Xunit;

namespace ActorMove.Dicom.Tests.Data;

public class DicomDatasetTests
{
    [Fact]
    public void Keeps_elements_in_tag_order_whatever_the_insertion_order()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "PID");

        Assert.Equal([0x00080052u, 0x00100020u, 0x0020000Du], dataset.Select(e => e.Tag.Value));
    }

    [Fact]
    public void Replaces_an_existing_tag()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "OLD");
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "NEW");

        Assert.Equal(1, dataset.Count);
        Assert.Equal("NEW", dataset.GetString(new DicomTag(0x0010, 0x0020)));
    }

    [Fact]
    public void Pads_odd_strings_by_vr()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3");
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "ABC");

        Assert.True(dataset.TryGet(new DicomTag(0x0020, 0x000D), out var uid));
        Assert.Equal("1.2.3\0"u8.ToArray(), ((DicomPrimitiveElement)uid).Value.Bytes.ToArray());
        Assert.True(dataset.TryGet(new DicomTag(0x0010, 0x0020), out var lo));
        Assert.Equal("ABC "u8.ToArray(), ((DicomPrimitiveElement)lo).Value.Bytes.ToArray());
        Assert.Equal("1.2.3", dataset.GetString(new DicomTag(0x0020, 0x000D)));
    }

    [Fact]
    public void Removes_by_tag()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "PID");
        Assert.True(dataset.Remove(new DicomTag(0x0010, 0x0020)));
        Assert.False(dataset.Remove(new DicomTag(0x0010, 0x0020)));
        Assert.Equal(0, dataset.Count);
    }
}
