using System.Buffers;
using System.Globalization;
using ActorMove.Dicom.Core;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>Inbound store associations are isolated: one that breaks off mid-data-set loses only its own object.</summary>
public class StoreIsolationTests
{
    [Fact]
    public async Task An_association_aborted_mid_data_set_leaves_no_file_while_two_others_complete()
    {
        using var work = new TempDirectory();
        var first = await Dump2DcmStudies.GenerateAsync(work.Combine("a"), imagesPerSeries: 4, pixelBytes: 200_000);
        var second = await Dump2DcmStudies.GenerateAsync(work.Combine("b"), imagesPerSeries: 4, pixelBytes: 200_000);
        Directory.CreateDirectory(work.Combine("out"));
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings { EndPoint = new(System.Net.IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") },
        });
        int port = (await engine.Client.GetStorePortAsync())!.Value;
        string portText = port.ToString(CultureInfo.InvariantCulture);

        // The broken peer: a C-STORE-RQ, then 160 kB of its data set in non-final fragments (enough for the socket loop to
        // have handed parts of the block to the writer), then A-ABORT.
        var request = DicomAssociation.CreateRequest("MOVESCU", "BROKEN",
            [new PresentationContextProposal(1, Dump2DcmStudies.CtImageStorage, [TransferSyntax.ExplicitVRLittleEndian.Uid])]);
        var broken = await DicomAssociation.RequestAsync("127.0.0.1", port, request);
        await broken.SendMessageAsync(1, isCommand: true,
            new ReadOnlySequence<byte>(CommandSetCodec.Encode(new CStoreRequest(1, Dump2DcmStudies.CtImageStorage, "1.2.3.4.5"))));
        for (int fragment = 0; fragment < 10; fragment++)
        {
            PduWriter.Write(broken.Connection.Output,
                new DataTransfer(new[] { new PresentationDataValue(1, false, false, new ReadOnlySequence<byte>(new byte[16_000])) }));
        }

        await broken.Connection.Output.FlushAsync();

        var storeA = DcmtkTool.RunAsync("storescu", ["127.0.0.1", portText, .. first.Select(i => i.Path)]);
        var storeB = DcmtkTool.RunAsync("storescu", ["127.0.0.1", portText, .. second.Select(i => i.Path)]);
        await Task.Delay(200);
        await broken.AbortAsync();
        await broken.DisposeAsync();
        var results = await Task.WhenAll(storeA, storeB);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var expected = first.Concat(second).Select(i => "CT." + i.SopInstanceUid).Order().ToArray();
        // The aborted object's temporary file is removed once its association actor has seen the abort.
        string[] Written() => Directory.GetFiles(work.Combine("out")).Select(Path.GetFileName).Order().ToArray()!;
        await Poll.UntilAsync(() => Written().SequenceEqual(expected), TimeSpan.FromSeconds(5));
        Assert.Equal(expected, Written());
        foreach (var image in first.Concat(second))
        {
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(Path.Combine(work.Combine("out"), "CT." + image.SopInstanceUid)));
        }
    }
}
