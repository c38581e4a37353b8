using System.Text.RegularExpressions;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Services;
using ActorMove.Testing.Archive;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Testing.Tests.Archive;

/// <summary>What DCMTK's movescu does not show: the response identifier and counts, seen through our own SCU.</summary>
public class TestArchiveClientTests
{
    [Fact]
    public async Task Failed_sop_instance_list_names_every_failed_sub_operation_when_asked_for()
    {
        using var work = new TempDirectory("testarchive");
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 3);
        await using var archive = await TestArchive.StartAsync(new TestArchiveOptions
        {
            Folder = work.Combine("in"),
            Destinations = new Dictionary<string, ArchiveDestination> { ["DEAD"] = new("127.0.0.1", LoopbackPort.GetFree()) },
            SendFailedSopInstanceList = true,
        });

        await using var client = await DimseClient.ConnectAsync(archive.Host, archive.Port,
            ServiceRequests.MoveAssociation(archive.AeTitle, "CLIENT", QueryRetrieveModel.StudyRoot, OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst));
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, images[0].StudyInstanceUid);

        var reply = await client.MoveAsync(7, QueryRetrieveModel.StudyRoot, "DEAD", identifier, TransferSyntax.ExplicitVRLittleEndian);
        await client.ReleaseAsync();

        var response = Assert.IsType<CMoveResponse>(reply.Response);
        Assert.Equal(DimseStatus.MoveOutOfResourcesSubOperations, response.Status);
        Assert.Equal((ushort)7, response.MessageIdBeingRespondedTo);
        Assert.Equal((ushort?)3, response.FailedSuboperations);
        Assert.NotNull(reply.DataSet);
        var failed = MoveResponseIdentifier.ReadFailedSopInstanceUids(reply.DataSet.Value, client.Session.TransferSyntaxOf(reply.PresentationContextId));
        Assert.Equal(images.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal), failed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sub_operations_carry_the_move_originator_and_pending_counts_count_down()
    {
        using var work = new TempDirectory("testarchive");
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 3);
        int storePort = LoopbackPort.GetFree();
        string output = work.Combine("out");
        Directory.CreateDirectory(output);
        // storescp writes what it receives; its -v log names the move originator of each C-STORE.
        await using var storescp = await DcmtkServer.StartAsync("storescp", ["-d", "-od", output, storePort.ToString(System.Globalization.CultureInfo.InvariantCulture)], storePort);
        await using var archive = await TestArchive.StartAsync(new TestArchiveOptions
        {
            Folder = work.Combine("in"),
            Destinations = new Dictionary<string, ArchiveDestination> { ["STORESCP"] = new("127.0.0.1", storePort) },
        });

        await using var client = await DimseClient.ConnectAsync(archive.Host, archive.Port,
            ServiceRequests.MoveAssociation(archive.AeTitle, "ORIGIN", QueryRetrieveModel.PatientRoot, OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly));
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, "PATIENT");
        identifier.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, images[0].PatientId);
        var pending = new List<CMoveResponse>();

        var reply = await client.MoveAsync(42, QueryRetrieveModel.PatientRoot, "STORESCP", identifier, TransferSyntax.ExplicitVRLittleEndian,
            r =>
            {
                pending.Add((CMoveResponse)r.Response);
                return ValueTask.CompletedTask;
            });
        await client.ReleaseAsync();

        Assert.Equal(DimseStatus.Success, reply.Response.Status);
        Assert.Equal((ushort?)3, ((CMoveResponse)reply.Response).CompletedSuboperations);
        Assert.Equal([(2, 1), (1, 2), (0, 3)], pending.Select(p => ((int)p.RemainingSuboperations!, (int)p.CompletedSuboperations!)));
        Assert.Equal(3, Directory.GetFiles(output).Length);
        // storescp logs each request before answering it, but its output reaches us through a pipe reader of its own.
        for (int wait = 0; wait < 100 && Regex.Matches(storescp.Output, @"Move Originator ID\s*: 42\b").Count < 3; wait++)
        {
            await Task.Delay(100);
        }

        Assert.True(Regex.Matches(storescp.Output, @"Move Originator AE Title\s*: ORIGIN\b").Count == 3, storescp.Output);
        Assert.True(Regex.Matches(storescp.Output, @"Move Originator ID\s*: 42\b").Count == 3, storescp.Output);
    }
}
