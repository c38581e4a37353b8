using ActorMove.Dicom.Dictionary;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

public class DicomUidsTests
{
    [Theory]
    [InlineData(DicomUids.Verification, "1.2.840.10008.1.1", "Verification", "Verification SOP Class", "SOP Class", false)]
    [InlineData(DicomUids.CTImageStorage, "1.2.840.10008.5.1.4.1.1.2", "CTImageStorage", "CT Image Storage", "SOP Class", false)]
    [InlineData(DicomUids.StudyRootQueryRetrieveInformationModelMove, "1.2.840.10008.5.1.4.1.2.2.2",
        "StudyRootQueryRetrieveInformationModelMove", "Study Root Query/Retrieve Information Model - MOVE", "SOP Class", false)]
    [InlineData(DicomUids.ExplicitVRBigEndian, "1.2.840.10008.1.2.2", "ExplicitVRBigEndian", "Explicit VR Big Endian", "Transfer Syntax", true)]
    public void Constant_and_lookup_agree(string constant, string uid, string keyword, string name, string type, bool retired)
    {
        Assert.Equal(uid, constant);
        Assert.True(DicomUids.TryGetInfo(uid, out var info));
        Assert.Equal(keyword, info.Keyword);
        Assert.Equal(name, info.Name);
        Assert.Equal(type, info.Type);
        Assert.Equal(retired, info.IsRetired);
    }

    [Fact]
    public void Lookup_ignores_wire_padding_and_rejects_unknown_uids()
    {
        Assert.True(DicomUids.TryGetInfo("1.2.840.10008.1.1\0", out var info));
        Assert.Equal("Verification", info.Keyword);
        Assert.False(DicomUids.TryGetInfo("1.2.3.4", out _));
    }

    [Fact]
    public void Every_constant_is_in_the_lookup_under_its_own_keyword()
    {
        var constants = typeof(DicomUids).GetFields().Where(f => f.IsLiteral).ToList();
        Assert.True(constants.Count > 400);
        foreach (var field in constants)
        {
            Assert.True(DicomUids.TryGetInfo((string)field.GetRawConstantValue()!, out var info), field.Name);
            Assert.Equal(field.Name, info.Keyword);
        }
    }
}
