using System.Globalization;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Services;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Network.Tests.Services;

/// <summary>Our storage SCP side against DCMTK's echoscu and storescu.</summary>
public class StoreScpInteropTests
{
    private static AssociationListener Listen(StoreAcceptancePolicy policy, RecordingStoreHandler handler) =>
        AssociationListener.Start(new IPEndPoint(IPAddress.Loopback, 0), policy.ToAcceptor(),
            async (association, ct) => await StoreScp.ServeAsync(association, handler, ct));

    private static string Port(AssociationListener listener) => listener.Port.ToString(CultureInfo.InvariantCulture);

    private static byte[] DatasetBytes(string path)
    {
        using var file = DicomReader.ReadFile(path);
        var bytes = new byte[file.DatasetLength];
        file.Source!.ReadExactly(file.DatasetOffset, bytes);
        return bytes;
    }

    [Fact]
    public async Task Echoscu_gets_a_successful_echo()
    {
        using var work = new TempDirectory();
        var handler = new RecordingStoreHandler(work.Path);
        await using var listener = Listen(new StoreAcceptancePolicy(), handler);

        var result = await DcmtkTool.RunAsync("echoscu", ["-v", "127.0.0.1", Port(listener)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Received Echo Response (Success)", result.StdErr + result.StdOut);
    }

    public static TheoryData<string, string[], IncomingTransferSyntaxPreference, string> UncompressedCases => new()
    {
        { "+te", [], IncomingTransferSyntaxPreference.ExplicitLittleEndian, TransferSyntax.ExplicitVRLittleEndian.Uid },
        { "+tb", ["-xb"], IncomingTransferSyntaxPreference.ExplicitBigEndian, TransferSyntax.ExplicitVRBigEndian.Uid },
        { "+ti", ["-xi"], IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly, TransferSyntax.ImplicitVRLittleEndian.Uid },
    };

    [Theory]
    [MemberData(nameof(UncompressedCases))]
    public async Task Storescu_objects_arrive_byte_identical_in_every_uncompressed_syntax(string fileSyntax, string[] storescuOptions,
        IncomingTransferSyntaxPreference preference, string expectedSyntax)
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 3, pixelBytes: 70_000, transferSyntax: fileSyntax);
        Directory.CreateDirectory(work.Combine("out"));
        var handler = new RecordingStoreHandler(work.Combine("out"));
        await using var listener = Listen(new StoreAcceptancePolicy(preference), handler);

        var result = await DcmtkTool.RunAsync("storescu", [.. storescuOptions, "-pdu", "8192", "127.0.0.1", Port(listener), .. images.Select(i => i.Path)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(images.Count, handler.Stored.Count);
        foreach (var image in images)
        {
            var stored = handler.Stored.Single(s => s.Context.Request.AffectedSopInstanceUid == image.SopInstanceUid);
            Assert.Equal(expectedSyntax, stored.Context.TransferSyntax.Uid);
            Assert.Equal(DatasetBytes(image.Path), DatasetBytes(stored.Path));
        }
    }

    [Fact]
    public async Task Deflated_objects_arrive_with_the_same_content()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 2, transferSyntax: "+td");
        Directory.CreateDirectory(work.Combine("out"));
        var handler = new RecordingStoreHandler(work.Combine("out"));
        await using var listener = Listen(new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.DeflatedExplicitLittleEndian), handler);

        var result = await DcmtkTool.RunAsync("storescu", ["-xd", "127.0.0.1", Port(listener), .. images.Select(i => i.Path)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var image in images)
        {
            var stored = handler.Stored.Single(s => s.Context.Request.AffectedSopInstanceUid == image.SopInstanceUid);
            Assert.Equal(TransferSyntax.DeflatedExplicitVRLittleEndian, stored.Context.TransferSyntax);
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(stored.Path));
        }
    }

    [Fact]
    public async Task Jpeg_encapsulated_object_arrives_untouched_under_accept_all()
    {
        using var work = new TempDirectory();
        var image = (await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1, pixelBytes: 512 * 2 * 64))[0];
        string jpeg = work.Combine("jpeg.dcm");
        var compressed = await DcmtkTool.RunAsync("dcmcjpeg", ["+e1", image.Path, jpeg]);
        Assert.True(compressed.ExitCode == 0, compressed.ToString());
        Directory.CreateDirectory(work.Combine("out"));
        var handler = new RecordingStoreHandler(work.Combine("out"));
        await using var listener = Listen(new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.AcceptAll), handler);

        // -xs: storescu proposes JPEG lossless SV1 (what dcmcjpeg +e1 wrote) besides the uncompressed syntaxes.
        var result = await DcmtkTool.RunAsync("storescu", ["-xs", "127.0.0.1", Port(listener), jpeg]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var stored = Assert.Single(handler.Stored);
        Assert.Equal(TransferSyntax.JPEGLosslessSV1, stored.Context.TransferSyntax);
        Assert.Equal(DatasetBytes(jpeg), DatasetBytes(stored.Path));
    }

    [Fact]
    public async Task Unsupported_sop_class_is_refused_and_storescu_reports_it()
    {
        using var work = new TempDirectory();
        var image = (await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1))[0];
        var handler = new RecordingStoreHandler(work.Path);
        // Accept nothing but Verification.
        await using var listener = Listen(new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.ExplicitLittleEndian, []), handler);

        var result = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", Port(listener), image.Path]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(handler.Stored);
    }
}
