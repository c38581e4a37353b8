using System.Globalization;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Network.Tests.Services;

/// <summary>Our SCU side against DCMTK's storescp and dcmqrscp.</summary>
public class ScuInteropTests
{
    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Echo_and_store_to_storescp()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 2, pixelBytes: 100_000, transferSyntax: "+tb");
        Directory.CreateDirectory(work.Combine("out"));
        int port = LoopbackPort.GetFree();
        await using var storescp = await DcmtkServer.StartAsync("storescp", ["-od", work.Combine("out"), Text(port)], port);

        var request = DicomAssociation.CreateRequest("STORESCP", "ACTORMOVE",
        [
            new PresentationContextProposal(1, DimseMessage.VerificationSopClassUid, [TransferSyntax.ImplicitVRLittleEndian.Uid]),
            new PresentationContextProposal(3, Dump2DcmStudies.CtImageStorage, [TransferSyntax.ExplicitVRLittleEndian.Uid]),
        ]);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", port, request);

        Assert.Equal(DimseStatus.Success, await client.EchoAsync(1));
        ushort messageId = 2;
        foreach (var image in images)
        {
            // The file is big endian; only little endian was accepted, so it is converted on the way.
            Assert.Equal(DimseStatus.Success, await client.StoreFileAsync(messageId++, image.Path));
        }

        await client.ReleaseAsync();
        Assert.True((await client.Completion).IsOrderlyRelease);
        foreach (var image in images)
        {
            string received = Path.Combine(work.Combine("out"), "CT." + image.SopInstanceUid);
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(received));
        }
    }

    [Fact]
    public async Task A_request_whose_association_is_aborted_fails_with_why_it_ended()
    {
        await using var listener = AssociationListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new StoreAcceptancePolicy().ToAcceptor(),
            async (association, ct) =>
            {
                // The peer takes the request, then aborts instead of answering it.
                await foreach (var _ in association.ReceiveAsync(ct))
                {
                    await association.AbortAsync();
                    break;
                }
            });
        var request = DicomAssociation.CreateRequest("ANY-SCP", "ACTORMOVE",
            [new PresentationContextProposal(1, DimseMessage.VerificationSopClassUid, [TransferSyntax.ImplicitVRLittleEndian.Uid])]);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", listener.Port, request);

        var error = await Assert.ThrowsAsync<DicomAssociationException>(() => client.EchoAsync(1));

        Assert.Contains("abort", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_response_to_another_message_id_aborts_the_association_in_movescus_words()
    {
        await using var listener = AssociationListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new StoreAcceptancePolicy().ToAcceptor(),
            async (association, ct) =>
            {
                var session = new DimseSession(association);
                bool answered = false;
                await foreach (var received in association.ReceiveAsync(ct))
                {
                    if (received is PdvReceived && !answered)
                    {
                        answered = true;
                        await session.SendAsync(1, new CEchoResponse(77, DimseStatus.Success), ct);
                    }
                }
            });
        var request = DicomAssociation.CreateRequest("ANY-SCP", "ACTORMOVE",
            [new PresentationContextProposal(1, DimseMessage.VerificationSopClassUid, [TransferSyntax.ImplicitVRLittleEndian.Uid])]);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", listener.Port, request);

        var error = await Assert.ThrowsAsync<DicomAssociationException>(() => client.EchoAsync(5));

        Assert.Contains("Unexpected Response MsgId: 77 (expected: 5)", error.Message);
        Assert.IsType<AssociationAborted>((await client.Completion).Final);
    }

    [Fact]
    public async Task Move_from_dcmqrscp_brings_the_study_to_our_store_scp()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), patients: 2, imagesPerSeries: 3);
        Directory.CreateDirectory(work.Combine("out"));
        var handler = new RecordingStoreHandler(work.Combine("out"));
        await using var listener = AssociationListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new StoreAcceptancePolicy().ToAcceptor(),
            async (association, ct) => await StoreScp.ServeAsync(association, handler, ct));
        await using var archive = await DcmqrscpArchive.StartAsync([new MoveDestination("OURSCP", listener.Port)]);
        await archive.LoadAsync(work.Combine("in"));

        string study = images[0].StudyInstanceUid;
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, study);
        var request = ServiceRequests.MoveAssociation(archive.AeTitle, "MOVER", QueryRetrieveModel.StudyRoot, OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", archive.Port, request);

        var pending = new List<DimseReply>();
        var final = await client.MoveAsync(7, QueryRetrieveModel.StudyRoot, "OURSCP", identifier, TransferSyntax.ExplicitVRLittleEndian,
            reply => { pending.Add(reply); return ValueTask.CompletedTask; });
        await client.ReleaseAsync();

        var response = Assert.IsType<CMoveResponse>(final.Response);
        Assert.Equal(DimseStatus.Success, response.Status);
        var expected = images.Where(i => i.StudyInstanceUid == study).Select(i => i.SopInstanceUid).Order().ToArray();
        Assert.Equal((ushort?)expected.Length, response.CompletedSuboperations);
        Assert.Equal(expected.Length, pending.Count);
        Assert.Equal(expected, handler.Stored.Select(s => s.Context.Request.AffectedSopInstanceUid).Order());
        Assert.All(handler.Stored, s =>
        {
            Assert.Equal("MOVER", s.Context.Request.MoveOriginatorAeTitle);
            Assert.Equal((ushort)7, s.Context.Request.MoveOriginatorMessageId);
        });
    }

    [Fact]
    public async Task Unknown_move_destination_comes_back_as_a_failure_status()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1);
        await using var archive = await DcmqrscpArchive.StartAsync([]);
        await archive.LoadAsync(work.Combine("in"));
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, images[0].StudyInstanceUid);
        var request = ServiceRequests.MoveAssociation(archive.AeTitle, "MOVER", QueryRetrieveModel.StudyRoot, OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", archive.Port, request);

        var final = await client.MoveAsync(1, QueryRetrieveModel.StudyRoot, "NOWHERE", identifier, TransferSyntax.ExplicitVRLittleEndian);
        await client.ReleaseAsync();

        Assert.Equal(DimseStatusCategory.Failure, final.Response.StatusCategory);
        Assert.Equal(DimseStatus.MoveDestinationUnknown, final.Response.Status);
    }

    [Fact]
    public async Task Echo_to_dcmqrscp()
    {
        await using var archive = await DcmqrscpArchive.StartAsync([]);
        var request = DicomAssociation.CreateRequest(archive.AeTitle, "ECHOER",
            [new PresentationContextProposal(1, DimseMessage.VerificationSopClassUid, [TransferSyntax.ImplicitVRLittleEndian.Uid])]);
        await using var client = await DimseClient.ConnectAsync("127.0.0.1", archive.Port, request);

        Assert.Equal(DimseStatus.Success, await client.EchoAsync(5));
        await client.ReleaseAsync();
        Assert.True((await client.Completion).IsOrderlyRelease);
    }

    [Fact]
    public async Task Unknown_called_ae_title_is_rejected_with_typed_values()
    {
        await using var archive = await DcmqrscpArchive.StartAsync([]);
        var request = ServiceRequests.MoveAssociation("NOSUCHAE", "MOVER", QueryRetrieveModel.PatientRoot, OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst);

        var rejected = await Assert.ThrowsAsync<AssociationRejectedException>(() => DimseClient.ConnectAsync("127.0.0.1", archive.Port, request));

        Assert.Equal(RejectSource.ServiceUser, rejected.Reject.Source);
        Assert.Equal((byte)RejectReasonServiceUser.CalledAeTitleNotRecognized, rejected.Reject.Reason);
    }
}
