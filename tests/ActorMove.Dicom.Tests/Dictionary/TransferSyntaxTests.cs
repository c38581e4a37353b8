using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

public class TransferSyntaxTests
{
    public static TheoryData<string, string, bool, bool, bool, bool> SyntaxesTheSpecNames => new()
    {
        // uid, keyword, explicit VR, little endian, deflated, encapsulated
        { "1.2.840.10008.1.2", "ImplicitVRLittleEndian", false, true, false, false },
        { "1.2.840.10008.1.2.1", "ExplicitVRLittleEndian", true, true, false, false },
        { "1.2.840.10008.1.2.1.99", "DeflatedExplicitVRLittleEndian", true, true, true, false },
        { "1.2.840.10008.1.2.2", "ExplicitVRBigEndian", true, false, false, false },
        { "1.2.840.10008.1.2.4.50", "JPEGBaseline8Bit", true, true, false, true },
        { "1.2.840.10008.1.2.4.51", "JPEGExtended12Bit", true, true, false, true },
        { "1.2.840.10008.1.2.4.70", "JPEGLosslessSV1", true, true, false, true },
        { "1.2.840.10008.1.2.4.80", "JPEGLSLossless", true, true, false, true },
        { "1.2.840.10008.1.2.4.81", "JPEGLSNearLossless", true, true, false, true },
        { "1.2.840.10008.1.2.4.90", "JPEG2000Lossless", true, true, false, true },
        { "1.2.840.10008.1.2.4.91", "JPEG2000", true, true, false, true },
        { "1.2.840.10008.1.2.4.100", "MPEG2MPML", true, true, false, true },
        { "1.2.840.10008.1.2.4.101", "MPEG2MPHL", true, true, false, true },
        { "1.2.840.10008.1.2.4.102", "MPEG4HP41", true, true, false, true },
        { "1.2.840.10008.1.2.4.103", "MPEG4HP41BD", true, true, false, true },
        { "1.2.840.10008.1.2.4.104", "MPEG4HP422D", true, true, false, true },
        { "1.2.840.10008.1.2.4.105", "MPEG4HP423D", true, true, false, true },
        { "1.2.840.10008.1.2.4.106", "MPEG4HP42STEREO", true, true, false, true },
        { "1.2.840.10008.1.2.4.107", "HEVCMP51", true, true, false, true },
        { "1.2.840.10008.1.2.4.108", "HEVCM10P51", true, true, false, true },
        { "1.2.840.10008.1.2.5", "RLELossless", true, true, false, true },
        // Not named by the movescu spec but easy to get wrong.
        { "1.2.840.10008.1.2.1.98", "EncapsulatedUncompressedExplicitVRLittleEndian", true, true, false, true },
        { "1.2.840.10008.1.2.4.94", "JPIPReferenced", true, true, false, false },
        { "1.2.840.10008.1.2.4.95", "JPIPReferencedDeflate", true, true, true, false },
        { "1.2.840.10008.1.20", "Papyrus3ImplicitVRLittleEndian", false, true, false, false },
    };

    [Theory]
    [MemberData(nameof(SyntaxesTheSpecNames))]
    public void Registry_knows_the_encoding_of_each_syntax(string uid, string keyword, bool explicitVR, bool littleEndian,
        bool deflated, bool encapsulated)
    {
        Assert.True(TransferSyntax.TryLookup(uid, out var syntax));
        Assert.Equal(uid, syntax.Uid);
        Assert.Equal(keyword, syntax.Keyword);
        Assert.Equal(explicitVR, syntax.IsExplicitVR);
        Assert.Equal(littleEndian, syntax.IsLittleEndian);
        Assert.Equal(deflated, syntax.IsDeflated);
        Assert.Equal(encapsulated, syntax.IsEncapsulated);
        Assert.True(syntax.IsKnown);

        // The static property of the same name is the registry's object.
        var property = typeof(TransferSyntax).GetField(keyword) ?? throw new Xunit.Sdk.XunitException($"no TransferSyntax.{keyword}");
        Assert.Same(syntax, property.GetValue(null));
    }

    [Fact]
    public void Static_properties_are_the_registered_objects()
    {
        Assert.Same(TransferSyntax.Lookup("1.2.840.10008.1.2.4.50"), TransferSyntax.JPEGBaseline8Bit);
        Assert.Same(TransferSyntax.Lookup("1.2.840.10008.1.2.4.107"), TransferSyntax.HEVCMP51);
        Assert.Same(TransferSyntax.Lookup("1.2.840.10008.1.2"), TransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(TransferSyntax.Lookup("1.2.840.10008.1.2.5\0"), TransferSyntax.RLELossless);
    }

    [Fact]
    public void Registry_covers_every_transfer_syntax_of_the_uid_table_in_its_order()
    {
        var fromUidTable = DicomUids.All.Where(u => u.IsTransferSyntax).ToList();

        Assert.Equal(fromUidTable.Select(u => u.Uid), TransferSyntax.All.Select(s => s.Uid));
        foreach (var (info, syntax) in fromUidTable.Zip(TransferSyntax.All))
        {
            Assert.Equal(info.Keyword, syntax.Keyword);
            Assert.Equal(info.Name, syntax.Name);
            Assert.Equal(info.IsRetired, syntax.IsRetired);
        }

        Assert.True(TransferSyntax.All.Count >= 47);
    }

    [Fact]
    public void Only_implicit_syntaxes_say_implicit_and_only_big_endian_is_big_endian()
    {
        Assert.Equal(["ImplicitVRLittleEndian", "Papyrus3ImplicitVRLittleEndian"],
            TransferSyntax.All.Where(s => !s.IsExplicitVR).Select(s => s.Keyword));
        Assert.Equal(["ExplicitVRBigEndian"], TransferSyntax.All.Where(s => !s.IsLittleEndian).Select(s => s.Keyword));
        Assert.Equal(["DeflatedExplicitVRLittleEndian", "JPIPReferencedDeflate"],
            TransferSyntax.All.Where(s => s.IsDeflated).Select(s => s.Keyword));
    }

    [Fact]
    public void Retired_flags_follow_the_uid_table()
    {
        Assert.True(TransferSyntax.ExplicitVRBigEndian.IsRetired);
        Assert.True(TransferSyntax.JPEGExtended35.IsRetired);
        Assert.False(TransferSyntax.JPEGLosslessSV1.IsRetired);
    }

    [Fact]
    public void Unknown_uid_is_a_private_encapsulated_explicit_little_endian_syntax()
    {
        Assert.False(TransferSyntax.TryLookup("1.2.3.4.5", out _));
        var unknown = TransferSyntax.Lookup("1.2.3.4.5");
        Assert.False(unknown.IsKnown);
        Assert.True(unknown.IsExplicitVR && unknown.IsLittleEndian && unknown.IsEncapsulated);
    }
}
