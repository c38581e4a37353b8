using ActorMove.Dicom.Core;
using ActorMove.Network.Dimse;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

/// <summary>Identifiers written by DCMTK's dump2dcm in each transfer syntax a C-MOVE association can use.</summary>
public class MoveResponseIdentifierTests
{
    private const string Dump =
        "(0008,0052) CS [STUDY]\n" +
        "(0008,0058) UI [1.2.3.4\\1.2.3.5.66\\1.2.840.113619.2.1]\n" +
        "(0020,000d) UI [1.2.3]\n";

    [Theory]
    [InlineData("+ti", "1.2.840.10008.1.2")]
    [InlineData("+te", "1.2.840.10008.1.2.1")]
    [InlineData("+tb", "1.2.840.10008.1.2.2")]
    [InlineData("+td", "1.2.840.10008.1.2.1.99")]
    public async Task Failed_SOP_instance_list_is_read_from_a_DCMTK_identifier(string syntaxOption, string syntaxUid)
    {
        using var temp = new TempDirectory("dimse-identifier");
        await File.WriteAllTextAsync(temp.Combine("id.dump"), Dump);
        var result = await DcmtkTool.RunAsync("dump2dcm", ["-F", syntaxOption, temp.Combine("id.dump"), temp.Combine("id.bin")], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        var bytes = await File.ReadAllBytesAsync(temp.Combine("id.bin"));

        var uids = MoveResponseIdentifier.ReadFailedSopInstanceUids(bytes, TransferSyntax.Lookup(syntaxUid));

        Assert.Equal(["1.2.3.4", "1.2.3.5.66", "1.2.840.113619.2.1"], uids);
    }

    [Fact]
    public async Task Identifier_without_the_list_gives_none()
    {
        using var temp = new TempDirectory("dimse-identifier");
        await File.WriteAllTextAsync(temp.Combine("id.dump"), "(0008,0052) CS [STUDY]\n(0020,000d) UI [1.2.3]\n");
        var result = await DcmtkTool.RunAsync("dump2dcm", ["-F", "+ti", temp.Combine("id.dump"), temp.Combine("id.bin")], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.Empty(MoveResponseIdentifier.ReadFailedSopInstanceUids(await File.ReadAllBytesAsync(temp.Combine("id.bin")), TransferSyntax.ImplicitVRLittleEndian));
    }

    [Fact]
    public async Task Bounded_buffer_collects_fragments_and_refuses_more_than_its_limit()
    {
        var buffer = new BoundedDataSetBuffer(maxLength: 4);
        await buffer.OnFragmentAsync(new System.Buffers.ReadOnlySequence<byte>(new byte[] { 1, 2 }), default);
        await buffer.OnFragmentAsync(new System.Buffers.ReadOnlySequence<byte>(new byte[] { 3 }), default);
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() =>
            buffer.OnFragmentAsync(new System.Buffers.ReadOnlySequence<byte>(new byte[] { 4, 5 }), default).AsTask());
        Assert.Equal(DimseProtocolError.DataSetTooLarge, e.Error);
        await buffer.OnCompleteAsync(default);
        Assert.True(buffer.IsComplete);
        Assert.Equal([1, 2, 3], buffer.Data.ToArray());
    }

    [Fact]
    public void Garbage_identifier_raises_a_format_error()
    {
        Assert.Throws<ActorMove.Dicom.DicomFormatException>(() =>
            MoveResponseIdentifier.ReadFailedSopInstanceUids(new byte[] { 8, 0, 0x58, 0, 0xFF, 0xFF, 0, 0x10 }, TransferSyntax.ImplicitVRLittleEndian));
    }
}
